// A staff refund through refundCreate with @idempotent: planned (pure), reserved against captured −
// refunded − in flight (one guarded write), sent to Shopify under the request's key, then recorded
// and posted once. A double click or a retry is the same request (same key): it never refunds twice.
import { formatMoney } from "~/domain/shared/money";
import { checkAgainstFunds, planRefund, type RefundRefusal, type RefundRequest } from "~/domain/returns/refund";
import { err, ok, type Result } from "~/domain/shared/result";
import { completeRefund, failRefund, findRefundByKey, reserveRefund, type RefundRecordRow } from "../../db/finance";
import { recordTimeline } from "../../db/orders";
import { markReturnRefunded, orderForRefund } from "../../db/returns";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { createRefund, minorOf, type ShopifyRefund } from "../../shopify/returns";
import { exchangeHeldOf } from "../returns/shared";
import { isCapture, syncOrderMoney } from "./order-money";
import { expectedPostings, storeTransactions } from "./refund-facts";

export type RefundCommand = {
  shop: string;
  orderId: string;
  returnId: string | null;
  requestKey: string;
  lines: { sourceLineId: string; quantity: number }[];
  shippingMinor: bigint;
  restockingFeePercent: number;
  storeCreditMinor: bigint;
  /** The value of exchange items set against the returned lines: only the difference is refunded. */
  exchangeMinor?: bigint;
  note: string | null;
  actor: string;
};

export type RefundOutcome = { refundId: string; amountMinor: bigint; currency: string; replayed: boolean };
export type IssueRefundError = RefundRefusal | { code: "ORDER_NOT_FOUND" } | { code: "SHOPIFY_REFUSED"; message: string };

export const describeRefusal = (e: IssueRefundError): string => {
  switch (e.code) {
    case "OVER_CAPTURE": {
      const m = (amount: bigint) => `${formatMoney({ amount, currency: e.currency })} ${e.currency}`;
      return `Refund of ${m(e.requestedMinor)} refused: captured ${m(e.capturedMinor)}, already refunded ${m(e.refundedMinor)}${e.pendingMinor ? `, being refunded ${m(e.pendingMinor)}` : ""}${e.exchangeMinor ? `, exchange items sent in place of returned goods ${m(e.exchangeMinor)}` : ""}; at most ${m(e.refundableMinor)} can be refunded.`;
    }
    case "NOTHING_TO_REFUND":
      return "Nothing to refund.";
    case "INVALID":
      return e.message;
    case "ORDER_NOT_FOUND":
      return "No such order.";
    case "SHOPIFY_REFUSED":
      return `Shopify refused the refund: ${e.message}`;
  }
};

