import { planIntake } from "~/domain/order/plan-intake";
import type { OrderSnapshot } from "~/domain/order/snapshot";
import type { OrderState } from "~/domain/order/lifecycle";
import { amazonOrderIdFromTags, amazonSourceId } from "~/domain/marketplace/amazon-order";
import { adoptMarketplaceOrder } from "../db/amazon";
import { createOrder, findOrderHead, updateOrderFromSnapshot, type OrderHead, type Provenance } from "../db/orders";

/**
 * `state`: the order's state as this intake wrote it (created, updated) or found it (stale);
 * `before`: the head the write was planned from and guarded on (null: it created the order).
 */
export type IntakeResult = { outcome: "created" | "updated" | "stale"; orderId: string; state: OrderState; before: OrderHead | null };

/**
 * One snapshot of an order from a channel → the OMS order: load → plan (pure) → one guarded write.
 * Safe under duplicates, reordering and concurrent jobs for the same order: a lost race re-plans.
 * `knownHead`: the head the caller has just read (findOrderHead), to spare reading it again; null
 * when the caller expects the order to be new (orders/create): it is created without a read first,
 * and if it exists after all, the unique violation re-plans from a read of it. `moneyDue`: an order
 * it creates has its captures await the money sweep.
 */
export async function intakeOrderSnapshot(
  shop: string,
  snap: OrderSnapshot,
  via: string,
  p: Provenance,
  knownHead?: OrderHead | null,
  opts: { moneyDue?: boolean } = {},
): Promise<IntakeResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    // The caller's own read of the head serves the first attempt (every write below is guarded on it).
    const head = attempt === 0 && knownHead !== undefined ? knownHead : await findOrderHead(shop, snap.sourceId);
    const plan = planIntake(head, snap, via);
    if (plan.kind === "stale") {
      if (!head) throw new Error("unreachable: stale without a stored order");
      return { outcome: "stale", orderId: head.id, state: head.state, before: head };
    }
    // The Shopify order the OMS created for an Amazon order joins the Amazon order's record.
    const marketplaceId = !head && snap.sourceId.startsWith("gid://") ? amazonOrderIdFromTags(snap.tags) : null;
    if (marketplaceId && (await adoptMarketplaceOrder(shop, amazonSourceId(marketplaceId), snap.sourceId))) continue;
    if (!head) {
      const orderId = await createOrder(shop, snap, plan, p, opts.moneyDue === true);
      if (orderId) return { outcome: "created", orderId, state: plan.state, before: null };
      continue; // another job created it first: re-plan as an update
    }
    if (await updateOrderFromSnapshot(head, shop, snap, plan, p)) return { outcome: "updated", orderId: head.id, state: plan.state, before: head };
  }
  throw new Error(`order ${snap.sourceId}: too many concurrent updates`);
}
