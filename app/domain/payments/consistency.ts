// Payment consistency: what an order's transactions say against its state. Pure: the shell reads
// the transactions from Shopify and raises (or clears) one exception per finding.

export type PaymentTx = {
  id: string;
  kind: "SALE" | "CAPTURE" | "AUTHORIZATION" | "VOID" | "REFUND" | string;
  status: string;
  amountMinor: bigint;
  at: Date;
  parentId: string | null;
  authorizationExpiresAt: Date | null;
};

export type PaymentFacts = { orderId: string; orderName: string; currency: string; cancelledAt: Date | null; transactions: PaymentTx[] };

export type Finding = {
  kind: "capture_after_cancel" | "cancelled_not_refunded" | "authorization_expiring";
  subjectKey: string;
  severity: "critical" | "warning";
  summary: string;
  data: Record<string, string | null>;
};

const ok = (t: PaymentTx) => t.status === "SUCCESS";
const sum = (ts: PaymentTx[]) => ts.reduce((n, t) => n + t.amountMinor, 0n);
const money = (minor: bigint, currency: string) => `${(Number(minor) / 100).toFixed(2)} ${currency}`;

/** Captured (sales and captures) minus refunded. */
export const netCaptured = (ts: PaymentTx[]) =>
  sum(ts.filter((t) => ok(t) && (t.kind === "SALE" || t.kind === "CAPTURE"))) - sum(ts.filter((t) => ok(t) && t.kind === "REFUND"));

/** What an authorisation can still capture: its amount less its captures, nothing once voided or expired. */
export function openAuthorizations(ts: PaymentTx[], now: Date): { tx: PaymentTx; remainingMinor: bigint }[] {
  return ts
    .filter((t) => ok(t) && t.kind === "AUTHORIZATION")
    .filter((a) => !ts.some((t) => ok(t) && t.kind === "VOID" && t.parentId === a.id))
    .filter((a) => !a.authorizationExpiresAt || a.authorizationExpiresAt > now)
    .map((a) => ({ tx: a, remainingMinor: a.amountMinor - sum(ts.filter((t) => ok(t) && t.kind === "CAPTURE" && t.parentId === a.id)) }))
    .filter((a) => a.remainingMinor > 0n);
}

/**
 * The findings for an order now. `refundGraceMs`: how long a cancelled order may take to be
 * refunded before it is reported (refunds are often issued moments after the cancellation).
 * `warnMs`: how long before an open authorisation lapses it is reported.
 */
export function paymentFindings(f: PaymentFacts, now: Date, opts: { refundGraceMs: number; warnMs: number }): Finding[] {
  const out: Finding[] = [];
  if (f.cancelledAt) {
    for (const t of f.transactions.filter((x) => ok(x) && (x.kind === "CAPTURE" || x.kind === "SALE") && x.at > f.cancelledAt!)) {
      out.push({
        kind: "capture_after_cancel",
        subjectKey: `${f.orderId}:${t.id}`,
        severity: "critical",
        summary: `Order ${f.orderName}: ${money(t.amountMinor, f.currency)} captured at ${t.at.toISOString()}, after the order was cancelled at ${f.cancelledAt.toISOString()}. Refund it.`,
        data: { transactionId: t.id, capturedAt: t.at.toISOString(), cancelledAt: f.cancelledAt.toISOString() },
      });
    }
    const net = netCaptured(f.transactions);
    if (net > 0n && now.getTime() - f.cancelledAt.getTime() >= opts.refundGraceMs) {
      out.push({
        kind: "cancelled_not_refunded",
        subjectKey: f.orderId,
        severity: "critical",
        summary: `Order ${f.orderName} was cancelled at ${f.cancelledAt.toISOString()} but ${money(net, f.currency)} captured is not refunded.`,
        data: { netCapturedMinor: net.toString(), cancelledAt: f.cancelledAt.toISOString() },
      });
    }
  } else {
    for (const a of openAuthorizations(f.transactions, now)) {
      const expires = a.tx.authorizationExpiresAt;
      if (expires && expires.getTime() - now.getTime() <= opts.warnMs) {
        out.push({
          kind: "authorization_expiring",
          subjectKey: `${f.orderId}:${a.tx.id}`,
          severity: "warning",
          summary: `Order ${f.orderName}: authorisation of ${money(a.remainingMinor, f.currency)} still to capture lapses at ${expires.toISOString()}. Ship and capture, or capture now.`,
          data: { transactionId: a.tx.id, expiresAt: expires.toISOString(), remainingMinor: a.remainingMinor.toString() },
        });
      }
    }
  }
  return out;
}

/** A shipment's share of the order's payment: its lines at their unit prices, plus shipping on the first one. */
export function shipmentShare(lines: { unitPriceMinor: bigint; quantity: number }[], shippingMinor: bigint, firstShipment: boolean): bigint {
  return lines.reduce((n, l) => n + l.unitPriceMinor * BigInt(l.quantity), 0n) + (firstShipment ? shippingMinor : 0n);
}
