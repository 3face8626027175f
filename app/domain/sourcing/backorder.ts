import type { OrderShape } from "./order-shape";
import type { Candidate } from "./ranking";
import type { Backorder, BackorderPolicy, Hold, ShortReason, SourcingPlan } from "./types";
import type { Workspace } from "./workspace";

const DAY_MS = 86_400_000;

/** Units of each line no shipment carries, and why: missing stock, or stock the policy kept out. */
export function shortfall(order: OrderShape, ws: Workspace, eligible: readonly Candidate[], assigned: readonly number[]): Backorder[] {
  const short: Backorder[] = [];
  for (let line = 0; line < order.nLines; line++) {
    const quantity = order.qty[line]! - assigned[line]!;
    if (quantity > 0) short.push({ lineId: order.lines[line]!.lineId, quantity, reason: reasonFor(order, ws, eligible, line) });
  }
  return short;
}

function reasonFor(order: OrderShape, ws: Workspace, eligible: readonly Candidate[], line: number): ShortReason {
  const item = order.itemOf[line]!;
  let stock = 0;
  for (const c of eligible) if (ws.may[c.row * order.nLines + line]) stock += ws.stock[c.row * order.nItems + item]!;
  if (stock === 0) return "NO_STOCK";
  let demand = 0;
  for (let l = 0; l < order.nLines; l++) if (order.itemOf[l] === item) demand += order.qty[l]!;
  if (stock < demand) return "INSUFFICIENT_STOCK";
  return order.lines[line]!.shipTogetherGroup ? "SHIP_TOGETHER" : "SPLIT_POLICY";
}

/** The lines a plan leaves waiting for stock: what its hold is short of, or its backorders. */
export const waitingLines = (plan: SourcingPlan): readonly Backorder[] => (plan.hold ? plan.hold.short : plan.backorders);

export type BackorderOutcome = { hold: Hold | null; backorders: Backorder[]; waitExpired: boolean };

/**
 * hold_order: nothing ships until everything can. ship_available: what can ship does, the rest
 * is backordered. wait_days: hold until N days after the order first waited (`since`, else now),
 * then ship what is available — so re-sourcing a waiting order does not push its deadline out.
 */
export function applyBackorderPolicy(policy: BackorderPolicy, short: Backorder[], now: Date, since: Date | null | undefined): BackorderOutcome {
  if (short.length === 0) return { hold: null, backorders: [], waitExpired: false };
  if (policy.mode === "hold_order") return { hold: { reason: "OUT_OF_STOCK", short }, backorders: [], waitExpired: false };
  if (policy.mode === "wait_days") {
    const until = new Date((since ?? now).getTime() + (policy.waitDays ?? 0) * DAY_MS);
    if (now.getTime() < until.getTime()) return { hold: { reason: "AWAITING_STOCK", until, short }, backorders: [], waitExpired: false };
    return { hold: null, backorders: short, waitExpired: true };
  }
  return { hold: null, backorders: short, waitExpired: false };
}
