// Carrier-calculated shipping as Shopify runs it: an app registers a callback (carrierServiceCreate,
// 2026-04 schema), and at checkout Shopify POSTs the cart and destination to it, signed with the
// app's secret (X-Shopify-Hmac-Sha256 over the raw body, X-Shopify-Shop-Domain), and offers the
// rates it answers. Shopify waits 10 s at most (fewer at high volume); no answer, an error or a
// malformed body means no rates from that service.
import { createHmac } from "node:crypto";
import { gid } from "./gid";
import type { Address, ShopState } from "./store";

export type CarrierService = { id: number; name: string; callbackUrl: string; active: boolean; supportsServiceDiscovery: boolean };
export type Rate = {
  service_name: string;
  service_code: string;
  total_price: string;
  currency: string;
  description?: string;
  min_delivery_date?: string;
  max_delivery_date?: string;
};

const services = new WeakMap<ShopState, Map<number, CarrierService>>();
export const carrierServicesOf = (shop: ShopState) => {
  let m = services.get(shop);
  if (!m) services.set(shop, (m = new Map()));
  return m;
};

export function presentCarrierService(s: CarrierService) {
  return {
    __typename: "DeliveryCarrierService",
    id: gid("DeliveryCarrierService", s.id),
    name: s.name,
    formattedName: s.name,
    callbackUrl: s.callbackUrl,
    active: s.active,
    supportsServiceDiscovery: s.supportsServiceDiscovery,
  };
}

/** carrierServiceCreate's rules: a name, an absolute callback URL, the name unique per shop. */
export function createCarrierService(
  shop: ShopState,
  id: number,
  input: { name?: string | null; callbackUrl?: string | null; supportsServiceDiscovery?: boolean | null; active?: boolean | null },
): { service: CarrierService } | { error: string; field: string } {
  const name = input.name?.trim() ?? "";
  if (!name) return { error: "Name can't be blank", field: "name" };
  let url: URL;
  try {
    url = new URL(input.callbackUrl ?? "");
  } catch {
    return { error: "Callback url is not a valid URL", field: "callbackUrl" };
  }
  if (!/^https?:$/.test(url.protocol)) return { error: "Callback url is not a valid URL", field: "callbackUrl" };
  const all = carrierServicesOf(shop);
  if ([...all.values()].some((s) => s.name === name)) return { error: `${name} is already configured`, field: "name" };
  const service = { id, name, callbackUrl: url.href, active: input.active ?? false, supportsServiceDiscovery: input.supportsServiceDiscovery ?? true };
  all.set(id, service);
  return { service };
}

/** The rate request body, as Shopify sends it (REST shape: numeric ids, prices in cents, grams). */
export function rateRequest(
  shop: ShopState,
  lines: { variantId: number; sku: string; title: string; quantity: number; priceMinor: number; productId: number }[],
  to: Address,
) {
  const origin = [...shop.locations.values()][0];
  return {
    rate: {
      origin: {
        country: origin?.address.countryCode ?? "US",
        postal_code: origin?.address.zip ?? null,
        province: origin?.address.provinceCode ?? null,
        city: origin?.address.city ?? null,
        name: null,
        address1: origin?.address.address1 ?? null,
        address2: null,
        address3: null,
        latitude: null,
        longitude: null,
        phone: null,
        fax: null,
        email: null,
        address_type: null,
        company_name: null,
      },
      destination: {
        country: to.countryCode,
        postal_code: to.zip,
        province: to.provinceCode,
        city: to.city,
        name: [to.firstName, to.lastName].filter(Boolean).join(" "),
        address1: to.address1,
        address2: to.address2,
        address3: null,
        latitude: to.latitude,
        longitude: to.longitude,
        phone: to.phone,
        fax: null,
        email: null,
        address_type: null,
        company_name: to.company,
      },
      items: lines.map((l) => ({
        name: l.title,
        sku: l.sku,
        quantity: l.quantity,
        grams: 500,
        price: l.priceMinor,
        vendor: "",
        requires_shipping: true,
        taxable: true,
        fulfillment_service: "manual",
        properties: null,
        product_id: l.productId,
        variant_id: l.variantId,
      })),
      currency: shop.currencyCode,
      locale: "en",
    },
  };
}

/** Asks each active service for rates; a service that fails or times out offers none. */
export async function fetchRates(shop: ShopState, apiSecret: string, body: unknown, timeoutMs = 10_000): Promise<Rate[]> {
  const raw = JSON.stringify(body);
  const hmac = createHmac("sha256", apiSecret).update(raw).digest("base64");
  const out: Rate[] = [];
  for (const s of carrierServicesOf(shop).values()) {
    if (!s.active) continue;
    try {
      const res = await fetch(s.callbackUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-hmac-sha256": hmac, "x-shopify-shop-domain": shop.domain },
        body: raw,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) continue;
      const json = (await res.json()) as { rates?: Rate[] };
      for (const r of json.rates ?? []) if (r && typeof r.service_name === "string" && typeof r.total_price === "string") out.push(r);
    } catch {
      // Shopify shows no rates from a service that does not answer in time.
    }
  }
  return out;
}
