import { env } from "../../env";
import { adminFor } from "../../shopify/admin";
import { createCarrierService } from "../../shopify/carrier-service";
import { recordAudit } from "../../db/promise";

export const CARRIER_SERVICE_NAME = "Delivery promise (OMS)";

/**
 * Dates for stores without Plus: registers /carrier/rates as a carrier-calculated shipping service,
 * audited. Registering twice is refused by Shopify ("already configured") and reported as such.
 */
export async function registerCarrierRates(shop: string, actor: string, now: Date): Promise<{ ok: boolean; message: string }> {
  const callbackUrl = new URL("/carrier/rates", env().SHOPIFY_APP_URL).href;
  const r = await createCarrierService(await adminFor(shop), CARRIER_SERVICE_NAME, callbackUrl);
  const message = r.ok ? `Carrier-calculated rates registered (${callbackUrl})` : `Carrier service not registered: ${r.message}`;
  await recordAudit(shop, {
    at: now,
    actor,
    subject: "carrier-service",
    summary: message,
    data: { callbackUrl, ...(r.ok ? { id: r.id } : { error: r.message }) },
  });
  return { ok: r.ok, message };
}
