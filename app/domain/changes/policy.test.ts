import { describe, expect, it } from "vitest";
import {
  decideChange,
  decideChanges,
  DEFAULT_CHANGE_POLICY,
  orderStage,
  parsePolicy,
  type ChangeAction,
  type ChangeGroup,
  type ChangeOrder,
  type ChangePolicy,
} from "./policy";

const line = { id: "L1", sku: "TEE", currentQuantity: 2 };
const group = (over: Partial<ChangeGroup> = {}): ChangeGroup => ({
  id: "FO1",
  status: "OPEN",
  requestStatus: "UNSUBMITTED",
  locationName: "Edison",
  kind: "warehouse",
  lines: [{ lineItemId: "L1", quantity: 2, remaining: 2 }],
  ...over,
});
const order = (over: Partial<ChangeOrder> = {}): ChangeOrder => ({ state: "sourced", routed: true, lines: [line], groups: [group()], ...over });

/** One order per stage (and the variants of in progress the cut-offs tell apart). */
const STAGES: Record<string, ChangeOrder> = {
  before_routing: order({ state: "released", routed: false }),
  routed: order(),
  in_progress_warehouse: order({ state: "picking", groups: [group({ status: "IN_PROGRESS" })] }),
  in_progress_store: order({ state: "picking", groups: [group({ status: "IN_PROGRESS", kind: "store", locationName: "SoHo store" })] }),
  in_progress_fulfilment_service: order({ state: "picking", groups: [group({ status: "IN_PROGRESS", requestStatus: "ACCEPTED", locationName: "3PL Reno" })] }),
  cancellation_requested: order({
    state: "picking",
    groups: [group({ status: "IN_PROGRESS", requestStatus: "CANCELLATION_REQUESTED", locationName: "3PL Reno" })],
  }),
  partially_shipped: order({ state: "shipped", groups: [group({ status: "IN_PROGRESS", lines: [{ lineItemId: "L1", quantity: 2, remaining: 1 }] })] }),
  shipped: order({ state: "shipped", groups: [group({ status: "CLOSED", lines: [{ lineItemId: "L1", quantity: 2, remaining: 0 }] })] }),
  closed: order({ state: "cancelled", groups: [group({ status: "CLOSED" })] }),
};

type Expect = { allowed: true; how: string } | { allowed: false; returnInstead: boolean; reason: RegExp };
const yes = (how: string): Expect => ({ allowed: true, how });
const no = (reason: RegExp, returnInstead = false): Expect => ({ allowed: false, reason, returnInstead });

// Every (stage × action) pair, with what the policy answers under the default cut-offs.
const TABLE: Record<string, Record<ChangeAction, Expect>> = {
  before_routing: {
    cancel_order: yes("order_cancel"),
    cancel_line: yes("order_edit"),
    change_address: yes("order_update"),
    substitute_line: yes("order_edit"),
  },
  routed: { cancel_order: yes("order_cancel"), cancel_line: yes("order_edit"), change_address: yes("order_update"), substitute_line: yes("order_edit") },
  in_progress_warehouse: {
    cancel_order: yes("order_cancel"),
    cancel_line: yes("order_edit"),
    change_address: no(/being picked/),
    substitute_line: no(/being picked/),
  },
  in_progress_store: {
    cancel_order: no(/SoHo store has started picking.*stores/, true),
    cancel_line: no(/SoHo store has started picking/, true),
    change_address: no(/being picked/),
    substitute_line: no(/being picked/),
  },
  in_progress_fulfilment_service: {
    cancel_order: yes("cancellation_request"),
    cancel_line: no(/fulfilment service/, true),
    change_address: no(/being picked/),
    substitute_line: no(/being picked/),
  },
  cancellation_requested: {
    cancel_order: no(/waiting for its answer/),
    cancel_line: no(/waiting for its answer/, true),
    change_address: no(/being picked/),
    substitute_line: no(/being picked/),
  },
  partially_shipped: {
    cancel_order: no(/have shipped/, true),
    cancel_line: yes("order_edit"),
    change_address: no(/partly shipped/),
    substitute_line: no(/partly shipped/, true),
  },
  shipped: {
    cancel_order: no(/have shipped/, true),
    cancel_line: no(/Every unit has shipped/, true),
    change_address: no(/shipped/),
    substitute_line: no(/shipped/, true),
  },
  closed: {
    cancel_order: no(/already cancelled/),
    cancel_line: no(/already cancelled/),
    change_address: no(/already cancelled/),
    substitute_line: no(/already cancelled/),
  },
};