export async function issueRefund(cmd: RefundCommand, now: Date, graphql?: AdminGraphql): Promise<Result<RefundOutcome, IssueRefundError>> {
  const order = await orderForRefund(cmd.shop, cmd.orderId);
  if (!order) return err({ code: "ORDER_NOT_FOUND" });
  const prices = new Map(order.lines.map((l) => [l.sourceLineId, l.unitPriceMinor]));
  if (cmd.lines.some((l) => !prices.has(l.sourceLineId))) return err({ code: "INVALID", message: "a line is not on this order" });
  const request: RefundRequest = {
    lines: cmd.lines.map((l) => ({ ...l, unitPriceMinor: prices.get(l.sourceLineId)! })),
    shippingMinor: cmd.shippingMinor,
    restockingFeePercent: cmd.restockingFeePercent,
    storeCreditMinor: cmd.storeCreditMinor,
    exchangeMinor: cmd.exchangeMinor ?? 0n,
  };
  const plan = planRefund(request);
  if (!plan.ok) return plan;

  const replay = await findRefundByKey(cmd.shop, cmd.requestKey);
  if (replay?.status === "succeeded") {
    // Idempotent: a run that stopped after recording the refund still leaves its return marked refunded.
    if (cmd.returnId) await markReturnRefunded(cmd.returnId, replay.processedAt ?? now);
    return ok({ refundId: replay.sourceId!, amountMinor: replay.amountMinor, currency: replay.currency, replayed: true });
  }
  if (replay?.status === "failed") return err({ code: "SHOPIFY_REFUSED", message: replay.error ?? "refused" });

  const admin = graphql ?? (await adminFor(cmd.shop));
  const money = await syncOrderMoney(cmd.shop, order.sourceId, now, admin);
  if (!money) return err({ code: "ORDER_NOT_FOUND" });
  // Exchange items the customer gets in place of returned goods: that much of the captured money is not refundable.
  const exchangeHeldMinor = await exchangeHeldOf(order.id);
  const reserved = await reserveRefund({
    shop: cmd.shop,
    orderId: order.id,
    orderName: order.name,
    returnId: cmd.returnId,
    requestKey: cmd.requestKey,
    currency: order.currency,
    amountMinor: plan.value.totalMinor,
    linesMinor: plan.value.linesMinor,
    shippingMinor: plan.value.shippingMinor,
    restockingFeeMinor: plan.value.restockingFeeMinor,
    storeCreditMinor: plan.value.storeCreditMinor,
    exchangeHeldMinor,
    note: cmd.note,
    actor: cmd.actor,
    at: now,
  });
  if (reserved.kind === "refused") {
    const refusal = checkAgainstFunds(
      reserved.funds ?? { currency: order.currency, capturedMinor: 0n, refundedMinor: 0n, pendingMinor: 0n, exchangeMinor: exchangeHeldMinor },
      plan.value.totalMinor,
    );
    return refusal.ok ? err({ code: "INVALID", message: "the order's money changed meanwhile; try again" }) : refusal;
  }
  const record = reserved.record;
  if (record.status !== "pending")
    return record.status === "succeeded"
      ? ok({ refundId: record.sourceId!, amountMinor: record.amountMinor, currency: record.currency, replayed: true })
      : err({ code: "SHOPIFY_REFUSED", message: record.error ?? "refused" });

  // Pending (new, or left by a crash): sending it again under the same key is safe — Shopify
  // answers a repeated key with the first result.
  const captures = money.transactions.filter(isCapture);
  const parent = captures[0];
  const fmt = (amount: bigint) => formatMoney({ amount, currency: order.currency });
  // A multi-currency order is refunded in the customer's (presentment) currency, as Shopify requires:
  // the shop-currency amounts at the rate its captures were made at. Shopify answers both amounts.
  const multi = money.presentmentCurrency !== money.currency;
  const toPresentment = presentmentAtCaptureRate(captures);
  const sendAs = (amount: bigint) => (multi ? formatMoney({ amount: toPresentment(amount), currency: money.presentmentCurrency }) : fmt(amount));
  const sent = await createRefund(admin, cmd.requestKey, {
    orderId: order.sourceId,
    note: cmd.note,
    currency: multi ? money.presentmentCurrency : null,
    lines: cmd.lines.filter((l) => l.quantity > 0).map((l) => ({ lineItemId: l.sourceLineId, quantity: l.quantity })),
    shipping: record.shippingMinor > 0n ? sendAs(record.shippingMinor) : null,
    gateway:
      record.amountMinor - record.storeCreditMinor > 0n
        ? { amount: sendAs(record.amountMinor - record.storeCreditMinor), gateway: parent?.gateway ?? "manual", parentId: parent?.id ?? null }
        : null,
    storeCredit:
      record.storeCreditMinor > 0n ? { amount: sendAs(record.storeCreditMinor), currencyCode: multi ? money.presentmentCurrency : order.currency } : null,
  });
  if (!sent.ok) {
    await failRefund(record.id, sent.message, now);
    return err({ code: "SHOPIFY_REFUSED", message: sent.message });
  }
  await finishRefund(record, sent.refund, now);
  await recordTimeline(
    order.id,
    cmd.shop,
    [
      {
        kind: "refund",
        summary: `Refund of ${fmt(record.amountMinor)} ${order.currency} issued${record.storeCreditMinor ? ` (${fmt(record.storeCreditMinor)} as store credit)` : ""}${record.restockingFeeMinor ? `, restocking fee ${fmt(record.restockingFeeMinor)} kept` : ""}${record.shippingMinor ? `, shipping ${fmt(record.shippingMinor)} refunded` : ""}`,
        fromState: null,
        toState: null,
        owner: "finance",
        dedupeKey: `refund:${sent.refund.id}`,
      },
    ],
    { at: now, actor: cmd.actor, source: "user", deliveryId: null },
  );
  if (cmd.returnId) await markReturnRefunded(cmd.returnId, now);
  return ok({ refundId: sent.refund.id, amountMinor: record.amountMinor, currency: record.currency, replayed: false });
}

/** Shop-currency minor units in the presentment currency, at the rate the order's captures were made at (rounded half up). */
function presentmentAtCaptureRate(captures: readonly { amountMinor: bigint; presentmentMinor: bigint }[]) {
  const shop = captures.reduce((n, t) => n + t.amountMinor, 0n);
  const pres = captures.reduce((n, t) => n + t.presentmentMinor, 0n);
  return (minor: bigint) => (shop === 0n ? minor : (minor * pres + shop / 2n) / shop);
}

async function finishRefund(record: RefundRecordRow, refund: ShopifyRefund, now: Date) {
  const txs = refund.transactions.nodes
    .filter((t) => t.kind === "REFUND" && t.status === "SUCCESS")
    .map((t) => ({
      id: t.id,
      gateway: t.gateway ?? "unknown",
      amountMinor: minorOf(t.amountSet.shopMoney.amount, t.amountSet.shopMoney.currencyCode),
      presentmentMinor: minorOf(t.amountSet.presentmentMoney.amount, t.amountSet.presentmentMoney.currencyCode),
    }));
  const total = refund.totalRefundedSet;
  await completeRefund(
    record.id,
    {
      sourceId: refund.id,
      amountMinor: minorOf(total.shopMoney.amount, total.shopMoney.currencyCode),
      presentmentMinor: minorOf(total.presentmentMoney.amount, total.presentmentMoney.currencyCode),
      presentmentCurrency: total.presentmentMoney.currencyCode,
      gateway: txs[0]?.gateway ?? null,
      transactions: storeTransactions(txs),
      processedAt: new Date(refund.createdAt ?? now),
    },
    (r) => expectedPostings(r),
    now,
  );
}
