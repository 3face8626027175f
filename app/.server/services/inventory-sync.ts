import { createHash } from "node:crypto";
import { atp, isStale } from "~/domain/inventory/atp";
import type { PushLevel } from "~/domain/inventory/plan-push";
import { batches, planHoldMoves } from "~/domain/inventory/plan-push";
import { confirmedByReport } from "~/domain/inventory/confirm-report";
import { levelKey } from "~/domain/inventory/level-order";
import { effectiveSafetyStock } from "~/domain/inventory/safety-stock";
import {
  clearLevelReads,
  levelsAt,
  markPushed,
  pendingLevelReads,
  recordObservedLevels,
  requestLevelReads,
  adoptMovementReads,
  stockLevelPage,
  stockLevels,
  recordConfirmedLevels,
  type LevelConfirmation,
  type LevelKey,
  type ObservedLevel,
} from "../db/stock";
import { inventoryPolicy, safetyStockRules, saveLocations } from "../db/stock-settings";
import { ordersAwaitingStock } from "../db/sourcing";
import { requestReplanIfShort } from "./changes/stock-loss";
import { enqueue, enqueueForWindow } from "../queue/queues";
import { adminFor, type AdminGraphql } from "../shopify/admin";
import { fetchItemLevels, fetchLevels, fetchLocationLevels, fetchLocations, pushHoldMoves } from "../shopify/inventory";

// Inventory sync with Shopify: read quantities by state (observed facts with their time), then
// push the OMS's ATP back as each location's `available` by holding the difference in safety_stock.

async function record(shop: string, levels: readonly ObservedLevel[], at: Date) {
  if (!levels.length) return { changed: [] as string[] };
  const rules = await safetyStockRules(shop);
  const recorded = await recordObservedLevels(shop, levels, at, (item, loc) => effectiveSafetyStock(rules, item, loc));
  // Stock lost under reservations (a count, damage, a WMS feed) is re-planned at once.
  if (recorded.changed.length) {
    const changed = new Set(recorded.changed);
    await requestReplanIfShort(
      shop,
      levels.filter((l) => changed.has(l.inventoryItemId)),
      at,
    );
  }
  return recorded;
}

/** Re-reads the given items' levels from Shopify. */
export async function refreshItems(shop: string, inventoryItemIds: readonly string[], now: Date, graphql?: AdminGraphql) {
  const g = graphql ?? (await adminFor(shop, "inventory"));
  return record(shop, await fetchItemLevels(g, inventoryItemIds), now);
}

/** Reads every location and every level of the shop, a page of 100 levels at a time. */
export async function refreshAllLevels(shop: string, now: Date, graphql?: AdminGraphql): Promise<{ levels: number }> {
  const g = graphql ?? (await adminFor(shop, "inventory"));
  const locations = await fetchLocations(g);
  await saveLocations(shop, locations);
  let count = 0;
  for (const loc of locations.filter((l) => l.isActive)) {
    let after: string | null = null;
    do {
      const page = await fetchLocationLevels(g, loc.id, after);
      await record(shop, page.levels, now);
      count += page.levels.length;
      after = page.next;
    } while (after);
  }
  return { levels: count };
}

const toPushLevel = (r: Awaited<ReturnType<typeof stockLevels>>[number]): PushLevel => ({
  inventoryItemId: r.inventoryItemId,
  locationId: r.locationId,
  onHand: r.onHand,
  reserved: r.reserved,
  safetyStock: r.safetyStock,
  committed: r.committed,
  unavailable: r.unavailable,
  observedAt: r.observedAt,
  available: r.shopifyAvailable,
  heldBack: r.heldBack,
});

export type PushReport = { moved: number; calls: number; staleRetries: number };

/**
 * Makes Shopify's available equal the OMS's ATP for the given items (or every level; `only`: just
 * these levels of them). Delta-only, in calls of at most 250 moves, each move compare-and-swapped
 * on both states; a stale level is re-read and planned again (up to three times — after that the
 * job retries with backoff).
 */
