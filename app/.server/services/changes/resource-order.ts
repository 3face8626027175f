import { explanationText } from "~/domain/sourcing/record-decision";
import { planFulfillmentChanges } from "~/domain/sourcing/plan-fulfillment-changes";
import { waitingLines } from "~/domain/sourcing/backorder";
import type { Backorder, OrderLine, SourcingPlan } from "~/domain/sourcing/types";
import { recordTimeline } from "../../db/orders";
import { saveDecision } from "../../db/sourcing";
import { adminFor } from "../../shopify/admin";
import { applyFoOp, backorderHandle } from "../../shopify/fulfillment-orders";
import { decideFor, decisionRow, loadSourcingInput, outcomeOf, type SourcingInput } from "../route-order";
import { raiseException } from "../exceptions/raise-exception";
import { syncOrderFromShopify } from "../sync-order";

const MOVABLE = new Set(["OPEN", "SCHEDULED"]);

/**
 * The sourcing input narrowed to the unpicked fulfilment orders (optionally only those at some
 * locations): work a location has started stays where it is, the rest may go elsewhere.
 */
export function narrowToUnpicked(x: SourcingInput, atLocations?: ReadonlySet<string>): SourcingInput {
  const groups = x.groups.filter((g) => MOVABLE.has(g.status) && (!atLocations || (g.locationId !== null && atLocations.has(g.locationId))));
  const units = new Map<string, number>();
  for (const g of groups) for (const l of g.lines) units.set(l.lineItemId, (units.get(l.lineItemId) ?? 0) + l.remaining);
  const lines: OrderLine[] = x.lines.filter((l) => units.has(l.lineId)).map((l) => ({ ...l, quantity: units.get(l.lineId)! }));
  return { ...x, groups, lines };
}

/**
 * line_unsourceable for each line the plan leaves waiting for stock, with a person's options (wait,
 * cancel the line, substitute); `summary` says it in the caller's words.
 */
export async function raiseUnsourceable(shop: string, orderId: string, plan: SourcingPlan, summary: (b: Backorder) => string, now: Date): Promise<void> {
  for (const b of waitingLines(plan)) {
    await raiseException(
      {
        shop,
        kind: "line_unsourceable",
        severity: "critical",
        subjectKey: `${orderId}:${b.lineId}`,
        orderId,
        summary: summary(b),
        data: { lineId: b.lineId, quantity: b.quantity, options: ["wait", "cancel_line", "substitute"] },
      },
      now,
    );
  }
}

export type ResourceResult = {
  outcome: string;
  applied: "applied" | "unchanged" | "rejected" | "not_applied";
  plan: SourcingPlan | null;
  error: string | null;
};

/** What sourcing would do with the order's unpicked units now, without applying it (a preview). */
export async function previewResource(shop: string, orderId: string, now: Date, o: { exclude?: ReadonlySet<string>; atLocations?: ReadonlySet<string> } = {}) {
  const full = await loadSourcingInput(shop, orderId, now);
  if (!full) return null;
  const x = narrowToUnpicked(full, o.atLocations);
  if (!x.lines.length) return null;
  const decided = decideFor(x, now, o.exclude);
  return { input: x, decided };
}

/**
 * Sources an order's unpicked units again — after an address change, a location going offline,
 * or stock lost where they were reserved — and applies the decision in Shopify (moves, splits,
 * holds for what can wait for stock). Must run holding the order's sourcing lease. Recorded as a
 * live decision with its reason on the timeline; the reservations follow the fulfilment orders.
 */
export async function resourceOrder(
  shop: string,
  orderId: string,
  orderSourceId: string,
  now: Date,
  o: {
    reason: string;
    actor: string;
    exclude?: ReadonlySet<string>;
    atLocations?: ReadonlySet<string>;
    /**
     * Told every plan sourcing decides, before any of it is applied in Shopify (also when Shopify's
     * fulfilment orders cannot take it): what must not be lost if this run stops once the units have
     * moved — after that the caller's retry no longer finds the order where it was.
     */
    beforeApply?: (plan: SourcingPlan) => Promise<void>;
  },
): Promise<ResourceResult> {
  const preview = await previewResource(shop, orderId, now, o);
  if (!preview) return { outcome: "nothing to source", applied: "unchanged", plan: null, error: null };
  const { input: x, decided } = preview;
  const record = async (plan: SourcingPlan | null, applied: ResourceResult["applied"], error: string | null) => {
    await saveDecision(decisionRow(shop, orderId, "live", x.ruleSet, plan, applied, error, now));
    const why = plan ? explanationText(plan.decision.explanation) : "";
    await recordTimeline(
      orderId,
      shop,
      [
        {
          kind: error ? "exception" : "note",
          summary: error ? `Re-sourcing (${o.reason}) not applied: ${error}` : `Re-sourced (${o.reason}; ${applied}): ${why}`,
          fromState: null,
          toState: null,
          owner: "oms",
          dedupeKey: `resource:${o.reason}:${now.toISOString()}`,
        },
      ],
      { at: now, actor: o.actor, source: "oms", deliveryId: null },
    );
  };
  if (!decided.ok) {
    await record(null, "not_applied", `invalid sourcing request: ${decided.error.code}`);
    return { outcome: "error", applied: "not_applied", plan: null, error: decided.error.code };
  }
  await o.beforeApply?.(decided.value);
  const changes = planFulfillmentChanges(x.groups, decided.value);
  if (!changes.ok) {
    const error =
      changes.error.code === "NOT_MOVABLE"
        ? `fulfilment order already ${changes.error.status.toLowerCase()}`
        : `plan does not cover line ${changes.error.lineItemId}`;
    await record(decided.value, "not_applied", error);
    return { outcome: outcomeOf(decided.value), applied: "not_applied", plan: decided.value, error };
  }
  if (!changes.ops.length) {
    await record(decided.value, "unchanged", null);
    return { outcome: outcomeOf(decided.value), applied: "unchanged", plan: decided.value, error: null };
  }
  const graphql = await adminFor(shop);
  let error: string | null = null;
  for (const op of changes.ops) {
    const r = await applyFoOp(graphql, op, backorderHandle(orderId));
    if (!r.ok) {
      error = `Shopify refused: ${r.message}`;
      break;
    }
  }
  await syncOrderFromShopify(shop, { orderId: orderSourceId }, "sourcing", now, "fulfilment");
  await record(decided.value, error ? "rejected" : "applied", error);
  return { outcome: outcomeOf(decided.value), applied: error ? "rejected" : "applied", plan: decided.value, error };
}
