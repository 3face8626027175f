import { describe, expect, it } from "vitest";
import { line, location, route, ruleSet, shipped, winners } from "./test-fixtures";
import type { RankingRuleType, Rule } from "./types";

const r = (...types: RankingRuleType[]): Rule[] => types.map((type) => ({ type }));
const order = [line("L1", "tee", 2), line("L2", "cap", 1)];

// Five locations that can each ship the whole order, each best on exactly one rule.
const everyoneHasIt = [
  location("near", "tulsa", { tee: 5, cap: 5 }, { priority: 4, handlingCostMinor: 900, dailyCapacity: 10, ordersToday: 10 }),
  location("ranked", "chicago", { tee: 5, cap: 5 }, { priority: 1, handlingCostMinor: 700, dailyCapacity: 10, ordersToday: 10 }),
  location("cheap", "newark", { tee: 5, cap: 5 }, { priority: 3, handlingCostMinor: 100, dailyCapacity: 10, ordersToday: 10 }),
  location("deep", "reno", { tee: 50, cap: 50 }, { priority: 5, handlingCostMinor: 600, dailyCapacity: 10, ordersToday: 10 }),
  location("roomy", "la", { tee: 5, cap: 5 }, { priority: 2, handlingCostMinor: 500, dailyCapacity: 10, ordersToday: 3 }),
];

describe("each ranking rule on its own", () => {
  it.each([
    [r("priority"), "ranked"],
    [r("distance"), "near"],
    [r("cost"), "cheap"],
    [r("inventory_balance"), "deep"],
    [r("capacity"), "roomy"],
    // Everyone ships it all in one shipment: fewest_shipments leaves a five-way tie, broken by id.
    [r("fewest_shipments"), "cheap"],
    [r(), "cheap"],
  ])("given five locations that each have the whole order, when the rule set is %j, then %s ships it", (rules, winner) => {
    const plan = route({ lines: order, locations: everyoneHasIt, ruleSet: ruleSet(rules) });
    expect(shipped(plan)).toBe(`${winner}: L1×2 L2×1`);
    expect(plan.decision.shipments).toHaveLength(1);
  });

  it("given a cost rule, then cost is handling plus the distance cost per km or by band", () => {
    const plan = route({
      lines: order,
      locations: [
        location("per-km", "dallas", { tee: 5, cap: 5 }, { handlingCostMinor: 200, distanceCost: { perKmMinor: 2 } }), // 200 + round(2 × 306.3 km) = 813
        location(
          "banded",
          "austin",
          { tee: 5, cap: 5 },
          {
            handlingCostMinor: 300,
            distanceCost: {
              bands: [
                { upToKm: 1000, costMinor: 450 },
                { upToKm: 300, costMinor: 100 },
              ],
            },
          },
        ), // 300 + 450 = 750
      ],
      ruleSet: ruleSet(r("cost")),
    });
    expect(winners(plan)).toEqual(["banded"]);
    expect(plan.decision.candidates.map((c) => [c.locationId, c.scores.cost])).toEqual([
      ["banded", 750],
      ["per-km", 813],
    ]);
  });
});

describe("the order of the rules decides", () => {
  // tee only near one way, cap only near another; the far warehouse has both.
  const splitOrWait = [location("tulsa", "tulsa", { tee: 5 }), location("dallas", "dallas", { cap: 5 }), location("reno", "reno", { tee: 5, cap: 5 })];
  it.each([
    [r("fewest_shipments", "distance"), ["reno"]],
    [r("distance", "fewest_shipments"), ["dallas", "tulsa"]],
  ])("given the nearest stock is in two places and all of it far away, when the rules are %j, then %j ship", (rules, expected) => {
    expect(winners(route({ lines: order, locations: splitOrWait, ruleSet: ruleSet(rules) }))).toEqual(expected);
  });

  const nearButFull = [
    location("tulsa", "tulsa", { tee: 5, cap: 5 }, { priority: 2, handlingCostMinor: 900, dailyCapacity: 20, ordersToday: 20 }),
    location("dallas", "dallas", { tee: 5, cap: 5 }, { priority: 1, handlingCostMinor: 100 }),
  ];
  it.each([
    [r("distance", "priority"), "tulsa"],
    [r("priority", "distance"), "dallas"],
    [r("distance", "capacity"), "tulsa"],
    [r("capacity", "distance"), "dallas"],
    [r("distance", "cost"), "tulsa"],
    [r("cost", "distance"), "dallas"],
  ])("given the nearest location is lower-ranked, dearer and full, when the rules are %j, then %s ships", (rules, expected) => {
    expect(winners(route({ lines: order, locations: nearButFull, ruleSet: ruleSet(rules) }))).toEqual([expected]);
  });

  describe("rules before fewest_shipments make tiers it cannot cross", () => {
    const warehousesFirst = [
      location("wh-east", "chicago", { tee: 5 }, { priority: 1 }),
      location("wh-west", "reno", { cap: 5 }, { priority: 1 }),
      location("store", "dallas", { tee: 5, cap: 5 }, { priority: 2 }),
    ];
    it.each([
      [r("priority", "fewest_shipments", "distance"), ["wh-east", "wh-west"]],
      [r("fewest_shipments", "priority", "distance"), ["store"]],
    ])("given two top-ranked warehouses with half the order each and a store with all of it, when %j, then %j ship", (rules, expected) => {
      expect(winners(route({ lines: order, locations: warehousesFirst, ruleSet: ruleSet(rules) }))).toEqual(expected);
    });

    it("given tied priorities, then fewest_shipments decides inside the tier", () => {
      const tied = warehousesFirst.map((l) => ({ ...l, priority: 1 }));
      expect(winners(route({ lines: order, locations: tied, ruleSet: ruleSet(r("priority", "fewest_shipments", "distance")) }))).toEqual(["store"]);
    });
  });
});

