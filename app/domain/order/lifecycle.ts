import { err, ok, type Result } from "../shared/result";

/**
 * One lifecycle for every order, whatever its channel. Each event has exactly one owner: the
 * system (or team) allowed to drive it. The table below is the whole state machine.
 */
export const ORDER_STATES = [
  "received", // the OMS has the order; nothing decided yet
  "released", // eligible for allocation (paid or authorised, no fraud hold)
  "allocated", // stock reserved
  "sourced", // fulfilment location(s) decided and applied
  "picking", // a location started work (picked, in progress)
  "shipped", // handed to the carrier
  "delivered",
  "on_hold", // stopped by the OMS or the merchant (payment, fraud, address)
  "backordered", // no stock anywhere that may ship it
  "cancelled",
  "returned",
  "refunded",
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export type Owner = "commerce" | "oms" | "location" | "carrier" | "finance";

export const ORDER_EVENTS = {
  RELEASE: "oms",
  HOLD: "oms",
  RELEASE_HOLD: "oms",
  ALLOCATE: "oms",
  BACKORDER: "oms",
  SOURCE: "oms",
  START_PICK: "location",
  SHIP: "location",
  DELIVER: "carrier",
  CANCEL: "commerce",
  RETURN: "commerce",
  REFUND: "finance",
} as const satisfies Record<string, Owner>;
export type OrderEvent = keyof typeof ORDER_EVENTS;

const OPEN_BEFORE_PICK = ["received", "released", "allocated", "sourced", "on_hold", "backordered"] as const;

/** Which states each event may leave from, and where it goes. Re-applying an event already in effect is a no-op. */
const TRANSITIONS: Record<OrderEvent, { from: readonly OrderState[]; to: OrderState }> = {
  RELEASE: { from: ["received"], to: "released" },
  HOLD: { from: ["received", "released", "allocated", "sourced", "backordered"], to: "on_hold" },
  RELEASE_HOLD: { from: ["on_hold"], to: "released" },
  ALLOCATE: { from: ["released", "backordered"], to: "allocated" },
  BACKORDER: { from: ["released", "allocated"], to: "backordered" },
  SOURCE: { from: ["released", "allocated", "backordered"], to: "sourced" },
  START_PICK: { from: ["sourced"], to: "picking" },
  SHIP: { from: ["sourced", "picking"], to: "shipped" },
  DELIVER: { from: ["shipped"], to: "delivered" },
  CANCEL: { from: [...OPEN_BEFORE_PICK, "picking"], to: "cancelled" },
  RETURN: { from: ["shipped", "delivered"], to: "returned" },
  REFUND: { from: ["cancelled", "returned", "shipped", "delivered"], to: "refunded" },
};

export type TransitionError = { code: "ILLEGAL_TRANSITION"; from: OrderState; event: OrderEvent; allowedFrom: readonly OrderState[] };

export type Transition = { from: OrderState; to: OrderState; event: OrderEvent; owner: Owner; changed: boolean };

export function transition(from: OrderState, event: OrderEvent): Result<Transition, TransitionError> {
  const rule = TRANSITIONS[event];
  const owner = ORDER_EVENTS[event];
  if (from === rule.to) return ok({ from, to: from, event, owner, changed: false });
  if (!rule.from.includes(from)) return err({ code: "ILLEGAL_TRANSITION", from, event, allowedFrom: rule.from });
  return ok({ from, to: rule.to, event, owner, changed: true });
}

/** Applies events in order, stopping at the first illegal one. */
export function transitionAll(from: OrderState, events: readonly OrderEvent[]): Result<Transition[], TransitionError> {
  const steps: Transition[] = [];
  let state = from;
  for (const event of events) {
    const step = transition(state, event);
    if (!step.ok) return step;
    if (step.value.changed) steps.push(step.value);
    state = step.value.to;
  }
  return ok(steps);
}

export const isTerminal = (s: OrderState) => s === "delivered" || s === "cancelled" || s === "refunded" || s === "returned";
