import { promiseKpis } from "../promise/promise-kpis";

/**
 * Promised vs actual delivery for the dashboard, from the delivery promise's own KPIs
 * (services/promise/promise-kpis.ts): one row per carrier (all zones) and one per destination zone
 * (all carriers), each counting delivered promises kept (on or before the promised latest day) and
 * late. Null when no promised order was delivered in the range (the chart's empty state).
 */
export type PromiseKpiRow = { carrier: string; zone: string; promised: number; onTime: number; late: number; onTimeRate: number | null };

export async function promiseKpisOrNull(shop: string, from: Date, to: Date): Promise<PromiseKpiRow[] | null> {
  const k = await promiseKpis(shop, from, to);
  if (k.delivered === 0) return null;
  const rate = (kept: number, delivered: number) => (delivered ? Math.round((1000 * kept) / delivered) / 10 : null);
  return [
    ...k.byCarrier.map((r) => ({
      carrier: r.key,
      zone: "all zones",
      promised: r.delivered,
      onTime: r.kept,
      late: r.delivered - r.kept,
      onTimeRate: rate(r.kept, r.delivered),
    })),
    ...k.byZone.map((r) => ({
      carrier: "all carriers",
      zone: r.key,
      promised: r.delivered,
      onTime: r.kept,
      late: r.delivered - r.kept,
      onTimeRate: rate(r.kept, r.delivered),
    })),
  ];
}
