import { describe, expect, it } from "vitest";
import { planFulfillmentChanges, type FoGroup } from "./plan-fulfillment-changes";

const fo = (id: string, locationId: string, lines: [string, string, number][], status = "OPEN"): FoGroup => ({
  id,
  status,
  locationId,
  lines: lines.map(([foLineId, lineItemId, remaining]) => ({ foLineId, lineItemId, remaining })),
});
const a = (lineId: string, locationId: string, quantity: number) => ({ lineId, locationId, quantity });

describe("making Shopify's fulfilment orders match a sourcing plan", () => {
  it("given the plan agrees with Shopify's routing, then nothing changes (applying twice is a no-op)", () => {
    expect(planFulfillmentChanges([fo("F1", "TX", [["f1", "L1", 2]])], { assignments: [a("L1", "TX", 2)], backorders: [], hold: null })).toEqual({
      ok: true,
      ops: [],
    });
  });

  it("moves a whole fulfilment order to the chosen location", () => {
    expect(
      planFulfillmentChanges(
        [
          fo("F1", "TX", [
            ["f1", "L1", 2],
            ["f2", "L2", 1],
          ]),
        ],
        { assignments: [a("L1", "NJ", 2), a("L2", "NJ", 1)], backorders: [], hold: null },
      ),
    ).toEqual({
      ok: true,
      ops: [{ kind: "move", fulfillmentOrderId: "F1", toLocationId: "NJ", lines: "all" }],
    });
  });

  it("splits across two locations: some units move, the rest stay", () => {
    expect(
      planFulfillmentChanges(
        [
          fo("F1", "TX", [
            ["f1", "L1", 2],
            ["f2", "L2", 1],
          ]),
        ],
        { assignments: [a("L1", "TX", 2), a("L2", "NJ", 1)], backorders: [], hold: null },
      ),
    ).toEqual({
      ok: true,
      ops: [{ kind: "move", fulfillmentOrderId: "F1", toLocationId: "NJ", lines: [{ foLineId: "f2", quantity: 1 }] }],
    });
    // One line's units split between two other locations: a partial move, then the rest moves whole.
    expect(
      planFulfillmentChanges([fo("F1", "TX", [["f1", "L1", 3]])], { assignments: [a("L1", "NJ", 1), a("L1", "WA", 2)], backorders: [], hold: null }),
    ).toEqual({
      ok: true,
      ops: [
        { kind: "move", fulfillmentOrderId: "F1", toLocationId: "NJ", lines: [{ foLineId: "f1", quantity: 1 }] },
        { kind: "move", fulfillmentOrderId: "F1", toLocationId: "WA", lines: "all" },
      ],
    });
  });

  it("holds backordered units where they are: the whole fulfilment order when nothing else stays, else just those units", () => {
    expect(
      planFulfillmentChanges(
        [
          fo("F1", "TX", [
            ["f1", "L1", 2],
            ["f2", "L2", 1],
          ]),
        ],
        { assignments: [a("L1", "TX", 2)], backorders: [{ lineId: "L2", quantity: 1, reason: "NO_STOCK" }], hold: null },
      ),
    ).toEqual({
      ok: true,
      ops: [{ kind: "hold", fulfillmentOrderId: "F1", lines: [{ foLineId: "f2", quantity: 1 }], reason: "INVENTORY_OUT_OF_STOCK" }],
    });
    expect(
      planFulfillmentChanges(
        [
          fo("F1", "TX", [
            ["f1", "L1", 2],
            ["f2", "L2", 1],
          ]),
        ],
        { assignments: [a("L1", "NJ", 2)], backorders: [{ lineId: "L2", quantity: 1, reason: "NO_STOCK" }], hold: null },
      ),
    ).toEqual({
      ok: true,
      ops: [
        { kind: "move", fulfillmentOrderId: "F1", toLocationId: "NJ", lines: [{ foLineId: "f1", quantity: 2 }] },
        { kind: "hold", fulfillmentOrderId: "F1", lines: "all", reason: "INVENTORY_OUT_OF_STOCK" },
      ],
    });
  });

  it("a whole-order hold holds every fulfilment order and moves nothing", () => {
    const groups = [fo("F2", "NJ", [["f2", "L2", 1]]), fo("F1", "TX", [["f1", "L1", 2]])];
    expect(planFulfillmentChanges(groups, { assignments: [], backorders: [], hold: { reason: "OUT_OF_STOCK", short: [] } })).toEqual({
      ok: true,
      ops: [
        { kind: "hold", fulfillmentOrderId: "F1", lines: "all", reason: "INVENTORY_OUT_OF_STOCK" },
        { kind: "hold", fulfillmentOrderId: "F2", lines: "all", reason: "INVENTORY_OUT_OF_STOCK" },
      ],
    });
  });

  it("refuses to re-route work a location has started, and a plan that does not account for every unit", () => {
    expect(planFulfillmentChanges([fo("F1", "TX", [["f1", "L1", 2]], "IN_PROGRESS")], { assignments: [a("L1", "NJ", 2)], backorders: [], hold: null })).toEqual(
      { ok: false, error: { code: "NOT_MOVABLE", fulfillmentOrderId: "F1", status: "IN_PROGRESS" } },
    );
    expect(planFulfillmentChanges([fo("F1", "TX", [["f1", "L1", 2]])], { assignments: [a("L1", "NJ", 1)], backorders: [], hold: null })).toEqual({
      ok: false,
      error: { code: "UNITS_MISMATCH", lineItemId: "L1" },
    });
  });

  it("ignores closed fulfilment orders with nothing left", () => {
    expect(
      planFulfillmentChanges([fo("F0", "TX", [["f0", "L1", 0]], "CLOSED"), fo("F1", "TX", [["f1", "L1", 1]])], {
        assignments: [a("L1", "TX", 1)],
        backorders: [],
        hold: null,
      }),
    ).toEqual({ ok: true, ops: [] });
  });
});
