import { describe, expect, it } from "vitest";
import { ORDER_EVENTS, ORDER_STATES, transition, type OrderEvent, type OrderState } from "./lifecycle";

// The documented state machine, written out in full: for every (state, event) pair, the state it
// moves to, "=" where the event is already in effect (a no-op), or "ILLEGAL".
const TABLE: Record<OrderState, Record<OrderEvent, OrderState | "=" | "ILLEGAL">> = {
  //            RELEASE      HOLD       RELEASE_HOLD ALLOCATE     BACKORDER      SOURCE     START_PICK  SHIP       DELIVER      CANCEL       RETURN      REFUND
  received: {
    RELEASE: "released",
    HOLD: "on_hold",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "cancelled",
    RETURN: "ILLEGAL",
    REFUND: "ILLEGAL",
  },
  released: {
    RELEASE: "=",
    HOLD: "on_hold",
    RELEASE_HOLD: "=",
    ALLOCATE: "allocated",
    BACKORDER: "backordered",
    SOURCE: "sourced",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "cancelled",
    RETURN: "ILLEGAL",
    REFUND: "ILLEGAL",
  },
  allocated: {
    RELEASE: "ILLEGAL",
    HOLD: "on_hold",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "=",
    BACKORDER: "backordered",
    SOURCE: "sourced",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "cancelled",
    RETURN: "ILLEGAL",
    REFUND: "ILLEGAL",
  },
  sourced: {
    RELEASE: "ILLEGAL",
    HOLD: "on_hold",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "=",
    START_PICK: "picking",
    SHIP: "shipped",
    DELIVER: "ILLEGAL",
    CANCEL: "cancelled",
    RETURN: "ILLEGAL",
    REFUND: "ILLEGAL",
  },
  picking: {
    RELEASE: "ILLEGAL",
    HOLD: "ILLEGAL",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "=",
    SHIP: "shipped",
    DELIVER: "ILLEGAL",
    CANCEL: "cancelled",
    RETURN: "ILLEGAL",
    REFUND: "ILLEGAL",
  },
  shipped: {
    RELEASE: "ILLEGAL",
    HOLD: "ILLEGAL",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "ILLEGAL",
    SHIP: "=",
    DELIVER: "delivered",
    CANCEL: "ILLEGAL",
    RETURN: "returned",
    REFUND: "refunded",
  },
  delivered: {
    RELEASE: "ILLEGAL",
    HOLD: "ILLEGAL",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "=",
    CANCEL: "ILLEGAL",
    RETURN: "returned",
    REFUND: "refunded",
  },
  on_hold: {
    RELEASE: "ILLEGAL",
    HOLD: "=",
    RELEASE_HOLD: "released",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "cancelled",
    RETURN: "ILLEGAL",
    REFUND: "ILLEGAL",
  },
  backordered: {
    RELEASE: "ILLEGAL",
    HOLD: "on_hold",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "allocated",
    BACKORDER: "=",
    SOURCE: "sourced",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "cancelled",
    RETURN: "ILLEGAL",
    REFUND: "ILLEGAL",
  },
  cancelled: {
    RELEASE: "ILLEGAL",
    HOLD: "ILLEGAL",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "=",
    RETURN: "ILLEGAL",
    REFUND: "refunded",
  },
  returned: {
    RELEASE: "ILLEGAL",
    HOLD: "ILLEGAL",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "ILLEGAL",
    RETURN: "=",
    REFUND: "refunded",
  },
  refunded: {
    RELEASE: "ILLEGAL",
    HOLD: "ILLEGAL",
    RELEASE_HOLD: "ILLEGAL",
    ALLOCATE: "ILLEGAL",
    BACKORDER: "ILLEGAL",
    SOURCE: "ILLEGAL",
    START_PICK: "ILLEGAL",
    SHIP: "ILLEGAL",
    DELIVER: "ILLEGAL",
    CANCEL: "ILLEGAL",
    RETURN: "ILLEGAL",
    REFUND: "=",
  },
};

const pairs = ORDER_STATES.flatMap((s) => (Object.keys(ORDER_EVENTS) as OrderEvent[]).map((e) => [s, e] as const));

describe("order lifecycle", () => {
  it("documents every (state, event) pair", () => {
    expect(pairs).toHaveLength(ORDER_STATES.length * Object.keys(ORDER_EVENTS).length);
  });

  it.each(pairs)("%s + %s", (state, event) => {
    const expected = TABLE[state][event];
    const result = transition(state, event);
    if (expected === "ILLEGAL") {
      expect(result).toEqual({ ok: false, error: { code: "ILLEGAL_TRANSITION", from: state, event, allowedFrom: expect.any(Array) } });
    } else if (expected === "=") {
      expect(result).toEqual({ ok: true, value: { from: state, to: state, event, owner: ORDER_EVENTS[event], changed: false } });
    } else {
      expect(result).toEqual({ ok: true, value: { from: state, to: expected, event, owner: ORDER_EVENTS[event], changed: true } });
    }
  });

  it("names an owner for every event", () => {
    expect(ORDER_EVENTS).toMatchObject({ SHIP: "location", START_PICK: "location", DELIVER: "carrier", REFUND: "finance", CANCEL: "commerce", SOURCE: "oms" });
  });
});
