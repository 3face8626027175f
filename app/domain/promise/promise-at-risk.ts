import type { DeliveryPromise } from "./types";

/** What an order was promised at checkout: the method the buyer chose and its last day. */
export type Promised = { methodCode: string | null; earliest: string; latest: string };

export type PromiseCheck = { atRisk: false } | { atRisk: true; explanation: string; latestNow: string | null };

/**
 * Does the allocation routing made still keep the promise? It does when, for the method the buyer
 * chose, the whole order arrives by the promised last day. A plan with units that have no date, or
 * no window for that method, cannot be shown to keep it: at risk, saying why.
 */
export function checkPromise(promised: Promised, now: DeliveryPromise): PromiseCheck {
  const method = promised.methodCode ?? "standard";
  const due = `promised by ${promised.latest} (${method})`;
  if (now.undated.length)
    return {
      atRisk: true,
      latestNow: null,
      explanation: `${due}, but ${now.undated.reduce((n, u) => n + u.quantity, 0)} unit(s) have no ship date now: ${now.reason}`,
    };
  const w = now.windows.find((x) => x.methodCode === method);
  if (!w) return { atRisk: true, latestNow: null, explanation: `${due}, but the routed locations have no transit time for ${method}: ${now.reason}` };
  if (w.latest <= promised.latest) return { atRisk: false };
  const from = now.shipments.map((s) => `${s.locationName} ships ${s.shipDate ?? "undated"}`).join(", ");
  return {
    atRisk: true,
    latestNow: w.latest,
    explanation: `${due}; routed as ${from}, arriving ${w.earliest}–${w.latest}: ${daysLate(promised.latest, w.latest)} late at worst`,
  };
}

const daysLate = (promised: string, now: string) => {
  const d = Math.round((Date.parse(`${now}T00:00:00Z`) - Date.parse(`${promised}T00:00:00Z`)) / 86_400_000);
  return `${d} day${d === 1 ? "" : "s"}`;
};
