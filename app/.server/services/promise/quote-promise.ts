import { createHash } from "node:crypto";
import { atp } from "~/domain/inventory/atp";
import { publicHolidays } from "~/domain/promise/holidays";
import { promiseDelivery } from "~/domain/promise/promise-delivery";
import { DEFAULT_BANDS, zoneOf } from "~/domain/promise/transit";
import type { DeliveryPromise, PromiseRequest, ShippingMethod } from "~/domain/promise/types";
import type { OrderLine } from "~/domain/sourcing/types";
import { incomingStock, levelsForVariants, transitTimes } from "../../db/promise";
import { ordersRoutedOn } from "../../db/sourcing";
import { destinationOf } from "../../geo/destination";
import { DEFAULT_RULE_SET } from "../route-order";
import { sourcingLocation } from "../sourcing-candidates";
import { lookupAnswer, mapVariants } from "../../db/promise-versions";
import { storeAnswer, storeIssued } from "./promise-cache";
import { cartLevels, routedOn, shopSettings, type CartLevel, type ShopSettings } from "./promise-snapshot";
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

export type CartKey = {
  variantIds: string[];
  destination: { countryCode: string; provinceCode: string | null; latitude: number | null; longitude: number | null };
  cartHash: string;
};

/**
 * What a cart's answer depends on besides the versions in Redis: its lines, the destination's zone
 * and place (coordinates rank locations by distance: rounded to ~1 km), and the minute (cut-offs).
 * Shared by the lean path (lean-promise.ts), which must find exactly the key a miss stored.
 */
export function cartKeyOf(cart: CartQuote, now: number): CartKey {
  const variantIds = [...new Set(cart.lines.map((l) => l.variantId))].sort();
  const dest = destinationOf({
    countryCode: cart.address.countryCode,
    provinceCode: cart.address.provinceCode,
    zip: cart.address.zip,
    latitude: cart.address.latitude ?? null,
    longitude: cart.address.longitude ?? null,
  });
  const destination = { countryCode: dest.countryCode ?? "", provinceCode: dest.provinceCode, latitude: dest.latitude, longitude: dest.longitude };
  const place = dest.latitude === null ? "unlocated" : `${dest.latitude!.toFixed(2)},${dest.longitude!.toFixed(2)}`;
  const cartKey = cart.lines
    .map((l) => `${l.variantId}×${l.quantity}@${l.unitPriceMinor ?? 0}`)
    .sort()
    .join(",");
  const minute = Math.floor(now / 60_000);
  const cartHash = createHash("sha1")
    .update([cartKey, zoneOf(destination), place, minute].join("|"))
    .digest("hex");
  return { variantIds, destination, cartHash };
}

/** A cart's promise as JSON (a hit is the stored text, byte for byte), with the view when it was computed here. */
export type QuoteAnswer = { json: string; view: PromiseView | null; cache: "hit" | "miss" };

/**
 * The delivery promise for a cart, now: the sourcing request routing would build for this order
 * (same locations, ATP, calendars, rule set — sourcing-candidates.ts), through the promise engine.
 * Answers are cached for a minute under the versions of everything they rest on (db/promise-versions.ts):
 * read from Redis before the data, so an answer is never older than the versions it is stored under.
 */
export async function quotePromise(shop: string, cart: CartQuote, now: Date): Promise<Quote> {
  const q = await quoteAnswer(shop, cart, now);
  return { view: q.view ?? (JSON.parse(q.json) as PromiseView), cache: q.cache };
}

