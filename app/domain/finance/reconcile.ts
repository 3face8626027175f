// Daily reconciliation: Shopify's refunds (as recorded from Shopify) against the finance ledger.
// A refund whose expected postings are not all there, a posting whose refund Shopify does not have,
// and totals per day, gateway and currency (shop and presentment). "Explained" differences are the
// ones a person already has in the exception queue (e.g. a refund above the captured amount).
import { formatMoney } from "../shared/money";
import type { Posting, PostingKind } from "./postings";

export type KnownRefund = {
  refundId: string;
  orderName: string;
  status: string;
  amountMinor: bigint;
  currency: string;
  expected: readonly Posting[];
  explainedBy: string | null;
};
export type LedgerPosting = Posting;

export type Difference = {
  kind: "refund_without_posting" | "refund_not_recorded" | "posting_without_refund" | "amount_mismatch";
  refundId: string;
  orderName: string;
  detail: string;
  explainedBy: string | null;
};
export type TotalRow = {
  day: string;
  gateway: string;
  kind: PostingKind;
  currency: string;
  amountMinor: bigint;
  presentmentCurrency: string;
  presentmentMinor: bigint;
  count: number;
};
export type Reconciliation = { from: string; to: string; differences: Difference[]; unexplained: number; totals: TotalRow[] };

/** A refund as Shopify lists it, read back for the day: the OMS may never have heard of it (a lost webhook). */
export type ShopifyRefundSeen = { refundId: string; orderName: string; amountMinor: bigint; currency: string };

export function reconcile(
  from: string,
  to: string,
  refunds: readonly KnownRefund[],
  postings: readonly LedgerPosting[],
  shopifyRefunds: readonly ShopifyRefundSeen[] = [],
): Reconciliation {
  const byKey = new Map(postings.map((p) => [p.matchKey, p]));
  const refundIds = new Set([...refunds.map((r) => r.refundId), ...shopifyRefunds.map((r) => r.refundId)]);
  const differences: Difference[] = [];
  const recorded = new Set(refunds.map((r) => r.refundId));
  for (const s of shopifyRefunds) {
    if (!recorded.has(s.refundId))
      differences.push({
        kind: "refund_not_recorded",
        refundId: s.refundId,
        orderName: s.orderName,
        detail: `Shopify refunded ${formatMoney({ amount: s.amountMinor, currency: s.currency })} ${s.currency}; the OMS has no record and no posting`,
        explainedBy: null,
      });
  }
  for (const r of refunds) {
    const missing = r.expected.filter((e) => !byKey.has(e.matchKey));
    if (missing.length)
      differences.push({
        kind: "refund_without_posting",
        refundId: r.refundId,
        orderName: r.orderName,
        detail: `no ${missing.map((m) => m.kind).join(", ")} posting (${formatMoney({ amount: r.amountMinor, currency: r.currency })} ${r.currency})`,
        explainedBy: r.explainedBy,
      });
    for (const e of r.expected) {
      const p = byKey.get(e.matchKey);
      if (p && p.amountMinor !== e.amountMinor)
        differences.push({
          kind: "amount_mismatch",
          refundId: r.refundId,
          orderName: r.orderName,
          detail: `${e.kind} posted ${formatMoney({ amount: p.amountMinor, currency: p.currency })}, refund says ${formatMoney({ amount: e.amountMinor, currency: e.currency })}`,
          explainedBy: null,
        });
    }
  }
  for (const p of postings) {
    if (p.refundId && !refundIds.has(p.refundId))
      differences.push({
        kind: "posting_without_refund",
        refundId: p.refundId,
        orderName: p.orderName,
        detail: `${p.kind} ${formatMoney({ amount: p.amountMinor, currency: p.currency })} ${p.currency} posted, no such refund`,
        explainedBy: null,
      });
  }
  const totals = new Map<string, TotalRow>();
  for (const p of postings) {
    const key = [p.businessDate, p.gateway, p.kind, p.currency, p.presentmentCurrency].join("|");
    const t = totals.get(key) ?? {
      day: p.businessDate,
      gateway: p.gateway,
      kind: p.kind,
      currency: p.currency,
      amountMinor: 0n,
      presentmentCurrency: p.presentmentCurrency,
      presentmentMinor: 0n,
      count: 0,
    };
    t.amountMinor += p.amountMinor;
    t.presentmentMinor += p.presentmentMinor;
    t.count += 1;
    totals.set(key, t);
  }
  const rows = [...totals.values()].sort(
    (a, b) => a.day.localeCompare(b.day) || a.gateway.localeCompare(b.gateway) || a.kind.localeCompare(b.kind) || a.currency.localeCompare(b.currency),
  );
  return { from, to, differences, unexplained: differences.filter((d) => !d.explainedBy).length, totals: rows };
}

// CSV that opens cleanly in a spreadsheet: every field quoted, quotes doubled, CRLF line ends, a
// leading ' on text a spreadsheet would run as a formula, amounts as plain decimals.
const cell = (v: string | number) => {
  let s = String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
};
const row = (values: (string | number)[]) => values.map(cell).join(",");

export function postingsCsv(postings: readonly LedgerPosting[]): string {
  const header = [
    "business_date",
    "kind",
    "order",
    "gateway",
    "shopify_refund_id",
    "shopify_transaction_id",
    "matching_key",
    "amount",
    "currency",
    "presentment_amount",
    "presentment_currency",
  ];
  const sorted = [...postings].sort((a, b) => a.businessDate.localeCompare(b.businessDate) || a.matchKey.localeCompare(b.matchKey));
  const lines = sorted.map((p) =>
    row([
      p.businessDate,
      p.kind,
      p.orderName,
      p.gateway,
      p.refundId ?? "",
      p.transactionId ?? "",
      p.matchKey,
      formatMoney({ amount: p.amountMinor, currency: p.currency }),
      p.currency,
      formatMoney({ amount: p.presentmentMinor, currency: p.presentmentCurrency }),
      p.presentmentCurrency,
    ]),
  );
  // One totals row per currency and kind: mixing currencies or kinds in one sum would mean nothing.
  const totals = new Map<string, { kind: string; currency: string; amount: bigint; presentmentCurrency: string; presentment: bigint; n: number }>();
  for (const p of sorted) {
    const k = `${p.kind}|${p.currency}|${p.presentmentCurrency}`;
    const t = totals.get(k) ?? { kind: p.kind, currency: p.currency, amount: 0n, presentmentCurrency: p.presentmentCurrency, presentment: 0n, n: 0 };
    t.amount += p.amountMinor;
    t.presentment += p.presentmentMinor;
    t.n += 1;
    totals.set(k, t);
  }
  const totalRows = [...totals.values()]
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.currency.localeCompare(b.currency))
    .map((t) =>
      row([
        "TOTAL",
        t.kind,
        `${t.n} postings`,
        "",
        "",
        "",
        "",
        formatMoney({ amount: t.amount, currency: t.currency }),
        t.currency,
        formatMoney({ amount: t.presentment, currency: t.presentmentCurrency }),
        t.presentmentCurrency,
      ]),
    );
  return [row(header), ...lines, ...totalRows].join("\r\n") + "\r\n";
}
