// refunds/create from Shopify: recorded once per Refund id and posted to the finance ledger — or,
// when it takes the order's refunds above what was captured (a gateway or data drift outside the
// OMS), recorded as over_capture, not posted, and raised as refund_over_capture for a person.
// Our own refunds are recorded when Shopify answers; their webhook finds them recorded.
import { parseJsonExact } from "~/schemas/json";
import { refundFinanceSchema } from "~/schemas/shopify-order-payloads";
import { formatMoney } from "~/domain/shared/money";
import { completeRefund, pendingRefundsOf, recordExternalRefund } from "../../db/finance";
import { findOrderHead } from "../../db/orders";
import { findReturnBySource, markReturnRefunded } from "../../db/returns";
import type { AdminGraphql } from "../../shopify/admin";
import { minorOf } from "../../shopify/returns";
import { findDelivery } from "../../db/webhook-deliveries";
import { NonRetriableError } from "../../errors";
import { syncOrderMoney } from "./order-money";
import { expectedPostings, STORE_CREDIT_GATEWAY, storeTransactions } from "./refund-facts";

/** Retriable: our own refund to this order is in flight; its answer records it, then this finds it. */
export class RefundInFlightError extends Error {
  override name = "RefundInFlightError";
}

/**
 * How long an OMS refund request may be waiting on Shopify's answer (a staff request or a
 * settlement job: seconds, with retries). A refund still pending after this had its request stop
 * after it was sent (a crash, a deploy): nothing else will record it.
 */
export const REFUND_IN_FLIGHT_MS = 5 * 60_000;

/** The recordRefund job: the stored refunds/create delivery, recorded in the finance ledger. */
export async function recordRefundDelivery(shop: string, deliveryId: string, now: Date): Promise<string> {
  const d = await findDelivery(deliveryId);
  if (!d || d.shop !== shop) throw new NonRetriableError(`delivery ${deliveryId} does not exist`);
  // The order id read from the raw text: ids above 2^53 do not survive a JSON number.
  const orderId = /"order_id"\s*:\s*"?(\d+)/.exec(d.body)?.[1];
  if (!orderId) throw new NonRetriableError(`refunds/create ${deliveryId} names no order`);
  return recordShopifyRefund(shop, `gid://shopify/Order/${orderId}`, parseJsonExact(d.body), now);
}

export async function recordShopifyRefund(
  shop: string,
  orderGid: string,
  body: unknown,
  now: Date,
  graphql?: AdminGraphql,
): Promise<"recorded" | "already_recorded" | "over_capture" | "unknown_order"> {
  const r = refundFinanceSchema.parse(body);
  const head = await findOrderHead(shop, orderGid);
  if (!head) return "unknown_order";
  const pending = await pendingRefundsOf(head.id);
  if (pending.some((p) => now.getTime() - p.createdAt.getTime() < REFUND_IN_FLIGHT_MS))
    throw new RefundInFlightError(`refund ${r.admin_graphql_api_id}: an OMS refund to this order is in flight`);
  const money = await syncOrderMoney(shop, orderGid, now, graphql);
  if (!money) return "unknown_order";
  // Amounts in shop and presentment money come from Shopify's transactions (the REST payload has presentment only).
  const ids = new Set(r.transactions.filter((t) => t.kind === "refund" && t.status === "success").map((t) => t.admin_graphql_api_id));
  const txs = money.transactions.filter((t) => ids.has(t.id));
  const amountMinor = txs.reduce((n, t) => n + t.amountMinor, 0n);
  const storeCredit = txs.filter((t) => t.gateway === STORE_CREDIT_GATEWAY).reduce((n, t) => n + t.amountMinor, 0n);
  const shipping = r.refund_shipping_lines.reduce(
    (n, l) => n + (l.subtotal_amount_set ? minorOf(l.subtotal_amount_set.shop_money.amount, l.subtotal_amount_set.shop_money.currency_code) : 0n),
    0n,
  );
  const processedAt = new Date(r.processed_at ?? r.created_at);
  const ret = r.return ? await findReturnBySource(shop, r.return.admin_graphql_api_id) : null;
  const record = {
    shop,
    orderId: head.id,
    orderName: money.name,
    returnId: ret?.id ?? null,
    currency: money.currency,
    sourceId: r.admin_graphql_api_id,
    amountMinor,
    presentmentMinor: txs.reduce((n, t) => n + t.presentmentMinor, 0n),
    presentmentCurrency: money.presentmentCurrency,
    shippingMinor: shipping,
    storeCreditMinor: storeCredit,
    gateway: txs.find((t) => t.gateway !== STORE_CREDIT_GATEWAY)?.gateway ?? txs[0]?.gateway ?? null,
    transactions: storeTransactions(txs),
    note: r.note ?? null,
    actor: "shopify:webhook refunds/create",
    processedAt,
  };
  // An OMS refund of this amount whose request stopped after sending it: this is that refund, so it
  // completes that record with Shopify's facts (guarded on pending: once) rather than being recorded
  // a second time beside a reservation nothing would ever release.
  const stopped = pending.find((p) => p.amountMinor === amountMinor);
  if (stopped && (await completeRefund(stopped.id, record, (row) => expectedPostings(row), now))) {
    const returnId = stopped.returnId ?? ret?.id;
    if (returnId) await markReturnRefunded(returnId, processedAt);
    return "recorded";
  }
  const m = (a: bigint) => `${formatMoney({ amount: a, currency: money.currency })} ${money.currency}`;
  const outcome = await recordExternalRefund(
    record,
    expectedPostings({ ...record, restockingFeeMinor: 0n, transactions: record.transactions, createdAt: processedAt }),
    now,
    (funds) => ({
      shop,
      kind: "refund_over_capture",
      severity: "critical",
      subjectKey: r.admin_graphql_api_id,
      orderId: head.id,
      summary: `Shopify refunded ${m(amountMinor)} on ${money.name}: refunds now ${m(funds.refundedMinor)} against ${m(funds.capturedMinor)} captured. Not posted to the finance ledger until finance looks at it.`,
      data: {
        refundId: r.admin_graphql_api_id,
        amountMinor: amountMinor.toString(),
        capturedMinor: funds.capturedMinor.toString(),
        refundedMinor: funds.refundedMinor.toString(),
        currency: money.currency,
      },
    }),
  );
  // Idempotent (guarded on the return's refundedAt): also on a retry that finds the refund recorded,
  // so a worker that died after the record still marks the return refunded.
  if (ret) await markReturnRefunded(ret.id, processedAt);
  return outcome;
}
