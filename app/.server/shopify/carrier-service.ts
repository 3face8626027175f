import type { AdminGraphql } from "./admin";
import { CARRIER_SERVICE_CREATE } from "./documents/carrier-service";

/** Registers the app's rate callback with Shopify (needs the write_shipping scope). */
export async function createCarrierService(
  graphql: AdminGraphql,
  name: string,
  callbackUrl: string,
): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const res = await graphql(CARRIER_SERVICE_CREATE, { variables: { input: { name, callbackUrl, active: true, supportsServiceDiscovery: true } } });
  const { data } = await res.json();
  const p = data?.carrierServiceCreate;
  if (p?.carrierService) return { ok: true, id: p.carrierService.id };
  return { ok: false, message: (p?.userErrors ?? []).map((e) => e.message).join("; ") || "no carrier service returned" };
}
