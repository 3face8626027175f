import { bucketFor, delta, kpiDays, kpiSummary, previousPeriod, toCsv, type KpiInput, type KpiSummary } from "~/domain/ops/kpis";
import { exceptionsRaised, liveDecisions, ordersPlaced, returnEvents, shipTransitions } from "../../db/ops-kpis";
import { periodSchema } from "~/schemas/ops-forms";
import { promiseKpisOrNull } from "./promise-kpis";

const DAY = 86_400_000;

/** The dashboard's period from the query string: whole UTC days, `to` inclusive; the last 30 days by default, at most a year. */
export function periodOf(url: URL, now: Date) {
  const p = periodSchema.parse(Object.fromEntries(url.searchParams));
  const to = p.to ? new Date(Date.parse(p.to) + DAY) : new Date(Date.parse(now.toISOString().slice(0, 10)) + DAY);
  const from = p.from ? new Date(Date.parse(p.from)) : new Date(to.getTime() - 30 * DAY);
  return from < to && to.getTime() - from.getTime() <= 366 * DAY ? { from, to } : { from: new Date(to.getTime() - 30 * DAY), to };
}

async function load(shop: string, from: Date, to: Date): Promise<KpiInput> {
  const [orders, decisions, shipped, returns, raised] = await Promise.all([
    ordersPlaced(shop, from, to),
    liveDecisions(shop, from),
    shipTransitions(shop, from),
    returnEvents(shop, from),
    exceptionsRaised(shop, from, to),
  ]);
  const shippedAt = new Map<string, Date>();
  for (const s of shipped) if (!shippedAt.has(s.orderId) || shippedAt.get(s.orderId)! > s.at) shippedAt.set(s.orderId, s.at);
  return { from, to, orders, decisions, shippedAt, returned: new Set(returns.map((r) => r.orderId)), exceptionsRaised: raised };
}

const RATES = ["firstAttemptAllocationRate", "splitRate", "backorderRate", "returnRate", "exceptionLoadPer100"] as const;

export async function dashboardView(shop: string, from: Date, to: Date) {
  const prev = previousPeriod(from, to);
  const [current, previous, promise] = await Promise.all([load(shop, from, to), load(shop, prev.from, prev.to), promiseKpisOrNull(shop, from, to)]);
  const summary = kpiSummary(current);
  const before = kpiSummary(previous);
  const changes = Object.fromEntries([
    ...RATES.map((k) => [k, delta(summary[k], before[k], "points")]),
    ["orders", delta(summary.orders, before.orders, "percent")],
    ["shipHoursP50", delta(summary.shipHoursP50, before.shipHoursP50, "percent")],
    ["shipHoursP90", delta(summary.shipHoursP90, before.shipHoursP90, "percent")],
  ]) as Record<keyof KpiSummary, number | null>;
  const bucket = bucketFor(from, to);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    previous: { from: prev.from.toISOString(), to: prev.to.toISOString() },
    summary,
    before,
    changes,
    bucket,
    days: kpiDays(current, bucket),
    promise,
  };
}

export const CHARTS = ["ship-time", "exception-load", "orders-by-channel", "rates", "promise"] as const;
export type ChartName = (typeof CHARTS)[number];

/** The data behind one chart, as CSV. */
export async function chartCsv(shop: string, chart: ChartName, from: Date, to: Date): Promise<string> {
  const v = await dashboardView(shop, from, to);
  switch (chart) {
    case "ship-time":
      return toCsv(
        ["day", "p50_hours", "p90_hours"],
        v.days.map((d) => [d.day, d.shipHoursP50, d.shipHoursP90]),
      );
    case "exception-load":
      return toCsv(
        ["day", "orders", "exceptions_raised", "per_100_orders"],
        v.days.map((d) => [d.day, d.orders, d.exceptions, d.exceptionLoadPer100]),
      );
    case "orders-by-channel": {
      const channels = [...new Set(v.days.flatMap((d) => Object.keys(d.byChannel)))].sort();
      return toCsv(
        ["day", ...channels],
        v.days.map((d) => [d.day, ...channels.map((c) => d.byChannel[c] ?? 0)]),
      );
    }
    case "rates":
      return toCsv(
        ["kpi", "this_period", "previous_period", "change_points"],
        RATES.map((k) => [k, v.summary[k], v.before[k], v.changes[k]]),
      );
    case "promise":
      return toCsv(
        ["carrier", "zone", "promised", "on_time", "late", "on_time_rate"],
        (v.promise ?? []).map((r) => [r.carrier, r.zone, r.promised, r.onTime, r.late, r.onTimeRate]),
      );
  }
}
