import { desiredReservations, planOrderReservations, type Movement } from "~/domain/inventory/plan-order-reservations";
import type { OrderState } from "~/domain/order/lifecycle";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import { clearOrderException, orderStockView, recordTimeline, type GroupsHead, type Provenance } from "../db/orders";
import { withOrderLock } from "../db/order-lock";
import { applyOrderReservations, missingLevels, type StockShortfall } from "../db/stock";
import { stockLocations } from "../db/stock-settings";
import { refreshItems, requestFlush } from "./inventory-sync";

export const STOCK_SHORTFALL = "STOCK_SHORTFALL";

const VERB = { reserve: "Reserved", release: "Released", consume: "Consumed (shipped)" } as const;

type StockGroups = readonly {
  status: string;
  locationId: string | null;
  lines: readonly { inventoryItemId?: string | null; quantity: number; remaining: number }[];
}[];

/**
 * Reads from Shopify the levels the OMS has never read that `groups` would reserve (a new product,
 * or an order before the first inventory sync), so a reservation is judged against real stock, not
 * a missing row. A Shopify call: made before the order's lock is taken, never inside it.
 */
export async function prepareOrderLevels(shop: string, groups: StockGroups, cancelled: boolean, p: Provenance): Promise<void> {
  const normalised = groups.map((g) => ({ ...g, lines: g.lines.map((l) => ({ ...l, inventoryItemId: l.inventoryItemId ?? null })) }));
  const wanted = [...desiredReservations(normalised, cancelled).keys()].map((k) => ({ inventoryItemId: k.split("|")[0]!, locationId: k.split("|")[1]! }));
  const missing = await missingLevels(shop, wanted);
  if (missing.length) await refreshItems(shop, [...new Set(missing.map((m) => m.inventoryItemId))], p.at);
}

/**
 * Brings an order's reservations in line with its fulfilment groups: reserve what a location
 * owes, consume what it shipped, release what was cancelled, moved away or edited out. A line
 * that cannot be reserved flags the order STOCK_SHORTFALL (cleared once it fits); Shopify's
 * available is then brought to the new ATP by an inventory-sync job. Runs under the order's lock.
 */
export async function syncOrderReservations(shop: string, orderId: string, p: Provenance): Promise<{ applied: Movement[]; shortfalls: StockShortfall[] }> {
  const seen = await orderStockView(shop, orderId);
  if (seen) await prepareOrderLevels(shop, seen.groups, seen.cancelled, p);
  const { applied, shortfalls } = await withOrderLock(shop, orderId, () => reserveForOrderLocked(shop, orderId, p));
  await afterReservations(shop, applied);
  return { applied, shortfalls };
}

/**
 * ATP changed where reservations moved: those levels are read and pushed by the shop's next flush,
 * which finds them by their movements (written `awaitingRead`: no request row per order). After
 * the order's lock is released (it enqueues a job: no Redis call inside a transaction); a flush
 * that is never asked for (Redis down) leaves them to the next flush of the shop.
 */
export async function afterReservations(shop: string, applied: readonly Movement[]): Promise<void> {
  if (applied.length) await requestFlush(shop);
}

/**
 * The locked part of `syncOrderReservations`: the order's groups and the ledger are read inside the
 * order's lock, so the plan is made from what no other writer can change before it is applied.
 * Callers hold `withOrderLock(shop, orderId, …)` and call `afterReservations` once it is released.
 */
