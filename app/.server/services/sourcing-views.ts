import { decisionsFor } from "../db/sourcing";
import { stockLocations } from "../db/stock-settings";
import type { SourcingPlan } from "~/domain/sourcing/types";

/** "Why this location" for an order page: the live decision and the latest dry run, with names. */
export async function sourcingView(shop: string, orderId: string) {
  const [decisions, locations] = await Promise.all([decisionsFor(shop, orderId), stockLocations(shop)]);
  const name = new Map(locations.map((l) => [l.id, l.name]));
  const view = (d: (typeof decisions)[number] | undefined) => {
    if (!d) return null;
    const plan = JSON.parse(d.plan) as Partial<SourcingPlan>;
    return {
      mode: d.mode,
      at: d.at.toISOString(),
      version: d.version,
      outcome: d.outcome,
      applied: d.applied,
      error: d.error,
      explanation: plan.decision?.explanation ?? [],
      reasonCodes: plan.decision?.reasonCodes ?? [],
      candidates: (plan.decision?.candidates ?? []).map((c) => ({
        location: name.get(c.locationId) ?? c.locationId,
        rank: c.rank,
        eliminated: c.eliminatedBy ? c.reason : null,
        scores: Object.entries(c.scores)
          .map(([k, v]) => `${k} ${Math.round(Number(v) * 10) / 10}`)
          .join(", "),
      })),
    };
  };
  return { live: view(decisions.find((d) => d.mode === "live")), dryRun: view(decisions.find((d) => d.mode === "dry_run")) };
}
