import { describe, expect, it } from "vitest";
import { sourcingKpis, type LiveDecisionFigures } from "./kpis";

const d = (orderId: string, outcome: string, applied: string, shipments: number, backordered = 0): LiveDecisionFigures => ({
  orderId,
  outcome,
  applied,
  shipments,
  backordered,
});

describe("sourcing KPIs", () => {
  it("given no decisions, every rate is unknown rather than zero", () => {
    expect(sourcingKpis([])).toEqual({
      routed: 0,
      firstAttemptRate: null,
      splitRate: null,
      shipmentsPerOrder: null,
      backorderRate: null,
      held: 0,
      rejectedByShopify: 0,
    });
  });

  it("counts first-attempt allocation only for fully allocated plans Shopify took as they were", () => {
    const k = sourcingKpis([
      d("a", "assigned", "applied", 1),
      d("b", "split", "unchanged", 2),
      d("c", "split", "rejected", 2),
      d("d", "backordered", "applied", 1, 3),
      d("e", "held", "unchanged", 0),
      d("f", "error", "not_applied", 0),
      d("g", "assigned", "not_applied", 1),
      d("h", "assigned", "unchanged", 1),
    ]);
    expect(k).toEqual({ routed: 8, firstAttemptRate: 3 / 8, splitRate: 2 / 8, shipmentsPerOrder: 8 / 7, backorderRate: 1 / 8, held: 1, rejectedByShopify: 1 });
  });

  it("counts an order once even if it has two live rows", () => {
    expect(sourcingKpis([d("a", "assigned", "applied", 1), d("a", "split", "applied", 2)]).routed).toBe(1);
  });
});
