import { transition } from "~/domain/order/lifecycle";
import { planSnapshot } from "~/domain/order/plan-snapshot";
import { releaseDecision } from "~/domain/order/release-policy";
import type { OrderSnapshot } from "~/domain/order/snapshot";
import { findOrderById } from "../db/order-queries";
import { createOrder, findOrderHead, isUniqueViolation, transitionOrder, updateOrderFromSnapshot, type Provenance } from "../db/orders";

export type IntakeResult = { outcome: "created" | "updated" | "stale"; orderId: string };

/**
 * One snapshot of an order from a channel → the OMS order: load → plan (pure) → guarded write.
 * Safe under duplicates, reordering and concurrent jobs for the same order: a lost race re-plans.
 */
export async function intakeOrderSnapshot(shop: string, snap: OrderSnapshot, via: string, p: Provenance): Promise<IntakeResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const head = await findOrderHead(shop, snap.sourceId);
    const plan = planSnapshot(head, snap, via);
    if (plan.kind === "stale") {
      if (!head) throw new Error("unreachable: stale without a stored order");
      return { outcome: "stale", orderId: head.id };
    }
    if (!head) {
      try {
        const orderId = await createOrder(shop, snap, plan.state, plan.exception, plan.timeline, p);
        await applyReleasePolicy(orderId, shop, p.at);
        return { outcome: "created", orderId };
      } catch (e) {
        if (isUniqueViolation(e)) continue; // another job created it first: re-plan as an update
        throw e;
      }
    }
    if (await updateOrderFromSnapshot(head, shop, snap, plan.state, plan.exception, plan.timeline, p)) {
      await applyReleasePolicy(head.id, shop, p.at);
      return { outcome: "updated", orderId: head.id };
    }
  }
  throw new Error(`order ${snap.sourceId}: too many concurrent updates`);
}

/** The OMS's own decision after intake (release, hold for payment, release that hold). */
export async function applyReleasePolicy(orderId: string, shop: string, now: Date): Promise<void> {
  const order = await findOrderById(shop, orderId);
  if (!order) return;
  const decision = releaseDecision(order.state, order.financialStatus, order.holdReason);
  if (!decision) return;
  const step = transition(order.state, decision.event);
  if (!step.ok || !step.value.changed) return;
  const { from, to, owner, event } = step.value;
  await transitionOrder(
    orderId,
    shop,
    from,
    to,
    { holdReason: to === "on_hold" ? decision.reason : null },
    [{ kind: "transition", summary: `${from} → ${to} (${event}: ${decision.reason})`, fromState: from, toState: to, owner, dedupeKey: `transition:${event}:${to}@${order.sourceUpdatedAt.toISOString()}` }],
    { at: now, actor: "oms:release-policy", source: "oms", deliveryId: null },
  );
}
