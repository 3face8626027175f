// Returns KPIs over a period: return rate (units returned / units shipped), refund amount, and the
// time from receipt to refund (median hours).
export type ReturnsKpis = { returnRatePercent: number | null; refundedMinor: bigint; currency: string | null; medianReceiptToRefundHours: number | null };

export function returnsKpis(input: {
  unitsShipped: number;
  unitsReturned: number;
  refunds: readonly { amountMinor: bigint; currency: string }[];
  receiptToRefund: readonly { receivedAt: Date; refundedAt: Date }[];
}): ReturnsKpis {
  const returnRatePercent = input.unitsShipped > 0 ? Math.round((input.unitsReturned / input.unitsShipped) * 1000) / 10 : null;
  const currency = input.refunds[0]?.currency ?? null;
  const refundedMinor = input.refunds.filter((r) => r.currency === currency).reduce((n, r) => n + r.amountMinor, 0n);
  const hours = input.receiptToRefund
    .map((r) => (r.refundedAt.getTime() - r.receivedAt.getTime()) / 3_600_000)
    .filter((h) => h >= 0)
    .sort((a, b) => a - b);
  const mid = Math.floor(hours.length / 2);
  const median = hours.length === 0 ? null : hours.length % 2 ? hours[mid]! : (hours[mid - 1]! + hours[mid]!) / 2;
  return { returnRatePercent, refundedMinor, currency, medianReceiptToRefundHours: median === null ? null : Math.round(median * 10) / 10 };
}