describe("fewest_shipments: exact search within the budget, greedy set cover beyond it", () => {
  // Nine single-unit lines. a, b and c together hold everything; "big" holds five items, so
  // greedy set cover picks it first and then still needs three more locations.
  const lines = Array.from({ length: 9 }, (_, i) => line(`L${i + 1}`, `i${i + 1}`, 1));
  const has = (...items: number[]) => Object.fromEntries(items.map((i) => [`i${i}`, 1]));
  const core = [
    location("a", "dallas", has(1, 2, 3)),
    location("b", "dallas", has(4, 5, 6)),
    location("c", "dallas", has(7, 8, 9)),
    location("big", "dallas", has(1, 2, 4, 5, 7)),
  ];
  const decoys = Array.from({ length: 20 }, (_, i) => location(`decoy-${String(i).padStart(2, "0")}`, "reno", has(1)));

  it("given 4 useful locations, when the exact search runs, then it finds the 3-shipment optimum", () => {
    const plan = route({ lines, locations: core, ruleSet: ruleSet(r("fewest_shipments", "distance")) });
    expect(winners(plan)).toEqual(["a", "b", "c"]);
    expect(plan.decision.search).toBe("exact");
    expect(plan.decision.reasonCodes).toContain("SEARCH_EXACT");
  });

  it("given 24 useful locations, when triples would exceed the budget, then greedy set cover is used and says so", () => {
    const plan = route({ lines, locations: [...core, ...decoys], ruleSet: ruleSet(r("fewest_shipments", "distance")) });
    expect(plan.decision.search).toBe("greedy");
    expect(plan.decision.reasonCodes).toContain("SEARCH_GREEDY");
    // Greedy picks "big" first, then c, a and b; the clean-up pass drops "big" as redundant.
    expect(winners(plan)).toEqual(["a", "b", "c"]);
    expect(plan.backorders).toEqual([]);
  });
});

describe("determinism", () => {
  const twins = [location("b-dallas", "dallas", { tee: 5, cap: 5 }), location("a-dallas", "dallas", { tee: 5, cap: 5 })];

  it("given two identical locations, then the smaller location id wins and the record says so", () => {
    const plan = route({ lines: order, locations: twins, ruleSet: ruleSet(r("distance", "priority")) });
    expect(winners(plan)).toEqual(["a-dallas"]);
    expect(plan.decision.shipments[0]!.decidedBy).toBe("location_id");
  });

  it("given the same input in another order, then the output is identical", () => {
    const locations = [...everyoneHasIt, ...twins];
    const rs = ruleSet(r("fewest_shipments", "capacity", "distance"));
    const once = route({ lines: order, locations, ruleSet: rs });
    expect(route({ lines: order, locations: [...locations].reverse(), ruleSet: rs })).toEqual(once);
    expect(route({ lines: order, locations, ruleSet: rs })).toEqual(once);
  });
});

describe("without destination coordinates", () => {
  it("given the address could not be located, then every location is equally far, the next rule decides and the record says why", () => {
    const plan = route({
      lines: order,
      destination: { countryCode: "US", provinceCode: "OK", latitude: null, longitude: null },
      locations: [location("tulsa", "tulsa", { tee: 5, cap: 5 }, { priority: 2 }), location("reno", "reno", { tee: 5, cap: 5 }, { priority: 1 })],
      ruleSet: ruleSet(r("distance", "priority")),
    });
    expect(winners(plan)).toEqual(["reno"]);
    expect(plan.decision.shipments[0]!.decidedBy).toBe("priority");
    expect(plan.decision.candidates.map((c) => c.scores.distance)).toEqual([0, 0]);
    expect(plan.decision.reasonCodes).toContain("DESTINATION_UNLOCATED");
    expect(plan.decision.explanation[0]).toMatch(/no coordinates: every location counts as equally far/);
  });
});
