// A routing decision as a routing pass writes it (saveDecision), for tests that need one in place:
// live unless said, sending units to `locations` (none: an empty plan), written by `leaseToken`'s pass.
import { saveDecision } from "~/.server/db/sourcing";

export const saveTestDecision = (d: {
  shop: string;
  orderId: string;
  mode?: "live" | "dry_run";
  locations?: string[];
  at?: Date;
  leaseToken?: string | null;
}) => {
  const mode = d.mode ?? "live";
  const locations = d.locations ?? [];
  return saveDecision({
    shop: d.shop,
    orderId: d.orderId,
    mode,
    ruleSetId: "default",
    version: 0,
    outcome: "assigned",
    applied: mode === "live" ? "applied" : "not_applied",
    error: null,
    shipments: Math.max(1, locations.length),
    backordered: 0,
    plan: locations.length ? { assignments: locations.map((locationId) => ({ locationId, lineId: "l" })) } : {},
    at: d.at ?? new Date(),
    leaseToken: d.leaseToken ?? null,
  });
};
