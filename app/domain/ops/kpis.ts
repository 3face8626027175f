// The operations KPIs for a period, from plain rows: daily series for the charts and one summary
// for the period (compared with the previous one). Pure: the period's bounds are parameters.

export type KpiOrder = { id: string; placedAt: Date; channel: string; state: string };
export type KpiDecision = { orderId: string; at: Date; outcome: string; applied: string; shipments: number; backordered: number };
export type KpiInput = {
  from: Date;
  to: Date;
  orders: readonly KpiOrder[];
  /** Live routing decisions, oldest first (the first per order is its first attempt). */
  decisions: readonly KpiDecision[];
  shippedAt: ReadonlyMap<string, Date>;
  returned: ReadonlySet<string>;
  exceptionsRaised: readonly { raisedAt: Date }[];
};

export type KpiSummary = {
  orders: number;
  routed: number;
  firstAttemptAllocationRate: number | null;
  splitRate: number | null;
  backorderRate: number | null;
  returnRate: number | null;
  exceptionLoadPer100: number | null;
  shipHoursP50: number | null;
  shipHoursP90: number | null;
  ordersByChannel: Record<string, number>;
};

export type KpiDay = {
  day: string;
  orders: number;
  exceptions: number;
  exceptionLoadPer100: number | null;
  shipHoursP50: number | null;
  shipHoursP90: number | null;
  byChannel: Record<string, number>;
};

const DAY = 86_400_000;
const pct = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 10 : null);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const HOUR = 3_600_000;
/** Daily buckets, or hourly ones for a period of two days or less (a short period reads better by the hour). */
export type Bucket = "day" | "hour";
export const bucketFor = (from: Date, to: Date): Bucket => (to.getTime() - from.getTime() <= 2 * DAY ? "hour" : "day");
const keyOf = (d: Date, bucket: Bucket) => (bucket === "day" ? dayOf(d) : `${d.toISOString().slice(0, 13)}:00`);

/** The q-th percentile (0–1) by nearest rank; null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

function firstDecisions(decisions: readonly KpiDecision[], orderIds: ReadonlySet<string>) {
  const first = new Map<string, KpiDecision>();
  for (const d of decisions) if (orderIds.has(d.orderId) && !first.has(d.orderId)) first.set(d.orderId, d);
  return first;
}

function shipHours(orders: readonly KpiOrder[], shippedAt: ReadonlyMap<string, Date>) {
  return orders.flatMap((o) => {
    const s = shippedAt.get(o.id);
    return s ? [(s.getTime() - o.placedAt.getTime()) / 3_600_000] : [];
  });
}

export function kpiSummary(input: KpiInput): KpiSummary {
  const ids = new Set(input.orders.map((o) => o.id));
  const first = firstDecisions(input.decisions, ids);
  const firsts = [...first.values()];
  const allocated = firsts.filter((d) => (d.outcome === "assigned" || d.outcome === "split") && d.applied !== "rejected").length;
  const hours = shipHours(input.orders, input.shippedAt);
  const byChannel: Record<string, number> = {};
  for (const o of input.orders) byChannel[o.channel] = (byChannel[o.channel] ?? 0) + 1;
  const n = input.orders.length;
  return {
    orders: n,
    routed: firsts.length,
    firstAttemptAllocationRate: pct(allocated, firsts.length),
    splitRate: pct(firsts.filter((d) => d.shipments > 1 || d.outcome === "split").length, firsts.length),
    backorderRate: pct(firsts.filter((d) => d.backordered > 0 || d.outcome === "backordered").length, firsts.length),
    returnRate: pct(input.orders.filter((o) => input.returned.has(o.id) || o.state === "returned").length, n),
    exceptionLoadPer100: n > 0 ? Math.round((input.exceptionsRaised.length / n) * 1000) / 10 : null,
    shipHoursP50: round2(percentile(hours, 0.5)),
    shipHoursP90: round2(percentile(hours, 0.9)),
    ordersByChannel: byChannel,
  };
}

/** One row per UTC day (or hour) of the period, empty ones included so charts keep their axis; `day` is the bucket's key. */
export function kpiDays(input: KpiInput, bucket: Bucket = "day"): KpiDay[] {
  const days: KpiDay[] = [];
  const step = bucket === "day" ? DAY : HOUR;
  const start = bucket === "day" ? Date.parse(dayOf(input.from)) : Math.floor(input.from.getTime() / HOUR) * HOUR;
  for (let t = start; t < input.to.getTime(); t += step) {
    days.push({ day: keyOf(new Date(t), bucket), orders: 0, exceptions: 0, exceptionLoadPer100: null, shipHoursP50: null, shipHoursP90: null, byChannel: {} });
  }
  const index = new Map(days.map((d, i) => [d.day, i]));
  const hoursByDay = new Map<string, number[]>();
  for (const o of input.orders) {
    const d = days[index.get(keyOf(o.placedAt, bucket)) ?? -1];
    if (!d) continue;
    d.orders++;
    d.byChannel[o.channel] = (d.byChannel[o.channel] ?? 0) + 1;
    const s = input.shippedAt.get(o.id);
    if (s) hoursByDay.set(d.day, [...(hoursByDay.get(d.day) ?? []), (s.getTime() - o.placedAt.getTime()) / 3_600_000]);
  }
  for (const e of input.exceptionsRaised) {
    const d = days[index.get(keyOf(e.raisedAt, bucket)) ?? -1];
    if (d) d.exceptions++;
  }
  for (const d of days) {
    d.exceptionLoadPer100 = d.orders > 0 ? Math.round((d.exceptions / d.orders) * 1000) / 10 : null;
    const h = hoursByDay.get(d.day) ?? [];
    d.shipHoursP50 = round2(percentile(h, 0.5));
    d.shipHoursP90 = round2(percentile(h, 0.9));
  }
  return days;
}

/** The period just before [from, to), of the same length: what the dashboard compares with. */
export const previousPeriod = (from: Date, to: Date) => ({ from: new Date(from.getTime() - (to.getTime() - from.getTime())), to: from });

/** Change from the previous period, in points (rates) or percent (counts); null when either side is missing. */
export function delta(current: number | null, previous: number | null, kind: "points" | "percent"): number | null {
  if (current === null || previous === null) return null;
  if (kind === "points") return Math.round((current - previous) * 10) / 10;
  return previous === 0 ? null : Math.round(((current - previous) / previous) * 1000) / 10;
}

/** CSV of rows (RFC 4180 quoting): every chart's data can be exported. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