export async function pushAtp(
  shop: string,
  now: Date,
  inventoryItemIds?: readonly string[],
  graphql?: AdminGraphql,
  only?: readonly LevelKey[],
): Promise<PushReport> {
  const wanted = only && new Set(only.map(levelKey));
  const g = graphql ?? (await adminFor(shop, "inventory"));
  const policy = await inventoryPolicy(shop);
  const report: PushReport = { moved: 0, calls: 0, staleRetries: 0 };
  let items = inventoryItemIds ? [...inventoryItemIds] : null;
  for (let round = 0; round < 4; round++) {
    const stale = new Set<string>();
    const staleLevels = new Map<string, LevelKey>();
    // A refused call applies none of its moves (Shopify's inventory mutations are all or nothing):
    // every item in it is planned again, not only the stale ones.
    const refused = new Set<string>();
    for await (const read of levelsOf(shop, items)) {
      const levels = wanted ? read.filter((l) => wanted.has(levelKey(l))) : read;
      const observed = new Map(levels.map((l) => [`${l.inventoryItemId}|${l.locationId}`, l.observedAt?.toISOString() ?? ""]));
      for (const batch of batches(planHoldMoves(levels.map(toPushLevel), policy, now))) {
        // The key names the moves and the reads they were planned on: a retry of this very push
        // is answered from Shopify's idempotency record, while the same moves planned on a later
        // read (a level back in an earlier state) are a new push, not a replay.
        const key = createHash("sha256")
          .update(`${shop}|${JSON.stringify(batch.map((m) => [m, observed.get(`${m.inventoryItemId}|${m.locationId}`)]))}`)
          .digest("hex")
          .slice(0, 40);
        const result = await pushHoldMoves(g, batch, key, `gid://oms/AtpPush/${key}`);
        report.calls++;
        if (result.kind === "applied") {
          await markPushed(shop, result.after, now);
          report.moved += batch.length;
        } else if (result.kind === "stale") {
          result.inventoryItemIds.forEach((i) => stale.add(i));
          for (const m of batch) {
            refused.add(m.inventoryItemId);
            if (stale.has(m.inventoryItemId)) staleLevels.set(`${m.inventoryItemId}|${m.locationId}`, m);
          }
        } else {
          throw new Error(`Shopify rejected the ATP push: ${result.errors.map((e) => `${e.code}: ${e.message}`).join("; ")}`);
        }
      }
    }
    if (!stale.size) return report;
    if (round === 3) throw new Error(`ATP push still stale after re-reading ${stale.size} item(s)`);
    report.staleRetries++;
    items = [...refused];
    // Re-read just the levels the refused moves were planned on (a level costs a tenth of an item).
    await record(shop, await fetchLevels(g, [...staleLevels.values()]), now);
  }
  return report;
}

async function* levelsOf(shop: string, items: string[] | null) {
  if (items) {
    for (let i = 0; i < items.length; i += 500) yield await stockLevels(shop, { inventoryItemIds: items.slice(i, i + 500) });
    return;
  }
  let after: string | null = null;
  for (;;) {
    const page = await stockLevelPage(shop, after, 5_000);
    if (!page.length) return;
    yield page;
    after = page[page.length - 1]!.id;
  }
}

/** The inventory-sync job: re-read the items, then push what changed. */
export async function syncItems(shop: string, inventoryItemIds: readonly string[], now: Date) {
  const g = await adminFor(shop, "inventory");
  await refreshItems(shop, inventoryItemIds, now, g);
  const report = await pushAtp(shop, now, inventoryItemIds, g);
  await reconsiderBackorders(shop, inventoryItemIds, now);
  return report;
}

// Stock may have arrived: orders held for it get another look, after every read (another job may
// have read the change first). The job id names this read: a finished job with the same id would
// swallow the new one.
async function reconsiderBackorders(shop: string, inventoryItemIds: readonly string[], now: Date) {
  if ((await ordersAwaitingStock(shop)).length)
    await enqueue("releaseBackorders", {
      shop,
      reason: `stock-${now.getTime()}-${createHash("sha1")
        .update([...inventoryItemIds].sort().join(","))
        .digest("hex")
        .slice(0, 12)}`,
    });
}

/**
 * Level changes come in bursts (a checkout commits each line; a move shifts committed between two
 * locations; every push is echoed): reads are asked for per level and served per shop in windows
 * of this length, one flush job reading every level asked for in the window at once. Two seconds:
 * the storefront's available follows the OMS's ATP within about that (Shopify commits its own
 * checkouts at once; the push carries other channels' reservations and safety stock), and in
 * `sourcing-apply 400 20` a flush's statements cost 0.3 an order instead of 1.0 at 500 ms, with no
 * level left off and fewer level reads (docs/performance.md, eighth round).
 */
