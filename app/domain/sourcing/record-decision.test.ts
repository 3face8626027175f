import { describe, expect, it } from "vitest";
import { explanationText } from "./record-decision";
import { line, location, route, ruleSet } from "./test-fixtures";

const texas = [
  location("gid://shopify/Location/2", "dallas", { tee: 5, cap: 5 }, { name: "Dallas TX" }),
  location("gid://shopify/Location/3", "austin", { tee: 5, cap: 5 }, { name: "Austin TX" }),
  location("gid://shopify/Location/4", "tulsa", { tee: 5 }, { name: "Tulsa OK" }),
  location("gid://shopify/Location/5", "reno", { tee: 5, cap: 5 }, { name: "Reno NV", active: false }),
];
const order = [line("L1", "tee", 2), line("L2", "cap", 1)];

describe("the decision record", () => {
  it("given one shipment, then it names the rule that decided against the runner-up, in a sentence and as codes", () => {
    const { decision } = route({
      lines: order,
      locations: texas,
      ruleSet: ruleSet([{ type: "fewest_shipments" }, { type: "distance" }], { id: "rs-texas", version: 7 }),
    });
    expect(decision).toMatchObject({ ruleSetId: "rs-texas", version: 7, at: new Date("2026-11-23T12:00:00Z"), search: "exact" });
    expect(decision.explanation).toEqual([
      "Not eligible: Reno NV (inactive)",
      "Dallas TX: closest eligible location with all 3 units (306 km; next: Austin TX, 579 km)",
    ]);
    expect(decision.reasonCodes).toEqual(["ELIMINATED_INACTIVE", "SEARCH_EXACT", "SINGLE_SHIPMENT", "DECIDED_BY_DISTANCE"]);
    // On the order's timeline the lines read as sentences, not run together.
    expect(explanationText(decision.explanation)).toBe(
      "Not eligible: Reno NV (inactive). Dallas TX: closest eligible location with all 3 units (306 km; next: Austin TX, 579 km).",
    );
    expect(decision.shipments).toEqual([
      {
        locationId: "gid://shopify/Location/2",
        lines: [
          { lineId: "L1", quantity: 2 },
          { lineId: "L2", quantity: 1 },
        ],
        units: 3,
        valueMinor: 3000,
        decidedBy: "distance",
      },
    ]);
  });

  it("lists every candidate: the eligible ones in rank order with their scores, then the eliminated ones with the filter that removed them", () => {
    const { decision } = route({ lines: order, locations: texas, ruleSet: ruleSet([{ type: "fewest_shipments" }, { type: "distance" }]) });
    expect(decision.candidates).toEqual([
      {
        locationId: "gid://shopify/Location/4",
        eliminatedBy: null,
        rank: 1,
        reason: "eligible, not used: could ship 2 of 3 units alone",
        scores: { fewest_shipments: 2, distance: 157.2 },
      },
      {
        locationId: "gid://shopify/Location/2",
        eliminatedBy: null,
        rank: 2,
        reason: "ships 3 units (shipment 1)",
        scores: { fewest_shipments: 3, distance: 306.5 },
      },
      {
        locationId: "gid://shopify/Location/3",
        eliminatedBy: null,
        rank: 3,
        reason: "eligible, not used: could ship 3 of 3 units alone",
        scores: { fewest_shipments: 3, distance: 578.6 },
      },
      { locationId: "gid://shopify/Location/5", eliminatedBy: "eligibility", rank: null, reason: "inactive", scores: {} },
    ]);
  });

  it("given a split, then each shipment gets a sentence with what it carries and where it ranked", () => {
    const { decision } = route({ lines: order, locations: texas, ruleSet: ruleSet([{ type: "distance" }]) });
    expect(decision.explanation.slice(1)).toEqual([
      "Split into 2 shipments (locations filled in rank order)",
      "Shipment 1 of 2 — Tulsa OK: 2 of 3 units (TEE ×2); ranked #1 of 3 eligible, 157 km",
      "Shipment 2 of 2 — Dallas TX: 1 of 3 units (CAP ×1); ranked #2 of 3 eligible, 306 km",
    ]);
  });

  it("given a held order, then the record still shows what would ship and says what the order waits for", () => {
    const { decision } = route({
      lines: [...order, line("L3", "mug", 2)],
      locations: texas,
      ruleSet: ruleSet([{ type: "fewest_shipments" }, { type: "distance" }], { backorder: { mode: "wait_days", waitDays: 2 } }),
    });
    expect(decision.shipments.map((s) => s.locationId)).toEqual(["gid://shopify/Location/2"]);
    expect(decision.explanation.at(-1)).toBe("Order held until 2026-11-25T12:00:00.000Z (backorder policy wait_days); short: MUG ×2: no stock");
    expect(decision.reasonCodes).toContain("HELD_AWAITING_STOCK");
  });

  it("given the only eligible location, then it says so", () => {
    const { decision } = route({ lines: order, locations: texas.slice(0, 1), ruleSet: ruleSet([{ type: "distance" }]) });
    expect(decision.explanation).toEqual(["Dallas TX: the only eligible location with all 3 units (306 km)"]);
  });
});
