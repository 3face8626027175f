import { setLocationOffline, unpickedGroupsAt } from "../../db/changes";
import { findOrderById } from "../../db/order-queries";
import { findStockLocation, stockLocations } from "../../db/stock-settings";
import { LEASE_MS, withSourcingLease } from "../../db/sourcing-lease";
import { waitingLines } from "~/domain/sourcing/backorder";
import type { SourcingPlan } from "~/domain/sourcing/types";
import { previewResource, raiseUnsourceable, resourceOrder } from "./resource-order";

export type OfflinePreviewRow = {
  orderId: string;
  orderName: string;
  moves: { sku: string; quantity: number; to: string }[];
  waiting: { sku: string; quantity: number }[];
  error: string | null;
};

const groupLines = (raw: string) => JSON.parse(raw) as { lineItemId: string; sku: string | null; remaining: number }[];

/** Where each open, unpicked fulfilment order at the location would go if it went offline now. */
export async function previewLocationOffline(shop: string, locationId: string, now: Date): Promise<OfflinePreviewRow[]> {
  const groups = await unpickedGroupsAt(shop, locationId);
  const names = new Map((await stockLocations(shop)).map((l) => [l.id, l.name]));
  const byOrder = new Map(groups.map((g) => [g.orderId, g]));
  const rows: OfflinePreviewRow[] = [];
  for (const [orderId, g] of byOrder) {
    const skuOf = new Map(
      groups.filter((x) => x.orderId === orderId).flatMap((x) => groupLines(x.lines).map((l) => [l.lineItemId, l.sku ?? l.lineItemId] as const)),
    );
    const p = await previewResource(shop, orderId, now, { exclude: new Set([locationId]), atLocations: new Set([locationId]) });
    if (!p) continue;
    if (!p.decided.ok) {
      rows.push({ orderId, orderName: g.order.name, moves: [], waiting: [], error: p.decided.error.code });
      continue;
    }
    const plan = p.decided.value;
    rows.push({
      orderId,
      orderName: g.order.name,
      moves: plan.assignments.map((a) => ({ sku: skuOf.get(a.lineId) ?? a.lineId, quantity: a.quantity, to: names.get(a.locationId) ?? a.locationId })),
      waiting: waitingLines(plan).map((b) => ({ sku: skuOf.get(b.lineId) ?? b.lineId, quantity: b.quantity })),
      error: null,
    });
  }
  return rows.sort((a, b) => a.orderName.localeCompare(b.orderName));
}

/**
 * A location goes offline mid-day (a closure, a failing integration): marked unavailable (audited),
 * and its open, unpicked fulfilment orders are sourced again in one action, each under its order's
 * lease. Units nothing else can ship wait for stock, each with an exception for a person.
 */
export async function takeLocationOffline(staff: { shop: string; actor: string }, locationId: string, reason: string, now: Date) {
  await setLocationOffline(staff.shop, locationId, true, reason, staff.actor, now);
  const name = (await findStockLocation(staff.shop, locationId))?.name ?? locationId;
  const orders = [...new Set((await unpickedGroupsAt(staff.shop, locationId)).map((g) => g.orderId))];
  const results: { orderId: string; applied: string; error: string | null }[] = [];
  for (const orderId of orders) {
    const order = await findOrderById(staff.shop, orderId);
    if (!order) continue;
    // Raised before the units move: once they have, the location lists no unpicked work of this
    // order, so pressing again after a run that stopped would not raise them.
    const tellUnsourceable = (plan: SourcingPlan) =>
      raiseUnsourceable(
        staff.shop,
        orderId,
        plan,
        (b) => `${order.name}: ${b.quantity} unit(s) cannot be sourced with ${name} offline. Wait for stock, cancel the line, or substitute.`,
        now,
      );
    const r = await withSourcingLease(
      staff.shop,
      orderId,
      () =>
        resourceOrder(staff.shop, orderId, order.sourceId, now, {
          reason: `${name} offline`,
          actor: staff.actor,
          exclude: new Set([locationId]),
          atLocations: new Set([locationId]),
          beforeApply: tellUnsourceable,
        }),
      { waitMs: LEASE_MS + 1_000 },
    );
    if (r === "busy") {
      results.push({ orderId, applied: "busy", error: "another pass is sourcing it; run again" });
      continue;
    }
    results.push({ orderId, applied: r.applied, error: r.error });
  }
  return { location: name, orders: results.length, applied: results.filter((r) => r.applied === "applied").length, results };
}

export async function bringLocationOnline(staff: { shop: string; actor: string }, locationId: string, now: Date) {
  return setLocationOffline(staff.shop, locationId, false, null, staff.actor, now);
}
