/**
 * What an order should hold, against what it holds: the ledger movements that close the gap.
 * The routing decision is the reservation — an order holds units at the location its fulfilment
 * orders are assigned to, for as long as they remain to be fulfilled.
 */

import { compareLevels } from "./level-order";

export type GroupLine = { inventoryItemId: string | null; quantity: number; remaining: number };
/** awaitingStock: held by the OMS until stock arrives — backorder demand, not a reservation against stock that is not there. */
export type Group = { status: string; locationId: string | null; lines: readonly GroupLine[]; awaitingStock?: boolean };
/** Per (item, location) for this order, from the ledger: net reserved, and consumed so far. */
export type Held = { inventoryItemId: string; locationId: string; reserved: number; consumed: number; /** ledger entries so far */ movements: number };
export type Movement = { kind: "reserve" | "release" | "consume"; inventoryItemId: string; locationId: string; quantity: number; key: string };

/** Fulfilment order statuses whose remaining units are still owed (Shopify keeps them committed). */
const OWED = new Set(["OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED"]);
const k = (item: string, loc: string) => `${item}|${loc}`;

export function desiredReservations(groups: readonly Group[], cancelled: boolean): Map<string, number> {
  const want = new Map<string, number>();
  if (cancelled) return want;
  for (const g of groups) {
    if (!g.locationId || !OWED.has(g.status) || g.awaitingStock) continue;
    for (const l of g.lines)
      if (l.inventoryItemId && l.remaining > 0) want.set(k(l.inventoryItemId, g.locationId), (want.get(k(l.inventoryItemId, g.locationId)) ?? 0) + l.remaining);
  }
  return want;
}

function fulfilledUnits(groups: readonly Group[]): Map<string, number> {
  const done = new Map<string, number>();
  for (const g of groups) {
    if (!g.locationId || g.status === "CANCELLED") continue;
    for (const l of g.lines)
      if (l.inventoryItemId && l.quantity > l.remaining)
        done.set(k(l.inventoryItemId, g.locationId), (done.get(k(l.inventoryItemId, g.locationId)) ?? 0) + l.quantity - l.remaining);
  }
  return done;
}

/**
 * Movements for one order. A decrease is a consume as far as units were fulfilled at that location
 * and not yet consumed, and a release otherwise (cancelled, moved away, edited out). Keys name the
 * ledger position (how many entries this order has at this level) and the transition, so a replay
 * or a concurrent duplicate plan from the same ledger collides on its key and writes nothing new,
 * while the same transition made again later (reserve, lost, reserve again) gets a new key.
 */
export function planOrderReservations(orderId: string, groups: readonly Group[], cancelled: boolean, held: readonly Held[]): Movement[] {
  const want = desiredReservations(groups, cancelled);
  const done = fulfilledUnits(groups);
  const have = new Map(held.map((h) => [k(h.inventoryItemId, h.locationId), h]));
  const keys = [...new Set([...want.keys(), ...have.keys()])];
  const out: Movement[] = [];
  for (const key of keys) {
    const [item, loc] = key.split("|") as [string, string];
    const h = have.get(key);
    const before = h?.reserved ?? 0;
    const target = want.get(key) ?? 0;
    const tag = `order:${orderId}:${item}:${loc}:#${h?.movements ?? 0}:${before}->${target}`;
    if (target > before) {
      out.push({ kind: "reserve", inventoryItemId: item, locationId: loc, quantity: target - before, key: `${tag}:reserve` });
    } else if (target < before) {
      const drop = before - target;
      const consume = cancelled ? 0 : Math.min(drop, Math.max(0, (done.get(key) ?? 0) - (h?.consumed ?? 0)));
      if (consume > 0) out.push({ kind: "consume", inventoryItemId: item, locationId: loc, quantity: consume, key: `${tag}:consume` });
      if (drop > consume) out.push({ kind: "release", inventoryItemId: item, locationId: loc, quantity: drop - consume, key: `${tag}:release` });
    }
  }
  return out.sort(compareLevels);
}
