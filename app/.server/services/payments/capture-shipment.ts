import { openAuthorizations, shipmentShare } from "~/domain/payments/consistency";
import { orderPolicy } from "../../db/order-policy";
import { findOrderHead, recordTimeline } from "../../db/orders";
import { claimCapture, finishCapture, recordedCaptureIds, requestedCaptureFor } from "../../db/payments";
import { NonRetriableError } from "../../errors";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
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
  const left = await requestedCaptureFor(shop, fulfillmentId);
  // Claimed by a run still waiting on Shopify (seconds): tried again later, by when it has answered or stopped.
  if (left && now.getTime() - left.at.getTime() < CAPTURE_IN_FLIGHT_MS) throw new Error(`capture for shipment ${fulfillmentId} in flight; will retry`);
  const graphql = await adminFor(shop);
  const p = await fetchOrderPayments(graphql, orderGid, order.id);
  if (!p) throw new NonRetriableError(`Shopify has no order ${orderGid}`);
  if (left) return resumeCapture(graphql, shop, order.id, orderGid, fulfillmentId, left, p, now);
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
  return recordCapture(shop, order.id, fulfillmentId, { id: claim.id, amountMinor: amount, currency: p.currency }, r, p.fulfilled, now);
}

/**
 * How long a capture may wait on Shopify's answer (one orderCapture call). A claim still
 * "requested" after this had its run stop between the claim and recording the answer.
 */
export const CAPTURE_IN_FLIGHT_MS = 2 * 60_000;

/**
 * A claim a stopped run left "requested": orderCapture has no idempotency key, so Shopify's
 * transactions say whether it was made — a capture of the claimed amount on the claimed
 * authorisation that no other claim of the order has recorded. Found: recorded, not captured
 * again. Not found: captured now, under the claim it already holds.
 */
async function resumeCapture(
  graphql: AdminGraphql,
  shop: string,
  orderId: string,
  orderGid: string,
  fulfillmentId: string,
  left: { id: string; parentTransactionId: string; amountMinor: bigint; currency: string },
  p: NonNullable<Awaited<ReturnType<typeof fetchOrderPayments>>>,
  now: Date,
): Promise<string> {
  const recorded = await recordedCaptureIds(orderId);
  const made = p.transactions.find(
    (t) =>
      t.kind === "CAPTURE" && t.status === "SUCCESS" && t.parentId === left.parentTransactionId && t.amountMinor === left.amountMinor && !recorded.has(t.id),
  );
  const r = made
    ? { ok: true as const, transactionId: made.id }
    : await captureAmount(graphql, orderGid, left.parentTransactionId, left.amountMinor, left.currency, p.fulfilled);
  return recordCapture(shop, orderId, fulfillmentId, left, r, p.fulfilled, now);
}

/** The answer recorded: the timeline's entry first (one per shipment), then the claim settled (guarded on requested). */
async function recordCapture(
  shop: string,
  orderId: string,
  fulfillmentId: string,
  claim: { id: string; amountMinor: bigint; currency: string },
  r: { ok: true; transactionId: string } | { ok: false; message: string },
  final: boolean,
  now: Date,
): Promise<string> {
  const money = `${(Number(claim.amountMinor) / 100).toFixed(2)} ${claim.currency}`;
  await recordTimeline(
    orderId,
    shop,
    [
      {
        kind: r.ok ? "note" : "exception",
        summary: r.ok
          ? `Captured ${money} for shipment ${fulfillmentId.split("/").pop()}${final ? " (final capture)" : ""}`
          : `Capture of ${money} for shipment ${fulfillmentId.split("/").pop()} refused by Shopify: ${r.message}`,
        fromState: null,
        toState: null,
        owner: "finance",
        dedupeKey: `capture:${fulfillmentId}`,
      },
    ],
    { at: now, actor: "oms:capture-policy", source: "oms", deliveryId: null },
  );
  await finishCapture(claim.id, r.ok ? { status: "captured", transactionId: r.transactionId } : { status: "failed", error: r.message });
  return r.ok ? `captured ${money}` : `capture refused: ${r.message}`;
}
