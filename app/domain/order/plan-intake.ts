import type { OrderState } from "./lifecycle";
import { planSnapshot, type StoredOrderHead, type TimelineEntry } from "./plan-snapshot";
import type { OrderSnapshot } from "./snapshot";

export type IntakePlan =
  { kind: "stale" } | { kind: "apply"; state: OrderState; exception: string | null; holdReason: string | null | undefined; timeline: TimelineEntry[] };

/**
 * Everything one snapshot does to the OMS order, decided at once so it is written at once: the
 * channel's facts (planSnapshot). Whether the order may go to fulfilment is not decided here: the
 * release rules (release-rules.ts) need facts a webhook payload does not carry (Shopify's risk
 * assessment, payment terms, scheduled dates) and run on the read that follows every intake.
 * holdReason undefined means "leave as is".
 */
export function planIntake(stored: (StoredOrderHead & { holdReason: string | null }) | null, snap: OrderSnapshot, via: string): IntakePlan {
  const plan = planSnapshot(stored, snap, via);
  if (plan.kind === "stale") return { kind: "stale" };
  return { ...plan, holdReason: undefined };
}
