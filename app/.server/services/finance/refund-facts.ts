// A refund as the finance ledger sees it: its gateway transactions, store credit and components.
import { refundPostings, type Posting, type RefundFact } from "~/domain/finance/postings";

export const STORE_CREDIT_GATEWAY = "shopify_store_credit";

export type StoredTransaction = { id: string; gateway: string; amount: string; presentment: string };

export const storeTransactions = (ts: readonly { id: string; gateway: string; amountMinor: bigint; presentmentMinor: bigint }[]): StoredTransaction[] =>
  ts.map((t) => ({ id: t.id, gateway: t.gateway, amount: t.amountMinor.toString(), presentment: t.presentmentMinor.toString() }));

type RecordLike = {
  sourceId: string | null;
  orderName: string;
  currency: string;
  presentmentCurrency: string;
  transactions: string | null | unknown;
  shippingMinor: bigint;
  restockingFeeMinor: bigint;
  storeCreditMinor: bigint;
  processedAt: Date | null;
  createdAt: Date;
};

const parsed = (t: unknown): StoredTransaction[] =>
  typeof t === "string" ? (JSON.parse(t) as StoredTransaction[]) : Array.isArray(t) ? (t as StoredTransaction[]) : [];

/** The postings a recorded refund must have: gateway refunds by transaction, store credit, shipping, restocking fee. */
export function expectedPostings(r: RecordLike): Posting[] {
  if (!r.sourceId) return [];
  const ts = parsed(r.transactions);
  const fact: RefundFact = {
    refundId: r.sourceId,
    orderName: r.orderName,
    currency: r.currency,
    presentmentCurrency: r.presentmentCurrency,
    transactions: ts
      .filter((t) => t.gateway !== STORE_CREDIT_GATEWAY)
      .map((t) => ({ id: t.id, gateway: t.gateway, amountMinor: BigInt(t.amount), presentmentMinor: BigInt(t.presentment) })),
    shippingMinor: r.shippingMinor,
    restockingFeeMinor: r.restockingFeeMinor,
    storeCreditMinor: r.storeCreditMinor,
    at: r.processedAt ?? r.createdAt,
  };
  return refundPostings(fact);
}
