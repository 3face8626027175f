import { explanationText } from "~/domain/sourcing/record-decision";
import { planFulfillmentChanges } from "~/domain/sourcing/plan-fulfillment-changes";
import { findOrderById } from "../db/order-queries";
import { recordTimeline } from "../db/orders";
import { awaitsStock, liveDecision, ordersAwaitingStock, saveDecision } from "../db/sourcing";
import { LEASE_MS, withSourcingLease } from "../db/sourcing-lease";
import { enqueue } from "../queue/queues";
import { adminFor } from "../shopify/admin";
import { applyFoOp, backorderHandle, releaseBackorderHolds } from "../shopify/fulfillment-orders";
import { decideFor, decisionRow, loadSourcingInput } from "./route-order";
import { syncOrderFromShopify } from "./sync-order";

/**
 * Backorders come back when stock does: for every order the OMS put on hold for stock, decide
 * again on today's ATP; once nothing would wait any more, lift the OMS's own holds (never anyone
 * else's), move the units where the engine now wants them, and record the new decision.
 */
export async function releaseBackorders(shop: string, now: Date): Promise<{ waiting: number; released: number; busy: number }> {
  const orders = await ordersAwaitingStock(shop);
  let released = 0;
  let busy = 0;
  for (const orderId of orders) {
    const r = await resourceBackorder(shop, orderId, now);
    if (r === "released") released++;
    if (r === "busy") busy++;
  }
  // An order another pass was sourcing is looked at again by a follow-up pass once that pass's lease
  // is over (one per shop per 5-s window, however many passes found orders busy), not by failing
  // this job: with several workers and a stream of stock changes, passes met each other's leases
  // often enough to use up their retries and end in the dead letters with orders still backordered.
  if (busy) await enqueue("releaseBackorders", { shop, reason: `busy-${Math.floor(now.getTime() / 5_000)}` }, { delayMs: LEASE_MS });
  return { waiting: orders.length - released, released, busy };
}

/** Sources a backordered order again, holding its sourcing lease so no other pass releases it twice. */
export async function resourceBackorder(shop: string, orderId: string, now: Date): Promise<"released" | "still waiting" | "gone" | "busy"> {
  return withSourcingLease(shop, orderId, async () => {
    // Another pass may have released it since the list was read.
    if (!awaitsStock(await liveDecision(shop, orderId))) return "gone" as const;
    return resourceClaimed(shop, orderId, now);
  });
}

async function resourceClaimed(shop: string, orderId: string, now: Date): Promise<"released" | "still waiting" | "gone"> {
  const x = await loadSourcingInput(shop, orderId, now);
  const order = await findOrderById(shop, orderId);
  if (!x || !order || order.state === "cancelled") return "gone";
  const decided = decideFor(x, now);
  if (!decided.ok || decided.value.hold || decided.value.backorders.length) return "still waiting";

  const graphql = await adminFor(shop);
  for (const g of x.order.groups.filter((g) => g.status === "ON_HOLD")) await releaseBackorderHolds(graphql, g.id, backorderHandle(orderId));
  await syncOrderFromShopify(shop, { orderId: order.sourceId }, "sourcing", now, "fulfilment");

  // On the groups as they are now (released), place the units where the engine wants them.
  const fresh = await loadSourcingInput(shop, orderId, now);
  const again = fresh && decideFor(fresh, now);
  if (!fresh || !again?.ok) return "still waiting";
  const changes = planFulfillmentChanges(fresh.groups, again.value);
  let error: string | null = changes.ok ? null : `cannot re-route: ${changes.error.code}`;
  for (const op of changes.ok ? changes.ops : []) {
    const r = await applyFoOp(graphql, op, backorderHandle(orderId));
    if (!r.ok) {
      error = `Shopify refused: ${r.message}`;
      break;
    }
  }
  await syncOrderFromShopify(shop, { orderId: order.sourceId }, "sourcing", now, "fulfilment");
  const plan = again.value;
  // A released backorder ships everything the plan places: none of it is recorded as backordered.
  await saveDecision({ ...decisionRow(shop, orderId, "live", fresh.ruleSet, plan, error ? "rejected" : "applied", error, now), backordered: 0 });
  await recordTimeline(
    orderId,
    shop,
    [
      {
        kind: "note",
        summary: `Backorder released: stock arrived. ${explanationText(plan.decision.explanation)}${error ? ` (${error})` : ""}`,
        fromState: null,
        toState: null,
        owner: "oms",
        dedupeKey: `backorder-released:${now.toISOString()}`,
      },
    ],
    { at: now, actor: "oms:sourcing", source: "oms", deliveryId: null },
  );
  return "released";
}
