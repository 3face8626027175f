import { createHash } from "node:crypto";
import { levelsAt, type LevelKey } from "../../db/stock";
import { orderForChanges, ordersHoldingAt } from "../../db/changes";
import { findStockLocation } from "../../db/stock-settings";
import { LEASE_MS, withSourcingLease } from "../../db/sourcing-lease";
import { enqueue } from "../../queue/queues";
import { raiseException } from "../exceptions/raise-exception";
import { waitingLines } from "~/domain/sourcing/backorder";
import type { SourcingPlan } from "~/domain/sourcing/types";
import { raiseUnsourceable, resourceOrder } from "./resource-order";

/**
 * Levels among `levels` where on hand (less units unavailable for other reasons) no longer covers
 * what the OMS has reserved there: a count correction, damage, a WMS feed. One read. Shopify's own
 * committed must say so too: a shipment lowers on hand before the OMS consumes its reservation,
 * but it lowers committed with it, so a level in that window is not mistaken for lost stock.
 */
export async function shortLevels(shop: string, levels: readonly LevelKey[]) {
  const rows = await levelsAt(shop, levels);
  return rows
    .filter((r) => r.onHand - r.unavailable < r.reserved && r.onHand - r.unavailable < r.committed)
    .map((r) => ({ ...r, short: r.reserved - (r.onHand - r.unavailable) }));
}

/** After an observation: if stock was lost under reservations, the re-plan is queued at once (one job per observation). */
export async function requestReplanIfShort(shop: string, levels: readonly LevelKey[], now: Date): Promise<number> {
  const short = await shortLevels(shop, levels);
  if (!short.length) return 0;
  const keys = short.map((s) => ({ inventoryItemId: s.inventoryItemId, locationId: s.locationId })).slice(0, 250);
  const reason = createHash("sha1")
    .update(`${now.getTime()}|${JSON.stringify(short.map((s) => [s.inventoryItemId, s.locationId, s.onHand, s.reserved]))}`)
    .digest("hex")
    .slice(0, 16);
  await enqueue("replanStockLoss", { shop, levels: keys, reason });
  return short.length;
}

/**
 * Stock lost after release: the newest orders holding units at a short level give them up first.
 * Each one's unpicked units there are sourced again — moved or split to another location when the
 * rules allow, otherwise held for stock (backorder demand, no longer reserved) — until the level
 * is covered. The order gets an exception saying what happened; a line nothing can source gets
 * "line_unsourceable" with its options (wait, cancel the line, substitute).
 */
export async function replanStockLoss(shop: string, levels: readonly LevelKey[], now: Date): Promise<{ replanned: number; stillShort: number }> {
  let replanned = 0;
  let busy = 0;
  for (const level of levels) {
    for (const holder of await ordersHoldingAt(shop, level.inventoryItemId, level.locationId)) {
      const [short] = await shortLevels(shop, [level]);
      if (!short) break;
      const order = await orderForChanges(shop, holder.orderId);
      if (!order || order.state === "cancelled") continue;
      const unpicked = order.groups.some(
        (g) =>
          g.locationId === level.locationId &&
          (g.status === "OPEN" || g.status === "SCHEDULED") &&
          (JSON.parse(g.lines) as { inventoryItemId?: string; remaining: number }[]).some(
            (l) => l.inventoryItemId === level.inventoryItemId && l.remaining > 0,
          ),
      );
      const where = await findStockLocation(shop, level.locationId);
      const label = `${short.sku ?? level.inventoryItemId} at ${where?.name ?? level.locationId}`;
      if (!unpicked) {
        // Picking already started there: only a person can sort it out with the location.
        await raiseException(
          {
            shop,
            kind: "out_of_stock_after_release",
            severity: "critical",
            subjectKey: order.id,
            orderId: order.id,
            summary: `${order.name}: ${label} has ${short.onHand} on hand for ${short.reserved} reserved, and picking has started`,
            data: { ...level, onHand: short.onHand, reserved: short.reserved },
          },
          now,
        );
        continue;
      }
      const skuOf = (lineId: string) => order.lines.find((l) => l.sourceLineId === lineId)?.sku ?? lineId;
      // Raised before the units move: once they have, this level no longer lists the order, so a
      // retry of a run that stopped would not raise them.
      const tellUnsourceable = (plan: SourcingPlan) =>
        raiseUnsourceable(
          shop,
          order.id,
          plan,
          (b) => `${order.name}: ${b.quantity} × ${skuOf(b.lineId)} cannot be sourced anywhere. Wait for stock, cancel the line, or substitute.`,
          now,
        );
      const r = await withSourcingLease(
        shop,
        order.id,
        () =>
          resourceOrder(shop, order.id, order.sourceId, now, {
            reason: `stock lost: ${label}`,
            actor: "oms:stock-loss",
            atLocations: new Set([level.locationId]),
            beforeApply: tellUnsourceable,
          }),
        { waitMs: LEASE_MS + 1_000 },
      );
      if (r === "busy") {
        busy++;
        continue;
      }
      replanned++;
      const backordered = r.plan ? [...waitingLines(r.plan)] : [];
      const moved = r.plan ? r.plan.assignments.filter((a) => a.locationId !== level.locationId).reduce((n, a) => n + a.quantity, 0) : 0;
      await raiseException(
        {
          shop,
          kind: "out_of_stock_after_release",
          severity: backordered.length || r.error ? "critical" : "info",
          subjectKey: order.id,
          orderId: order.id,
          summary: `${order.name}: ${label} fell below its reservations; ${moved} unit(s) re-sourced${backordered.length ? `, ${backordered.reduce((n, b) => n + b.quantity, 0)} waiting for stock` : ""}${r.error ? ` (${r.error})` : ""}`,
          data: { ...level, applied: r.applied, moved, backordered },
        },
        now,
      );
    }
  }
  const stillShort = (await shortLevels(shop, levels)).length;
  if (busy) throw new Error(`${busy} order(s) were being sourced by another job; will retry`);
  return { replanned, stillShort };
}
