import {
  fulfillmentOrderIdOf,
  fulfillmentPayloadSchema,
  orderEditedSchema,
  fulfillmentOrderEventSchema,
  orderPayloadSchema,
  refundPayloadSchema,
} from "~/schemas/shopify-order-payloads";
import { findOrderHead, recordTimeline } from "../db/orders";
import type { StoredDelivery } from "../db/webhook-deliveries";
import { enqueue } from "../queue/queues";
import { snapshotFromOrderPayload } from "../shopify/order-snapshot";
import { intakeOrderSnapshot } from "./intake-order";
import { syncOrderReservations } from "./order-stock";

/** A retriable failure: the fact refers to an order the OMS has not received yet. */
export class OrderNotYetKnownError extends Error {
  override name = "OrderNotYetKnownError";
}

const orderGid = (id: number | string) => `gid://shopify/Order/${id}`;

export async function handleOrderSnapshotWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const snap = snapshotFromOrderPayload(orderPayloadSchema.parse(JSON.parse(d.body)));
  const result = await intakeOrderSnapshot(d.shop, snap, `webhook ${d.topic}`, {
    at: now,
    actor: `shopify:webhook ${d.topic}`,
    source: "shopify",
    deliveryId: d.id,
  });
  // A cancellation releases what the order held (its groups are re-read by the sync that follows).
  if (result.outcome !== "stale") await syncOrderReservations(d.shop, result.orderId, { at: now, actor: `shopify:webhook ${d.topic}`, source: "shopify", deliveryId: d.id });
  if (result.outcome === "created" && d.topic === "orders/create") {
    // Fulfilment orders are created by Shopify's routing after the order; fetch them once now.
    await enqueue("syncOrder", { shop: d.shop, orderId: snap.sourceId, reason: d.id, via: "order intake" });
  }
  return result.outcome;
}

export async function handleOrderEdited(d: StoredDelivery): Promise<string> {
  const { order_edit } = orderEditedSchema.parse(JSON.parse(d.body));
  await enqueue("syncOrder", { shop: d.shop, orderId: orderGid(order_edit.order_id), reason: d.id, via: "webhook orders/edited" });
  return "sync queued";
}

export async function handleFulfillmentOrderWebhook(d: StoredDelivery): Promise<string> {
  const foId = fulfillmentOrderIdOf(fulfillmentOrderEventSchema.parse(JSON.parse(d.body)));
  if (!foId) throw new Error("unreachable: schema requires a fulfillment order");
  await enqueue("syncOrder", { shop: d.shop, fulfillmentOrderId: foId, reason: d.id, via: `webhook ${d.topic}` });
  return "sync queued";
}

export async function handleFulfillmentWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const f = fulfillmentPayloadSchema.parse(JSON.parse(d.body));
  const head = await findOrderHead(d.shop, orderGid(f.order_id));
  if (!head) throw new OrderNotYetKnownError(`fulfillment ${f.id} for unknown order ${f.order_id}`);
  const tracking = [f.tracking_company, f.tracking_number ?? f.tracking_numbers?.[0]].filter(Boolean).join(" ");
  await recordTimeline(
    head.id,
    d.shop,
    [
      {
        kind: "fulfillment",
        summary: `Fulfillment ${f.status}${f.shipment_status ? `, shipment ${f.shipment_status}` : ""}${tracking ? ` (${tracking})` : ""}`,
        fromState: null,
        toState: null,
        owner: f.shipment_status ? "carrier" : "location",
        dedupeKey: `fulfillment:${f.id}:${f.status}:${f.shipment_status ?? ""}`,
      },
    ],
    { at: now, actor: `shopify:webhook ${d.topic}`, source: "shopify", deliveryId: d.id },
  );
  await enqueue("syncOrder", { shop: d.shop, orderId: orderGid(f.order_id), reason: d.id, via: `webhook ${d.topic}` });
  return "recorded";
}

export async function handleRefundWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const r = refundPayloadSchema.parse(JSON.parse(d.body));
  const head = await findOrderHead(d.shop, orderGid(r.order_id));
  if (!head) throw new OrderNotYetKnownError(`refund ${r.id} for unknown order ${r.order_id}`);
  const refunded = r.transactions.filter((t) => t.kind === "refund" && t.status === "success");
  const amounts = refunded.map((t) => `${t.amount}${t.currency ? ` ${t.currency}` : ""}`).join(" + ") || "no money";
  await recordTimeline(
    head.id,
    d.shop,
    [
      {
        kind: "refund",
        summary: `Refund of ${amounts} for ${r.refund_line_items.reduce((n, l) => n + l.quantity, 0)} item(s)${r.note ? `: ${r.note}` : ""}`,
        fromState: null,
        toState: null,
        owner: "finance",
        dedupeKey: `refund:${r.id}`,
      },
    ],
    { at: now, actor: `shopify:webhook ${d.topic}`, source: "shopify", deliveryId: d.id },
  );
  return "recorded";
}
