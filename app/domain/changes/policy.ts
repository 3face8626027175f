/**
 * Changes after purchase: which change an order still allows, and how it is made, by the stage of
 * its fulfilment and the merchant's cut-offs per kind of location. Once a unit is picked or
 * shipped, a cancel is a return, not a cancel. Every refusal says why and what to do instead.
 */
import { err, ok, type Result } from "../shared/result";

export const CHANGE_STAGES = ["before_routing", "routed", "in_progress", "partially_shipped", "shipped", "closed"] as const;
export type ChangeStage = (typeof CHANGE_STAGES)[number];

export const CHANGE_ACTIONS = ["cancel_order", "cancel_line", "change_address", "substitute_line"] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

export const LOCATION_KINDS = ["warehouse", "store", "dropship", "pickup"] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/** The last stage at which a cancel is still a cancel at a kind of location. */
export type CancelCutoff = "routed" | "in_progress";

export type ChangePolicy = {
  cancelUntil: Record<LocationKind, CancelCutoff>;
  /** orderCancel's options: put the units back in stock, and give the money back. */
  restock: boolean;
  refund: boolean;
};

/** Until a merchant sets them: warehouses cancel while picking (work can be stopped); stores and drop-shippers only until picking starts. */
export const DEFAULT_CHANGE_POLICY: ChangePolicy = {
  cancelUntil: { warehouse: "in_progress", store: "routed", dropship: "routed", pickup: "routed" },
  restock: true,
  refund: true,
};

/** A fulfilment group as the policy sees it. */
export type ChangeGroup = {
  id: string;
  /** Shopify FulfillmentOrderStatus */
  status: string;
  /** Shopify FulfillmentOrderRequestStatus; SUBMITTED/ACCEPTED… mean a fulfilment service owns the work. */
  requestStatus: string | null;
  locationName: string | null;
  kind: LocationKind;
  lines: readonly { lineItemId: string; quantity: number; remaining: number }[];
};

export type ChangeOrder = {
  /** app/domain/order/lifecycle.ts OrderState */
  state: string;
  /** The OMS's sourcing has decided for the order (a live decision exists). */
  routed: boolean;
  lines: readonly { id: string; sku: string | null; currentQuantity: number }[];
  groups: readonly ChangeGroup[];
};

const OPEN = new Set(["OPEN", "SCHEDULED", "ON_HOLD", "IN_PROGRESS"]);
const SERVICE_OWNS = new Set(["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"]);
const CLOSED_STATES = new Set(["cancelled", "returned", "refunded"]);
const fulfilled = (g: ChangeGroup) => g.lines.reduce((n, l) => n + Math.max(0, l.quantity - l.remaining), 0);
const remaining = (g: ChangeGroup) => (OPEN.has(g.status) ? g.lines.reduce((n, l) => n + l.remaining, 0) : 0);

/** A group's own stage: where its remaining units are. */
export function groupStage(g: ChangeGroup, routed: boolean): ChangeStage {
  if (remaining(g) === 0) return fulfilled(g) > 0 ? "shipped" : "closed";
  if (fulfilled(g) > 0) return "partially_shipped";
  if (g.status === "IN_PROGRESS" || SERVICE_OWNS.has(g.requestStatus ?? "")) return "in_progress";
  return routed ? "routed" : "before_routing";
}

/** The order's stage: its most advanced open work; shipped when nothing is left to ship. */
export function orderStage(o: ChangeOrder): ChangeStage {
  if (CLOSED_STATES.has(o.state)) return "closed";
  const shippedUnits = o.groups.reduce((n, g) => n + fulfilled(g), 0);
  const left = o.groups.reduce((n, g) => n + remaining(g), 0);
  if (left === 0) return shippedUnits > 0 || o.state === "shipped" || o.state === "delivered" ? "shipped" : o.routed ? "routed" : "before_routing";
  // Shopify said it shipped before the OMS re-read its fulfilment orders: never treat it as unshipped.
  if (shippedUnits === 0 && (o.state === "shipped" || o.state === "delivered")) return "partially_shipped";
  if (shippedUnits > 0) return "partially_shipped";
  if (o.groups.some((g) => remaining(g) > 0 && groupStage(g, o.routed) === "in_progress")) return "in_progress";
  return o.routed ? "routed" : "before_routing";
}

