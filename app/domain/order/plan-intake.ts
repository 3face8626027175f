import { transition, type OrderState } from "./lifecycle";
import { planSnapshot, type StoredOrderHead, type TimelineEntry } from "./plan-snapshot";
import { releaseDecision } from "./release-policy";
import type { OrderSnapshot } from "./snapshot";

export type IntakePlan =
  | { kind: "stale" }
  | { kind: "apply"; state: OrderState; exception: string | null; holdReason: string | null | undefined; timeline: TimelineEntry[] };

/**
 * Everything one snapshot does to the OMS order, decided at once so it is written at once: the
 * channel's facts (planSnapshot), then the OMS's release decision on the result — recorded as its
 * own timeline entry, owned and performed by the OMS. holdReason undefined means "leave as is".
 */
export function planIntake(stored: (StoredOrderHead & { holdReason: string | null }) | null, snap: OrderSnapshot, via: string): IntakePlan {
  const plan = planSnapshot(stored, snap, via);
  if (plan.kind === "stale") return { kind: "stale" };
  const decision = releaseDecision(plan.state, snap.financialStatus, stored?.holdReason ?? null);
  const step = decision ? transition(plan.state, decision.event) : null;
  if (!decision || !step?.ok || !step.value.changed) return { ...plan, holdReason: undefined };
  const { from, to, owner, event } = step.value;
  return {
    kind: "apply",
    state: to,
    exception: plan.exception,
    holdReason: to === "on_hold" ? decision.reason : null,
    timeline: [
      ...plan.timeline,
      {
        kind: "transition",
        summary: `${from} → ${to} (${event}: ${decision.reason})`,
        fromState: from,
        toState: to,
        owner,
        actor: "oms:release-policy",
        source: "oms",
        dedupeKey: `transition:${event}:${to}@${snap.updatedAt.toISOString()}`,
      },
    ],
  };
}
