import { createHash } from "node:crypto";
import { atp } from "~/domain/inventory/atp";
import { publicHolidays } from "~/domain/promise/holidays";
import { promiseDelivery } from "~/domain/promise/promise-delivery";
import { DEFAULT_BANDS, zoneOf } from "~/domain/promise/transit";
import type { DeliveryPromise, PromiseRequest, ShippingMethod } from "~/domain/promise/types";
import type { OrderLine } from "~/domain/sourcing/types";
import { incomingStock, levelsForVariants, transitTimes } from "../../db/promise";
import { activeRuleSet, locationProfiles, ordersRoutedOn } from "../../db/sourcing";
import { inventoryPolicy, stockLocations } from "../../db/stock-settings";
import { destinationOf } from "../../geo/destination";
import { DEFAULT_RULE_SET } from "../route-order";
import { sourcingLocation } from "../sourcing-candidates";
import { cachedAnswer, storeAnswer } from "./promise-cache";
import { promiseView, type PromiseView } from "./promise-view";

/** The shop's shipping methods as the promise names them (a per-shop setting is a later step). */
export const SHIPPING_METHODS: readonly ShippingMethod[] = [
  { code: "standard", name: "Standard", carrier: "UPS", nonDeliveryWeekdays: [0, 6] },
  { code: "express", name: "Express", carrier: "FedEx", nonDeliveryWeekdays: [0] },
];

export type CartQuote = {
  lines: readonly { variantId: string; quantity: number; unitPriceMinor?: number }[];
  address: { countryCode: string; provinceCode: string | null; zip: string | null; latitude?: number | null; longitude?: number | null };
};

export type Quote = { view: PromiseView; cache: "hit" | "miss" };

/**
 * The delivery promise for a cart, now: the sourcing request routing would build for this order
 * (same locations, ATP, calendars, rule set — sourcing-candidates.ts), through the promise engine.
 * Answers are cached for a minute under everything they depend on; the stock fingerprint of the
 * cart's items is in the key, so a stock change is a new key (invalidation without a purge).
 */
export async function quotePromise(shop: string, cart: CartQuote, now: Date): Promise<Quote> {
  const variantIds = [...new Set(cart.lines.map((l) => l.variantId))].sort();
  const [{ rows: levels, stockVersion }, ruleSet] = await Promise.all([levelsForVariants(shop, variantIds), activeRuleSetCached(shop)]);
  const rs = ruleSet ?? DEFAULT_RULE_SET;
  const dest = destinationOf({ countryCode: cart.address.countryCode, provinceCode: cart.address.provinceCode, zip: cart.address.zip, latitude: cart.address.latitude ?? null, longitude: cart.address.longitude ?? null });
  const destination = { countryCode: dest.countryCode ?? "", provinceCode: dest.provinceCode, latitude: dest.latitude, longitude: dest.longitude };
  // Coordinates rank locations by distance: the key carries them (rounded to ~1 km), not only the zone.
  const place = dest.latitude === null ? "unlocated" : `${dest.latitude!.toFixed(2)},${dest.longitude!.toFixed(2)}`;
  const cartKey = cart.lines.map((l) => `${l.variantId}×${l.quantity}@${l.unitPriceMinor ?? 0}`).sort().join(",");
  const minute = Math.floor(now.getTime() / 60_000);
  const cacheKey = createHash("sha1").update([cartKey, zoneOf(destination), place, rs.id, rs.version, stockVersion, minute].join("|")).digest("hex");

  const hit = await cachedAnswer(shop, cacheKey);
  if (hit) return { view: JSON.parse(hit) as PromiseView, cache: "hit" };

  const itemOf = new Map(levels.map((l) => [l.variantId!, { inventoryItemId: l.inventoryItemId, sku: l.sku ?? "" }]));
  const lines: OrderLine[] = cart.lines.map((l, i) => ({
    lineId: `cart-${i}`,
    // A variant the OMS holds no stock record for: no location has it, so it gets no date.
    inventoryItemId: itemOf.get(l.variantId)?.inventoryItemId ?? `unknown:${l.variantId}`,
    sku: itemOf.get(l.variantId)?.sku ?? "",
    quantity: l.quantity,
    unitPriceMinor: l.unitPriceMinor ?? 0,
    productTags: [],
  }));
  const items = [...new Set(levels.map((l) => l.inventoryItemId))];
  const [locations, profiles, policy, today, ctx] = await Promise.all([stockLocations(shop), locationProfiles(shop), inventoryPolicy(shop), ordersRoutedOn(shop, now), promiseContext(shop, items, destination, now)]);
  const profileOf = new Map(profiles.map((p) => [p.locationId, p]));
  const candidates = locations.map((l) => {
    const stock: Record<string, number> = {};
    for (const lv of levels) if (lv.locationId === l.id) stock[lv.inventoryItemId] = atp(lv, policy, now);
    return sourcingLocation(l, profileOf.get(l.id), stock, today.get(l.id) ?? 0);
  });
  const result = promiseDelivery({ ...ctx, sourcing: { lines, destination, delivery: { method: "ship" }, locations: candidates, ruleSet: rs, now } });
  const id = `dp_${cacheKey.slice(0, 20)}`;
  const view = result.ok ? promiseView(id, result.value, cart.lines) : unavailable(id, now, `no promise: ${result.error.code}`);
  await storeAnswer(shop, cacheKey, id, JSON.stringify(view));
  return { view, cache: "miss" };
}

/** Everything a promise needs beyond the sourcing request: methods, transit times, known restocks, holidays. */
export async function promiseContext(shop: string, inventoryItemIds: string[], destination: { countryCode: string; provinceCode: string | null }, now: Date): Promise<Omit<PromiseRequest, "sourcing">> {
  const [transit, incoming] = await Promise.all([transitTimes(shop), incomingStock(shop, inventoryItemIds)]);
  const year = now.getUTCFullYear();
  return { methods: SHIPPING_METHODS, transit: { entries: transit, bands: DEFAULT_BANDS }, incoming, holidays: publicHolidays(destination.countryCode, destination.provinceCode, year, year + 1) };
}

// The active rule set changes when a merchant activates a version: read it at most every 5 s per
// process (a new version reaches checkout within 5 s; its version is in the cache key).
const ruleSets = new Map<string, { value: Awaited<ReturnType<typeof activeRuleSet>>; until: number }>();
async function activeRuleSetCached(shop: string) {
  const hit = ruleSets.get(shop);
  if (hit && hit.until > Date.now()) return hit.value;
  const value = await activeRuleSet(shop);
  ruleSets.set(shop, { value, until: Date.now() + 5_000 });
  return value;
}

export function unavailable(id: string, now: Date, reason: string): PromiseView {
  return { id, at: now.toISOString(), zone: "", confidence: "none", reason, windows: [], parcels: [], undated: [] };
}

export type { DeliveryPromise };