/** quotePromise, as the JSON the checkout gets (the HTTP answers send a hit's stored text as it is). */
export async function quoteAnswer(shop: string, cart: CartQuote, now: Date): Promise<QuoteAnswer> {
  const k = cartKeyOf(cart, now.getTime());
  const look = async () => lookupAnswer(shop, k.cartHash, k.variantIds, { init: true, now: now.getTime() }).catch((): null => null);
  let found = await look();
  if (found?.state === "unmapped") {
    // First sight of these variants: learn their inventory items, then read the versions again
    // (still before the stock is read below). A variant with no stock level stays unmapped: not cached.
    const { rows } = await levelsForVariants(shop, found.variants);
    const pairs = [
      ...new Map(rows.filter((r) => r.variantId).map((r) => [r.variantId!, { variantId: r.variantId!, inventoryItemId: r.inventoryItemId }])).values(),
    ];
    if (pairs.length) found = await mapVariants(shop, pairs).then(look, (): null => null);
  }
  if (found?.state === "hit") return { json: found.answer, view: null, cache: "hit" };

  // A miss: the data as new as the versions just read — this process's copies kept for exactly those
  // versions, else the database (promise-snapshot.ts). Without versions (Redis down, a variant the
  // OMS does not stock), everything is read now.
  let levels: CartLevel[], settings: ShopSettings, today: Map<string, number>, versions: string | null, stockVersion: string | null;
  if (found?.state === "miss") {
    versions = found.versions;
    stockVersion = null;
    const [cfg, ...itemVersions] = versions.split(".") as [string, ...string[]];
    [levels, settings, today] = await Promise.all([
      cartLevels(shop, k.variantIds, itemVersions, cfg),
      shopSettings(shop, cfg),
      routedOn(shop, found.load, now),
    ]);
  } else {
    versions = null;
    let read;
    [read, settings, today] = await Promise.all([levelsForVariants(shop, k.variantIds), shopSettings(shop, null), ordersRoutedOn(shop, now)]);
    levels = read.rows;
    stockVersion = read.stockVersion;
  }
  const { locations, profiles, policy } = settings;
  const rs = settings.ruleSet ?? DEFAULT_RULE_SET;
  const { destination } = k;
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
  const wanted = new Set(items);
  const ctx = contextOf(
    settings.transit,
    settings.incoming.filter((i) => wanted.has(i.inventoryItemId)),
    destination,
    now,
  );
  const profileOf = new Map(profiles.map((p) => [p.locationId, p]));
  const candidates = locations.map((l) => {
    const stock: Record<string, number> = {};
    for (const lv of levels) if (lv.locationId === l.id) stock[lv.inventoryItemId] = atp(lv, policy, now);
    return sourcingLocation(l, profileOf.get(l.id), stock, today.get(l.id) ?? 0);
  });
  const result = promiseDelivery({ ...ctx, sourcing: { lines, destination, delivery: { method: "ship" }, locations: candidates, ruleSet: rs, now } });
  const id = `dp_${createHash("sha1")
    .update([k.cartHash, versions ?? `db:${stockVersion}`, rs.id, rs.version].join("|"))
    .digest("hex")
    .slice(0, 20)}`;
  const view = result.ok ? promiseView(id, result.value, cart.lines) : unavailable(id, now, `no promise: ${result.error.code}`);
  const json = JSON.stringify(view);
  await (versions ? storeAnswer(shop, k.cartHash, versions, id, json) : storeIssued(shop, id, json));
  return { json, view, cache: "miss" };
}

/** Everything a promise needs beyond the sourcing request: methods, transit times, known restocks, holidays. */
export async function promiseContext(
  shop: string,
  inventoryItemIds: string[],
  destination: { countryCode: string; provinceCode: string | null },
  now: Date,
): Promise<Omit<PromiseRequest, "sourcing">> {
  const [transit, incoming] = await Promise.all([transitTimes(shop), incomingStock(shop, inventoryItemIds)]);
  return contextOf(transit, incoming, destination, now);
}

function contextOf(
  transit: PromiseRequest["transit"]["entries"],
  incoming: PromiseRequest["incoming"],
  destination: { countryCode: string; provinceCode: string | null },
  now: Date,
): Omit<PromiseRequest, "sourcing"> {
  const year = now.getUTCFullYear();
  return {
    methods: SHIPPING_METHODS,
    transit: { entries: transit, bands: DEFAULT_BANDS },
    incoming,
    holidays: publicHolidays(destination.countryCode, destination.provinceCode, year, year + 1),
  };
}

export function unavailable(id: string, now: Date, reason: string): PromiseView {
  return { id, at: now.toISOString(), zone: "", confidence: "none", reason, windows: [], parcels: [], undated: [] };
}

export type { DeliveryPromise };
