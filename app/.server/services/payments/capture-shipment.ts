import { openAuthorizations, shipmentShare } from "~/domain/payments/consistency";
import { orderPolicy } from "../../db/order-policy";
import { findOrderHead, recordTimeline } from "../../db/orders";
import { claimCapture, finishCapture } from "../../db/payments";
import { NonRetriableError } from "../../errors";
import { adminFor } from "../../shopify/admin";
import { captureAmount, fetchOrderPayments } from "../../shopify/payments";

/**
 * Capture policy "on_shipment": when a shipment leaves, its share of the payment (its lines, plus
 * shipping on the first) is captured from the order's open authorisation with orderCapture; the
 * last shipment's capture is final. One capture per (shipment, authorisation), whatever repeats.
 */
export async function captureForShipment(shop: string, orderGid: string, fulfillmentId: string, now: Date): Promise<string> {
  const policy = await orderPolicy(shop);
  if (policy.captureMode !== "on_shipment") return "capture at checkout: nothing to do";
  const order = await findOrderHead(shop, orderGid);
  if (!order) throw new Error(`order ${orderGid} not known yet; will retry`);
  const graphql = await adminFor(shop);
  const p = await fetchOrderPayments(graphql, orderGid, order.id);
  if (!p) throw new NonRetriableError(`Shopify has no order ${orderGid}`);
  if (p.cancelledAt) return "order cancelled: nothing captured";
  const auth = openAuthorizations(p.transactions, now)[0];
  if (!auth) return "no open authorisation";
  const lines = p.shipments.get(fulfillmentId);
  if (!lines) throw new NonRetriableError(`Shopify has no fulfillment ${fulfillmentId} on ${orderGid}`);
  const share = shipmentShare(lines, p.shippingMinor, p.fulfillmentIds[0] === fulfillmentId);
  const amount = p.fulfilled ? auth.remainingMinor : share < auth.remainingMinor ? share : auth.remainingMinor;
  if (amount <= 0n) return "nothing to capture";
  const claim = await claimCapture({
    shop,
    orderId: order.id,
    captureKey: fulfillmentId,
    parentTransactionId: auth.tx.id,
    amountMinor: amount,
    currency: p.currency,
    actor: "oms:capture-policy",
    at: now,
  });
  if (!claim.claimed) return `capture for this shipment already ${claim.status}`;
  const r = await captureAmount(graphql, orderGid, auth.tx.id, amount, p.currency, p.fulfilled);
  const money = `${(Number(amount) / 100).toFixed(2)} ${p.currency}`;
  await finishCapture(claim.id, r.ok ? { status: "captured", transactionId: r.transactionId } : { status: "failed", error: r.message });
  await recordTimeline(
    order.id,
    shop,
    [
      {
        kind: r.ok ? "note" : "exception",
        summary: r.ok
          ? `Captured ${money} for shipment ${fulfillmentId.split("/").pop()}${p.fulfilled ? " (final capture)" : ""}`
          : `Capture of ${money} for shipment ${fulfillmentId.split("/").pop()} refused by Shopify: ${r.message}`,
        fromState: null,
        toState: null,
        owner: "finance",
        dedupeKey: `capture:${fulfillmentId}`,
      },
    ],
    { at: now, actor: "oms:capture-policy", source: "oms", deliveryId: null },
  );
  return r.ok ? `captured ${money}` : `capture refused: ${r.message}`;
}
