import { duePreOrders, groupsOf } from "../../db/release";
import { adminFor } from "../../shopify/admin";
import { openScheduledFulfillmentOrders } from "../../shopify/scheduled";
import { enqueue } from "../../queue/queues";

/**
 * The scheduled job for pre-orders: an order held until its selling plan's fulfilment date is
 * due. Its SCHEDULED fulfilment orders are opened in Shopify (Shopify may have done it already),
 * and the order is read again: the release rules then release it and it is routed.
 */
export async function releaseDuePreOrders(now: Date): Promise<{ due: number }> {
  const due = await duePreOrders(now);
  for (const o of due) {
    const scheduled = await groupsOf(o.id, "SCHEDULED");
    if (scheduled.length)
      await openScheduledFulfillmentOrders(
        await adminFor(o.shop),
        scheduled.map((g) => g.sourceId),
      );
    await enqueue("syncOrder", {
      shop: o.shop,
      orderId: o.sourceId,
      reason: `pre-order-due-${now.toISOString().slice(0, 16)}`,
      via: "pre-order date",
      scope: "fulfilment",
    });
  }
  return { due: due.length };
}