describe("changes after purchase: what each stage allows", () => {
  for (const [stage, actions] of Object.entries(TABLE)) {
    for (const [action, expected] of Object.entries(actions) as [ChangeAction, Expect][]) {
      it(`${stage} × ${action}: ${expected.allowed ? `allowed via ${expected.how}` : "refused, with why and what instead"}`, () => {
        const d = decideChange(STAGES[stage]!, DEFAULT_CHANGE_POLICY, action);
        if (expected.allowed) {
          expect(d).toMatchObject({ allowed: true, how: expected.how });
          if (d.allowed) expect(d.explanation.length).toBeGreaterThan(10);
        } else {
          expect(d.allowed).toBe(false);
          if (!d.allowed) {
            expect(d.reason).toMatch(expected.reason);
            expect(d.instead.length).toBeGreaterThan(5);
            expect(d.returnInstead).toBe(expected.returnInstead);
          }
        }
      });
    }
  }

  it("names the stages", () => {
    expect(Object.fromEntries(Object.entries(STAGES).map(([k, o]) => [k, orderStage(o)]))).toEqual({
      before_routing: "before_routing",
      routed: "routed",
      in_progress_warehouse: "in_progress",
      in_progress_store: "in_progress",
      in_progress_fulfilment_service: "in_progress",
      cancellation_requested: "in_progress",
      partially_shipped: "partially_shipped",
      shipped: "shipped",
      closed: "closed",
    });
  });

  it("a merchant's cut-off changes the answer: stores may cancel while picking, warehouses may not", () => {
    const strict: ChangePolicy = { ...DEFAULT_CHANGE_POLICY, cancelUntil: { ...DEFAULT_CHANGE_POLICY.cancelUntil, store: "in_progress", warehouse: "routed" } };
    expect(decideChange(STAGES.in_progress_store!, strict, "cancel_order")).toMatchObject({ allowed: true, how: "order_cancel" });
    expect(decideChange(STAGES.in_progress_warehouse!, strict, "cancel_order")).toMatchObject({ allowed: false, returnInstead: true });
  });

  it("the cancellation request goes to the fulfilment service's group only", () => {
    const mixed = order({
      state: "picking",
      groups: [
        group({ id: "FO-3PL", status: "IN_PROGRESS", requestStatus: "ACCEPTED" }),
        group({ id: "FO-WH", lines: [{ lineItemId: "L1", quantity: 1, remaining: 1 }] }),
      ],
    });
    expect(decideChange(mixed, DEFAULT_CHANGE_POLICY, "cancel_order")).toMatchObject({ allowed: true, how: "cancellation_request", requestTo: ["FO-3PL"] });
  });

  it("decides every action, and a cut-off that is not a stage is refused", () => {
    expect(decideChanges(STAGES.routed!, DEFAULT_CHANGE_POLICY).map((d) => d.action)).toEqual([
      "cancel_order",
      "cancel_line",
      "change_address",
      "substitute_line",
    ]);
    expect(parsePolicy({ cancelUntil: { store: "shipped" }, restock: true, refund: true })).toEqual({
      ok: false,
      error: { code: "INVALID_CUTOFF", kind: "store" },
    });
    expect(parsePolicy({ cancelUntil: { store: "in_progress" }, restock: false, refund: true })).toMatchObject({
      ok: true,
      value: { cancelUntil: { store: "in_progress", warehouse: "in_progress" }, restock: false },
    });
  });
});