export async function reserveForOrderLocked(
  shop: string,
  orderId: string,
  p: Provenance,
  written?: Parameters<typeof orderStockView>[2],
  head?: GroupsHead,
  // The shop's location names, when the caller holds them already: not read again under the lock.
  locationNames?: ReadonlyMap<string, string>,
  // `deferEntries`: the timeline entries (when no exception comes with them) are returned, not
  // written: the caller writes them under the same lock with its own (sync-order.ts, applyOrderRead).
  opts: { deferEntries?: boolean } = {},
): Promise<{ applied: Movement[]; shortfalls: StockShortfall[]; state: OrderState | null; deferred?: TimelineEntry[] }> {
  // Units held for an order the OMS no longer has (deleted, redacted) are owed to nobody: release them.
  // `written`: the groups the caller has just written under this lock (not read back), and `head`:
  // the order as that write returned it (not read again).
  const order = (await orderStockView(shop, orderId, written, head)) ?? {
    id: orderId,
    name: null,
    state: null,
    exception: null,
    cancelled: true,
    groups: [],
    missing: true as const,
  };
  const { applied, shortfalls } = await applyOrderReservations(
    shop,
    orderId,
    (held) => planOrderReservations(orderId, order.groups, order.cancelled, held),
    p.at,
    p.actor,
    // What the order holds, as the guarded write that returned the head read it under this lock.
    head?.held,
  );

  const where = new Map(order.groups.map((g) => [g.locationId, g.locationName]));
  const skus = new Map(order.groups.flatMap((g) => g.lines.map((l) => [l.inventoryItemId, l.sku] as const)));

  // A release where the order no longer has a group (it moved away) names the location too.
  if ([...applied, ...shortfalls].some((m) => !where.get(m.locationId))) {
    const names = locationNames ?? new Map((await stockLocations(shop)).map((l) => [l.id, l.name]));
    for (const [id, name] of names) if (!where.get(id)) where.set(id, name);
  }
  const label = (item: string, loc: string) => `${skus.get(item) ?? item} at ${where.get(loc) ?? loc}`;
  // Units on hold at a location waiting for stock are backordered, not an exception: sourcing
  // released them when stock arrives (release-backorders.ts). Any other shortfall needs a person.
  const onHold = new Set(order.groups.filter((g) => g.status === "ON_HOLD").flatMap((g) => g.lines.map((l) => `${l.inventoryItemId}|${g.locationId}`)));
  const waiting = shortfalls.filter((s) => onHold.has(`${s.inventoryItemId}|${s.locationId}`));
  const unexpected = shortfalls.filter((s) => !onHold.has(`${s.inventoryItemId}|${s.locationId}`));
  // Units waiting for stock are visible demand, not reservations (planOrderReservations leaves them out).
  const demand = order.groups
    .filter((g) => g.awaitingStock && g.locationId)
    .flatMap((g) =>
      g.lines.filter((l) => l.inventoryItemId && l.remaining > 0).map((l) => ({ item: l.inventoryItemId!, loc: g.locationId!, qty: l.remaining })),
    );
  const entries: TimelineEntry[] = [
    ...demand.map((d) => ({
      kind: "inventory" as const,
      summary: `Backordered ${d.qty} × ${label(d.item, d.loc)}: waiting for stock, not reserved`,
      fromState: null,
      toState: null,
      owner: "oms" as const,
      dedupeKey: `backorder-demand:${d.item}:${d.loc}:${d.qty}`,
    })),
    ...applied.map((m) => ({
      kind: "inventory" as const,
      summary: `${VERB[m.kind]} ${m.quantity} × ${label(m.inventoryItemId, m.locationId)}`,
      fromState: null,
      toState: null,
      owner: "oms" as const,
      dedupeKey: `stock:${m.key}`,
    })),
    ...waiting.map((s) => ({
      kind: "inventory" as const,
      summary: `Backordered ${s.requested} × ${label(s.inventoryItemId, s.locationId)}: on hold until stock arrives`,
      fromState: null,
      toState: null,
      owner: "oms" as const,
      dedupeKey: `backordered:${s.inventoryItemId}:${s.locationId}:${s.requested}`,
    })),
    ...unexpected.map((s) => ({
      kind: "exception" as const,
      summary: `Cannot reserve ${s.requested} × ${label(s.inventoryItemId, s.locationId)}: not enough available to promise`,
      fromState: null,
      toState: null,
      owner: "oms" as const,
      dedupeKey: `shortfall:${s.inventoryItemId}:${s.locationId}:${s.requested}`,
    })),
  ];
  const deferred = opts.deferEntries && !unexpected.length && !("missing" in order);
  if (entries.length && !("missing" in order) && !deferred)
    await recordTimeline(orderId, shop, entries, { ...p, source: "oms" }, unexpected.length ? STOCK_SHORTFALL : undefined);
  if (!unexpected.length && order.exception === STOCK_SHORTFALL) await clearOrderException(orderId, STOCK_SHORTFALL);

  // The order's state as read under the lock (null: the OMS no longer has it), for the caller's next step.
  return { applied, shortfalls, state: order.state, ...(deferred ? { deferred: entries.map((e) => ({ ...e, actor: p.actor, source: "oms" as const })) } : {}) };
}