const FLUSH_WINDOW_MS = 2000;
/** Levels one flush job reads before it hands the rest to the next window. */
const FLUSH_BATCH = 250;

// A flush job runs after its window has closed, so the window it asks for here is always a later one.
export const requestFlush = (shop: string) => enqueueForWindow("inventoryFlush", FLUSH_WINDOW_MS, (window) => ({ shop, reason: window }));

/** Asks for levels to be re-read and pushed, by the shop's next flush. */
export async function requestLevelSync(shop: string, levels: readonly LevelKey[], now: Date): Promise<void> {
  if (!levels.length) return;
  await requestLevelReads(shop, levels, now);
  await requestFlush(shop);
}

/**
 * The inventory-flush job: read the levels asked for (requests, and the levels orders' movements
 * changed), push the items they belong to, clear the requests they served.
 */
export async function flushLevelReads(shop: string, now: Date): Promise<PushReport & { levels: number; more: boolean }> {
  // The levels orders' movements changed since the last flush join the requests first.
  await adoptMovementReads(shop, now);
  const pending = await pendingLevelReads(shop, FLUSH_BATCH);
  if (!pending.length) return { levels: 0, more: false, moved: 0, calls: 0, staleRetries: 0 };
  const g = await adminFor(shop, "inventory");
  const held = new Map((await levelsAt(shop, pending)).map((l) => [levelKey(l), l]));
  // A level whose Shopify available follows from a report or the OMS's own releases, and is its ATP, is not read (confirmedByReport).
  const policy = await inventoryPolicy(shop);
  const confirmations: LevelConfirmation[] = [];
  for (const p of pending) {
    const l = held.get(levelKey(p));
    const observed = l && confirmedByReport(l, p, policy, now);
    if (l && observed)
      confirmations.push({
        inventoryItemId: p.inventoryItemId,
        locationId: p.locationId,
        was: { onHand: l.onHand, available: l.shopifyAvailable, committed: l.committed, unavailable: l.unavailable, heldBack: l.heldBack },
        now: observed,
        reportedAt: p.reportedAt,
      });
  }
  const confirmed = await recordConfirmedLevels(shop, confirmations, now);
  // The others are read: levels the OMS holds as quantities only, a new one with its item's SKU and title.
  const toRead = pending.filter((p) => !confirmed.has(levelKey(p)));
  if (toRead.length) await record(shop, await fetchLevels(g, toRead, (l) => !held.has(levelKey(l))), now);
  const items = [...new Set(pending.map((p) => p.inventoryItemId))];
  // Only the levels this flush served: another level of the same items may have a reservation
  // newer than its last read (its own flush is coming), and a push planned on that would be
  // refused as stale — and take every other move of its call down with it.
  const report = await pushAtp(shop, now, items, g, pending);
  await clearLevelReads(shop, pending);
  await reconsiderBackorders(shop, items, now);
  const more = pending.length === FLUSH_BATCH;
  if (more) await requestFlush(shop);
  return { ...report, levels: pending.length, more };
}

export type AtpRecompute = { levels: number; totalAtp: number; zeroAtp: number; stale: number; movesNeeded: number };

/**
 * The full ATP recompute over every level of a shop, in keyset pages: what each location may
 * promise and how many levels Shopify would need moved. Reads only; the push and the reconciler
 * act on the same plan.
 */
export async function recomputeAtp(shop: string, now: Date): Promise<AtpRecompute> {
  const policy = await inventoryPolicy(shop);
  const out: AtpRecompute = { levels: 0, totalAtp: 0, zeroAtp: 0, stale: 0, movesNeeded: 0 };
  for await (const page of levelsOf(shop, null)) {
    const levels = page.map(toPushLevel);
    for (const l of levels) {
      const a = atp(l, policy, now);
      out.levels++;
      out.totalAtp += a;
      if (a === 0) out.zeroAtp++;
      if (isStale(l, policy, now)) out.stale++;
    }
    out.movesNeeded += planHoldMoves(levels, policy, now).length;
  }
  return out;
}
