/**
 * Promised vs actual delivery by carrier and zone. Issue 13's promise work exposes
 * `promiseKpis(shop, from, to)`; until it is merged this returns null and the dashboard shows its
 * empty state. This is the dashboard's one call site: switching it on is a change to this body.
 */
export type PromiseKpiRow = { carrier: string; zone: string; promised: number; onTime: number; late: number; onTimeRate: number | null };

export async function promiseKpisOrNull(_shop: string, _from: Date, _to: Date): Promise<PromiseKpiRow[] | null> {
  return null;
}