export type How = "order_cancel" | "order_edit" | "cancellation_request" | "order_update" | "wait";
export type Decision =
  | { action: ChangeAction; allowed: true; how: How; explanation: string; /** groups a cancellation request goes to */ requestTo?: string[] }
  | { action: ChangeAction; allowed: false; reason: string; instead: string; returnInstead: boolean };

const refuse = (action: ChangeAction, reason: string, instead: string, returnInstead = false): Decision => ({
  action,
  allowed: false,
  reason,
  instead,
  returnInstead,
});

const STAGE_WORDS: Record<ChangeStage, string> = {
  before_routing: "not yet routed",
  routed: "routed, not yet picked",
  in_progress: "being picked",
  partially_shipped: "partly shipped",
  shipped: "shipped",
  closed: "closed",
};
export const describeStage = (s: ChangeStage) => STAGE_WORDS[s];

/** Can the units in this group still be cancelled under the merchant's cut-off for its kind of location? */
function cancellable(g: ChangeGroup, routed: boolean, policy: ChangePolicy): { ok: true; viaRequest: boolean } | { ok: false; why: string } {
  const stage = groupStage(g, routed);
  if (stage !== "in_progress") return { ok: true, viaRequest: false };
  const at = g.locationName ?? "the location";
  if (policy.cancelUntil[g.kind] !== "in_progress")
    return { ok: false, why: `${at} has started picking, and the cut-off for ${g.kind}s is "no cancel once picking started"` };
  if (g.requestStatus === "CANCELLATION_REQUESTED") return { ok: false, why: `a cancellation request to ${at} is waiting for its answer` };
  if (g.requestStatus === "CANCELLATION_REJECTED") return { ok: false, why: `${at} (a fulfilment service) rejected the cancellation request` };
  return { ok: true, viaRequest: SERVICE_OWNS.has(g.requestStatus ?? "") };
}

/** Every change, decided for an order as it is now. */
export function decideChanges(o: ChangeOrder, policy: ChangePolicy): Decision[] {
  return CHANGE_ACTIONS.map((a) => decideChange(o, policy, a));
}

