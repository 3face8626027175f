// Promised vs actual: how often the promise was kept, and by how many days it was beaten or missed,
// per carrier and destination zone. Pure over the recorded promises.

export type PromiseOutcome = { carrier: string | null; zone: string; latest: string; deliveredOn: string | null; atRisk: boolean };

/** Days between the promised last day and the delivery (negative = early); buckets for a histogram. */
export const DELTA_BUCKETS = ["≤ −3", "−2", "−1", "0", "+1", "+2", "≥ +3"] as const;
export type Bucket = (typeof DELTA_BUCKETS)[number];

export type KpiRow = { key: string; delivered: number; kept: number; keptPct: number | null; histogram: Record<Bucket, number>; meanDeltaDays: number | null };
export type PromiseKpis = {
  promised: number;
  delivered: number;
  kept: number;
  keptPct: number | null;
  atRisk: number;
  overall: KpiRow;
  byCarrier: KpiRow[];
  byZone: KpiRow[];
};

export const deltaDays = (latest: string, deliveredOn: string) =>
  Math.round((Date.parse(`${deliveredOn}T00:00:00Z`) - Date.parse(`${latest}T00:00:00Z`)) / 86_400_000);
const bucketOf = (d: number): Bucket => (d <= -3 ? "≤ −3" : d >= 3 ? "≥ +3" : (DELTA_BUCKETS[d + 3] as Bucket));

function row(key: string, list: readonly PromiseOutcome[]): KpiRow {
  const histogram = Object.fromEntries(DELTA_BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
  const deltas = list.filter((o) => o.deliveredOn).map((o) => deltaDays(o.latest, o.deliveredOn!));
  for (const d of deltas) histogram[bucketOf(d)]++;
  const kept = deltas.filter((d) => d <= 0).length;
  return {
    key,
    delivered: deltas.length,
    kept,
    keptPct: deltas.length ? Math.round((1000 * kept) / deltas.length) / 10 : null,
    histogram,
    meanDeltaDays: deltas.length ? Math.round((10 * deltas.reduce((a, b) => a + b, 0)) / deltas.length) / 10 : null,
  };
}

function grouped(list: readonly PromiseOutcome[], keyOf: (o: PromiseOutcome) => string): KpiRow[] {
  const groups = new Map<string, PromiseOutcome[]>();
  for (const o of list) groups.set(keyOf(o), [...(groups.get(keyOf(o)) ?? []), o]);
  return [...groups].map(([k, v]) => row(k, v)).sort((a, b) => b.delivered - a.delivered || (a.key < b.key ? -1 : 1));
}

export function promiseKpisOf(list: readonly PromiseOutcome[]): PromiseKpis {
  const overall = row("all", list);
  return {
    promised: list.length,
    delivered: overall.delivered,
    kept: overall.kept,
    keptPct: overall.keptPct,
    atRisk: list.filter((o) => o.atRisk && !o.deliveredOn).length,
    overall,
    byCarrier: grouped(list, (o) => o.carrier ?? "unknown"),
    byZone: grouped(list, (o) => o.zone || "unknown"),
  };
}
