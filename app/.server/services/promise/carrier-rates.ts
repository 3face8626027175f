import type { RateRequest } from "~/schemas/carrier-rates";
import type { PromiseView } from "./promise-view";
import { quotePromise, SHIPPING_METHODS, type CartQuote } from "./quote-promise";

/** What each method costs the shopper, in minor units (a per-shop price list is a later step). */
export const METHOD_PRICES_MINOR: Record<string, number> = { standard: 995, express: 2500 };

/** The cart a rate request asks about: its shipped lines with a variant, and the destination. */
export function rateCart(req: RateRequest): CartQuote {
  const r = req.rate;
  const lines = r.items
    .filter((i) => i.variant_id && i.requires_shipping !== false)
    .map((i) => ({ variantId: `gid://shopify/ProductVariant/${i.variant_id}`, quantity: i.quantity, unitPriceMinor: i.price }));
  return {
    lines,
    address: {
      countryCode: r.destination.country.toUpperCase(),
      provinceCode: r.destination.province ?? null,
      zip: r.destination.postal_code ?? null,
      latitude: r.destination.latitude ?? null,
      longitude: r.destination.longitude ?? null,
    },
  };
}

/**
 * Carrier-calculated rates carrying the delivery promise: one rate per method the promise has an
 * honest window for, with min/max_delivery_date; no rate for a method without one. The service
 * code carries the promise id ("standard.dp_…") so the order brings it back to the OMS.
 */
export async function carrierRates(shop: string, req: RateRequest, now: Date) {
  const cart = rateCart(req);
  if (!cart.lines.length) return [];
  const { view } = await quotePromise(shop, cart, now);
  return ratesOf(view, req.rate.currency);
}

export function ratesOf(view: PromiseView, currency: string) {
  if (view.confidence === "none") return [];
  return view.windows.flatMap((w) => {
    const m = SHIPPING_METHODS.find((x) => x.code === w.method);
    const price = METHOD_PRICES_MINOR[w.method];
    if (!m || price === undefined) return [];
    return [
      {
        service_name: m.name,
        service_code: `${w.method}.${view.id}`,
        total_price: String(price),
        currency,
        description: `${m.carrier} · ${view.reason}`,
        min_delivery_date: `${w.earliest} 00:00:00 +0000`,
        max_delivery_date: `${w.latest} 23:59:59 +0000`,
      },
    ];
  });
}
