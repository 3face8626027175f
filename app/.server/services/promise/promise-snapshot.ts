import { allIncomingStock, levelsForVariants, transitTimes } from "../../db/promise";
import { activeRuleSet, locationProfiles, ordersRoutedOn } from "../../db/sourcing";
import { inventoryPolicy, stockLocations } from "../../db/stock-settings";

// This process's copies of what a promise miss computes from, each kept under the Redis version it
// was read for (db/promise-versions.ts), so a miss usually reads no database at all:
//   the shop's settings (rule set, locations, profiles, policy, transit, incoming)  — settings version
//   each cart variant's stock levels                      — the item's stock version and the settings
//                                                           version (safety stock rules rewrite levels)
//   today's orders routed per location (daily capacity)   — the day and the shop's load version
// The rule is the cache's own: a miss reads the versions first, and a copy is used only for exactly
// the versions the miss read; a copy missing or kept for other versions is read from the database
// after those versions were read (for several variants, in one query). Writers bump a version after
// they commit, so a copy read for version v is at least as new as every write whose bump produced v,
// and an answer computed from it may be stored under v. A failed bump (Redis down in a writer)
// could leave a copy behind a committed write while the version stays put: no copy is used once it
// is a minute old — as cached answers, whose minute is in their key.
// Concurrent misses share one read (a copy is a promise); a failed read is forgotten.

export const COPY_MAX_AGE_MS = 60_000;

export type ShopSettings = {
  ruleSet: Awaited<ReturnType<typeof activeRuleSet>>;
  locations: Awaited<ReturnType<typeof stockLocations>>;
  profiles: Awaited<ReturnType<typeof locationProfiles>>;
  policy: Awaited<ReturnType<typeof inventoryPolicy>>;
  transit: Awaited<ReturnType<typeof transitTimes>>;
  incoming: Awaited<ReturnType<typeof allIncomingStock>>;
};
export type CartLevel = Awaited<ReturnType<typeof levelsForVariants>>["rows"][number];

type Copy<T> = { key: string; at: number; value: Promise<T> };
type ShopCopies = { settings?: Copy<ShopSettings>; load?: Copy<Map<string, number>>; stock: Map<string, Copy<CartLevel[]>> };

const shops = new Map<string, ShopCopies>();

function copiesOf(shop: string): ShopCopies {
  let c = shops.get(shop);
  if (!c) {
    if (shops.size >= 10_000) shops.clear();
    c = { stock: new Map() };
    shops.set(shop, c);
  }
  return c;
}

const current = <T>(c: Copy<T> | undefined, key: string, at: number): c is Copy<T> => !!c && c.key === key && at - c.at < COPY_MAX_AGE_MS;

/** Keeps `value` as a copy (set on the shop's copies by `put`), forgotten if the read fails. */
function kept<T>(key: string, value: Promise<T>, put: (c: Copy<T> | undefined) => void, get: () => Copy<T> | undefined): Copy<T> {
  const copy = { key, at: Date.now(), value };
  put(copy);
  value.catch(() => {
    if (get() === copy) put(undefined);
  });
  return copy;
}

const readSettings = (shop: string): Promise<ShopSettings> =>
  Promise.all([activeRuleSet(shop), stockLocations(shop), locationProfiles(shop), inventoryPolicy(shop), transitTimes(shop), allIncomingStock(shop)]).then(
    ([ruleSet, locations, profiles, policy, transit, incoming]) => ({ ruleSet, locations, profiles, policy, transit, incoming }),
  );

/** The shop's promise settings, at least as new as settings version `cfg` (null: no version, read now and not kept). */
export function shopSettings(shop: string, cfg: string | null): Promise<ShopSettings> {
  if (cfg === null) return readSettings(shop);
  const c = copiesOf(shop);
  if (current(c.settings, cfg, Date.now())) return c.settings.value;
  return kept(
    cfg,
    readSettings(shop),
    (x) => (c.settings = x),
    () => c.settings,
  ).value;
}

/** Orders routed to each location on `day`'s UTC date, at least as new as load version `load` ("": read now, not kept). */
export function routedOn(shop: string, load: string, day: Date): Promise<Map<string, number>> {
  if (!load) return ordersRoutedOn(shop, day);
  const c = copiesOf(shop);
  const key = `${day.toISOString().slice(0, 10)}|${load}`;
  if (current(c.load, key, Date.now())) return c.load.value;
  return kept(
    key,
    ordersRoutedOn(shop, day),
    (x) => (c.load = x),
    () => c.load,
  ).value;
}

/**
 * The stock levels of the cart's variants (as levelsForVariants reads them), each variant's at least
 * as new as `versions[i]` (its item's stock version, with the settings version): the copies kept for
 * exactly those versions, the others read in one query.
 */
export async function cartLevels(shop: string, variantIds: readonly string[], versions: readonly string[], cfg: string): Promise<CartLevel[]> {
  const c = copiesOf(shop);
  const at = Date.now();
  const keyOf = (i: number) => `${cfg}|${versions[i]}`;
  const stale = variantIds.filter((v, i) => !current(c.stock.get(v), keyOf(i), at));
  if (stale.length) {
    if (c.stock.size + stale.length > 100_000) c.stock.clear();
    const read = levelsForVariants(shop, stale).then((r) => r.rows);
    for (const v of stale) {
      const i = variantIds.indexOf(v);
      kept(
        keyOf(i),
        read.then((rows) => rows.filter((r) => r.variantId === v)),
        (x) => (x ? c.stock.set(v, x) : c.stock.delete(v)),
        () => c.stock.get(v),
      );
    }
  }
  const rows = (await Promise.all(variantIds.map((v) => c.stock.get(v)!.value))).flat();
  // levelsForVariants' order: by item, then location.
  return rows.sort((a, b) =>
    a.inventoryItemId < b.inventoryItemId
      ? -1
      : a.inventoryItemId > b.inventoryItemId
        ? 1
        : a.locationId < b.locationId
          ? -1
          : a.locationId > b.locationId
            ? 1
            : 0,
  );
}
