// The finance ledger's postings, each under a matching key finance can find in Shopify: a capture
// by its transaction, a refund by its refund and transaction, the refund's components (shipping,
// restocking fee, store credit) by the refund. The key makes a posting happen once.

export const POSTING_KINDS = ["capture", "refund", "shipping_refund", "restocking_fee", "store_credit"] as const;
export type PostingKind = (typeof POSTING_KINDS)[number];

export type Posting = {
  matchKey: string;
  kind: PostingKind;
  orderName: string;
  refundId: string | null;
  transactionId: string | null;
  gateway: string;
  amountMinor: bigint;
  currency: string;
  presentmentMinor: bigint;
  presentmentCurrency: string;
  businessDate: string;
};

export const businessDateOf = (at: Date) => at.toISOString().slice(0, 10);

export type CaptureFact = {
  transactionId: string;
  orderName: string;
  gateway: string;
  amountMinor: bigint;
  currency: string;
  presentmentMinor: bigint;
  presentmentCurrency: string;
  at: Date;
};

export const capturePosting = (c: CaptureFact): Posting => ({
  matchKey: `capture:${c.transactionId}`,
  kind: "capture",
  orderName: c.orderName,
  refundId: null,
  transactionId: c.transactionId,
  gateway: c.gateway,
  amountMinor: c.amountMinor,
  currency: c.currency,
  presentmentMinor: c.presentmentMinor,
  presentmentCurrency: c.presentmentCurrency,
  businessDate: businessDateOf(c.at),
});

export type RefundFact = {
  refundId: string;
  orderName: string;
  currency: string;
  presentmentCurrency: string;
  /** Money back through the payment gateways, one per refund transaction. */
  transactions: readonly { id: string; gateway: string; amountMinor: bigint; presentmentMinor: bigint }[];
  shippingMinor: bigint;
  restockingFeeMinor: bigint;
  storeCreditMinor: bigint;
  at: Date;
};

/** Converts a shop-currency amount to presentment with the refund's own rate (exact when equal currencies). */
function presentment(f: RefundFact, minor: bigint): bigint {
  const shop = f.transactions.reduce((n, t) => n + t.amountMinor, 0n);
  const pres = f.transactions.reduce((n, t) => n + t.presentmentMinor, 0n);
  if (f.currency === f.presentmentCurrency || shop === 0n) return minor;
  return (minor * pres + shop / 2n) / shop;
}

export function refundPostings(f: RefundFact): Posting[] {
  const base = {
    orderName: f.orderName,
    refundId: f.refundId,
    currency: f.currency,
    presentmentCurrency: f.presentmentCurrency,
    businessDate: businessDateOf(f.at),
  };
  const out: Posting[] = f.transactions.map((t) => ({
    ...base,
    matchKey: `refund:${f.refundId}:txn:${t.id}`,
    kind: "refund",
    transactionId: t.id,
    gateway: t.gateway,
    amountMinor: t.amountMinor,
    presentmentMinor: t.presentmentMinor,
  }));
  const gateway = f.transactions[0]?.gateway ?? "none";
  const component = (kind: PostingKind, minor: bigint, gw: string): Posting => ({
    ...base,
    matchKey: `refund:${f.refundId}:${kind}`,
    kind,
    transactionId: null,
    gateway: gw,
    amountMinor: minor,
    presentmentMinor: presentment(f, minor),
  });
  if (f.shippingMinor > 0n) out.push(component("shipping_refund", f.shippingMinor, gateway));
  if (f.restockingFeeMinor > 0n) out.push(component("restocking_fee", f.restockingFeeMinor, gateway));
  if (f.storeCreditMinor > 0n) out.push(component("store_credit", f.storeCreditMinor, "store_credit"));
  return out;
}