export function decideChange(o: ChangeOrder, policy: ChangePolicy, action: ChangeAction, lineId?: string): Decision {
  const stage = orderStage(o);
  if (stage === "closed")
    return refuse(
      action,
      o.state === "cancelled" ? "The order is already cancelled." : `The order is ${o.state}: nothing is left to change.`,
      "Nothing to do.",
    );
  const open = o.groups.filter((g) => remaining(g) > 0);
  switch (action) {
    case "cancel_order": {
      if (stage === "shipped" || stage === "partially_shipped") {
        return refuse(
          action,
          `Units of this order have shipped (${describeStage(stage)}): a cancel would no longer stop them.`,
          "Start a return for the shipped units; cancel the unshipped lines one by one.",
          true,
        );
      }
      const blocked = open.map((g) => ({ g, c: cancellable(g, o.routed, policy) })).find((x) => !x.c.ok);
      if (blocked && !blocked.c.ok) {
        return refuse(
          action,
          `Too late to cancel: ${blocked.c.why}.`,
          blocked.g.requestStatus === "CANCELLATION_REQUESTED"
            ? "Wait for the fulfilment service's answer."
            : "Let it ship and start a return when it arrives.",
          blocked.g.requestStatus !== "CANCELLATION_REQUESTED",
        );
      }
      const toRequest = open.filter((g) => SERVICE_OWNS.has(g.requestStatus ?? "") && g.requestStatus !== "CANCELLATION_ACCEPTED");
      if (toRequest.length) {
        return {
          action,
          allowed: true,
          how: "cancellation_request",
          requestTo: toRequest.map((g) => g.id),
          explanation: `A fulfilment service is working on it: the OMS asks ${toRequest.map((g) => g.locationName ?? "it").join(", ")} to cancel, and cancels the order in Shopify once accepted.`,
        };
      }
      return {
        action,
        allowed: true,
        how: "order_cancel",
        explanation: `${capitalise(describeStage(stage))}: cancelled in Shopify${policy.restock ? ", stock put back" : ""}${policy.refund ? ", payment refunded" : ""}.`,
      };
    }
    case "cancel_line": {
      if (stage === "shipped") return refuse(action, "Every unit has shipped.", "Start a return.", true);
      const lines = lineId ? o.lines.filter((l) => l.id === lineId) : o.lines;
      const withOpen = lines.filter((l) => open.some((g) => g.lines.some((x) => x.lineItemId === l.id && x.remaining > 0)));
      if (!withOpen.length)
        return refuse(action, lineId ? "This line has nothing left to ship." : "No line has units left to ship.", "Start a return for shipped units.", true);
      const cancellableLine = withOpen.find((l) =>
        open
          .filter((g) => g.lines.some((x) => x.lineItemId === l.id && x.remaining > 0))
          .every((g) => cancellable(g, o.routed, policy).ok && !SERVICE_OWNS.has(g.requestStatus ?? "")),
      );
      if (!cancellableLine) {
        const g = open.find((x) => x.lines.some((y) => withOpen.some((l) => l.id === y.lineItemId)))!;
        const c = cancellable(g, o.routed, policy);
        const why = c.ok
          ? `${g.locationName ?? "a fulfilment service"} owns the work (a fulfilment service): single lines cannot be edited out of accepted work`
          : c.why;
        return refuse(
          action,
          `Too late to cancel a line: ${why}.`,
          c.ok ? "Cancel the whole order (a cancellation request), or let it ship and start a return." : "Let it ship and start a return.",
          true,
        );
      }
      return {
        action,
        allowed: true,
        how: "order_edit",
        explanation: "The unshipped units are removed with Shopify's order editing (restocked) and their price refunded.",
      };
    }
    case "change_address": {
      if (stage === "in_progress" || stage === "partially_shipped" || stage === "shipped") {
        return refuse(
          action,
          `The order is ${describeStage(stage)}: the label may already be printed.`,
          "An intercept with the carrier is raised for a person to handle.",
          false,
        );
      }
      return {
        action,
        allowed: true,
        how: "order_update",
        explanation: "Updated in Shopify, then sourced again for the new address (the closest location may change).",
      };
    }
    case "substitute_line": {
      if (stage === "shipped" || stage === "in_progress" || stage === "partially_shipped")
        return refuse(
          action,
          `The order is ${describeStage(stage)}: its lines can no longer be swapped.`,
          stage === "in_progress" ? "Ask the location; or let it ship and exchange through a return." : "Start a return (exchange).",
          stage !== "in_progress",
        );
      return {
        action,
        allowed: true,
        how: "order_edit",
        explanation: "The line is swapped with Shopify's order editing; the price difference is refunded or collected, and sourcing routes the new line.",
      };
    }
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export type PolicyError = { code: "INVALID_CUTOFF"; kind: string };

/** Validates a policy edited in the admin. */
export function parsePolicy(input: { cancelUntil: Record<string, string>; restock: boolean; refund: boolean }): Result<ChangePolicy, PolicyError> {
  const cancelUntil = {} as Record<LocationKind, CancelCutoff>;
  for (const kind of LOCATION_KINDS) {
    const v = input.cancelUntil[kind] ?? DEFAULT_CHANGE_POLICY.cancelUntil[kind];
    if (v !== "routed" && v !== "in_progress") return err({ code: "INVALID_CUTOFF", kind });
    cancelUntil[kind] = v;
  }
  return ok({ cancelUntil, restock: input.restock, refund: input.refund });
}
