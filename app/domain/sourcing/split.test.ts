import { describe, expect, it } from "vitest";
import { line, location, route, ruleSet, shipped, winners } from "./test-fixtures";
import type { BackorderPolicy, Rule, SplitPolicy } from "./types";

const closestFirst: Rule[] = [{ type: "distance" }];
const fewestThenClosest: Rule[] = [{ type: "fewest_shipments" }, { type: "distance" }];
const policy = (split: Partial<SplitPolicy>, backorder: BackorderPolicy = { mode: "ship_available" }, rules = closestFirst) =>
  ruleSet(rules, { split: { allow: true, maxShipments: 5, minValuePerShipmentMinor: 0, ...split }, backorder });

// Three items, no location has all three; Tulsa has the most.
const threeItems = [line("L1", "tee", 1), line("L2", "cap", 1), line("L3", "mug", 1)];
const scattered = [location("tulsa", "tulsa", { tee: 3, cap: 3 }), location("dallas", "dallas", { mug: 3 }), location("austin", "austin", { tee: 3, mug: 3 })];

describe("split policy", () => {
  it("given splits are allowed, when no location has everything, then the order ships from as many locations as it needs", () => {
    const plan = route({ lines: threeItems, locations: scattered, ruleSet: policy({}) });
    expect(shipped(plan)).toBe("tulsa: L1×1 L2×1 | dallas: L3×1");
    expect(plan.decision.reasonCodes).toContain("SPLIT_SHIPMENT");
  });

  it.each([
    [{ mode: "ship_available" } as const, "tulsa: L1×1 L2×1", [{ lineId: "L3", quantity: 1, reason: "SPLIT_POLICY" }], null],
    [{ mode: "hold_order" } as const, "", [], "OUT_OF_STOCK"],
  ])(
    "given splits are denied, when the backorder policy is %j, then one location ships what it can or the order is held",
    (backorder, expected, backorders, hold) => {
      const plan = route({ lines: threeItems, locations: scattered, ruleSet: policy({ allow: false }, backorder) });
      expect(shipped(plan)).toBe(expected);
      expect(plan.backorders).toEqual(backorders);
      expect(plan.hold?.reason ?? null).toBe(hold);
      expect(plan.decision.search).toBe("single");
      // The held order still records what would have shipped, and what it waits for.
      expect(plan.decision.shipments.map((s) => s.locationId)).toEqual(["tulsa"]);
    },
  );

  it("given splits are denied, when one location has everything, then it ships even though others are closer", () => {
    const plan = route({
      lines: threeItems,
      locations: [...scattered, location("reno", "reno", { tee: 1, cap: 1, mug: 1 })],
      ruleSet: policy({ allow: false }),
    });
    expect(shipped(plan)).toBe("reno: L1×1 L2×1 L3×1");
  });

  it.each([
    [1, "tulsa: L1×1 L2×1", 1],
    [2, "tulsa: L1×1 L2×1 | dallas: L3×1", 0],
  ])("given at most %i shipment(s), then the plan keeps to it and backorders what it cannot carry", (maxShipments, expected, short) => {
    const plan = route({ lines: threeItems, locations: scattered, ruleSet: policy({ maxShipments }, { mode: "ship_available" }, fewestThenClosest) });
    expect(shipped(plan)).toBe(expected);
    expect(plan.backorders.reduce((n, b) => n + b.quantity, 0)).toBe(short);
  });

  it("given a cap of two and the two closest locations have one item each, then the second shipment goes to the location with the rest instead of stranding it", () => {
    const plan = route({
      lines: threeItems,
      locations: [location("tulsa", "tulsa", { tee: 1 }), location("dallas", "dallas", { cap: 1 }), location("reno", "reno", { tee: 1, cap: 1, mug: 1 })],
      ruleSet: policy({ maxShipments: 2 }),
    });
    expect(shipped(plan)).toBe("tulsa: L1×1 | reno: L2×1 L3×1");
    expect(plan.backorders).toEqual([]);
  });

  describe("minimum value per shipment", () => {
    const priced = [
      line("L1", "tee", 1, { unitPriceMinor: 5000 }),
      line("L2", "cap", 1, { unitPriceMinor: 5000 }),
      line("L3", "mug", 1, { unitPriceMinor: 800 }),
    ];

    it("given the split-off shipment is worth less than the minimum, then that location is left out and its units follow the backorder policy", () => {
      const plan = route({ lines: priced, locations: scattered.slice(0, 2), ruleSet: policy({ minValuePerShipmentMinor: 1000 }) });
      expect(shipped(plan)).toBe("tulsa: L1×1 L2×1");
      expect(plan.backorders).toEqual([{ lineId: "L3", quantity: 1, reason: "SPLIT_POLICY" }]);
      expect(plan.decision.candidates.find((c) => c.locationId === "dallas")).toMatchObject({ eliminatedBy: "split", rank: null });
      expect(plan.decision.reasonCodes).toContain("MIN_SHIPMENT_VALUE");
    });

    it("given the next location would also ship the cheap unit alone, then it is left out in turn", () => {
      const plan = route({ lines: priced, locations: scattered, ruleSet: policy({ minValuePerShipmentMinor: 1000 }) });
      expect(shipped(plan)).toBe("tulsa: L1×1 L2×1");
      expect(plan.decision.candidates.filter((c) => c.eliminatedBy === "split").map((c) => c.locationId)).toEqual(["dallas", "austin"]);
    });

    it("given a single shipment worth less than the minimum, then it still ships: the minimum is for splits", () => {
      const plan = route({ lines: [line("L1", "mug", 1, { unitPriceMinor: 100 })], locations: scattered, ruleSet: policy({ minValuePerShipmentMinor: 1000 }) });
      expect(shipped(plan)).toBe("dallas: L1×1");
    });
  });

  it("given no location has a whole line, then the line is split across locations", () => {
    const plan = route({
      lines: [line("L1", "tee", 5)],
      locations: [location("tulsa", "tulsa", { tee: 3 }), location("dallas", "dallas", { tee: 2 })],
      ruleSet: policy({}),
    });
    expect(shipped(plan)).toBe("tulsa: L1×3 | dallas: L1×2");
  });

  it("given a farther location has the whole line, then the line is not split even when the closer one has part of it", () => {
    const plan = route({
      lines: [line("L1", "tee", 3)],
      locations: [location("tulsa", "tulsa", { tee: 2 }), location("reno", "reno", { tee: 3 })],
      ruleSet: policy({}),
    });
    expect(shipped(plan)).toBe("reno: L1×3");
  });

  it("given two lines of one item, then they draw on the same stock", () => {
    const plan = route({
      lines: [line("L1", "tee", 2), line("L2", "tee", 2)],
      locations: [location("tulsa", "tulsa", { tee: 3 }), location("reno", "reno", { tee: 5 })],
      ruleSet: policy({}),
    });
    expect(shipped(plan)).toBe("tulsa: L1×2 | reno: L2×2");
  });
});

describe("ship-together groups", () => {
  const kit = [line("L1", "tee", 1, { shipTogetherGroup: "gift" }), line("L2", "cap", 1, { shipTogetherGroup: "gift" }), line("L3", "mug", 1)];

  it("given the closest location has only part of a group, then the whole group ships from a location that has all of it", () => {
    const plan = route({
      lines: kit,
      locations: [location("tulsa", "tulsa", { tee: 1, mug: 1 }), location("reno", "reno", { tee: 1, cap: 1 })],
      ruleSet: policy({}),
    });
    expect(shipped(plan)).toBe("reno: L1×1 L2×1 | tulsa: L3×1");
  });

  it("given no location has the whole group, then its lines are backordered as SHIP_TOGETHER although the units exist", () => {
    const plan = route({ lines: kit, locations: [location("tulsa", "tulsa", { tee: 1, mug: 1 }), location("reno", "reno", { cap: 1 })], ruleSet: policy({}) });
    expect(shipped(plan)).toBe("tulsa: L3×1");
    expect(plan.backorders).toEqual([
      { lineId: "L1", quantity: 1, reason: "SHIP_TOGETHER" },
      { lineId: "L2", quantity: 1, reason: "SHIP_TOGETHER" },
    ]);
  });
});

describe("capacity", () => {
  const order = [line("L1", "tee", 1)];
  const rules: Rule[] = [{ type: "capacity" }, { type: "distance" }];

  it.each([
    [9, "tulsa"],
    [10, "dallas"],
    [11, "dallas"],
  ])("given Tulsa has taken %i of its 10 orders today, then %s ships", (ordersToday, expected) => {
    const plan = route({
      lines: order,
      locations: [
        location("tulsa", "tulsa", { tee: 1 }, { dailyCapacity: 10, ordersToday }),
        location("dallas", "dallas", { tee: 1 }, { dailyCapacity: 10, ordersToday: 0 }),
      ],
      ruleSet: ruleSet(rules),
    });
    expect(winners(plan)).toEqual([expected]);
  });

  it("given every location is at capacity, then the order still ships (capacity deprioritises, it does not filter) and the record flags it", () => {
    const full = { dailyCapacity: 5, ordersToday: 5 };
    const plan = route({
      lines: order,
      locations: [location("tulsa", "tulsa", { tee: 1 }, full), location("dallas", "dallas", { tee: 1 }, full)],
      ruleSet: ruleSet(rules),
    });
    expect(winners(plan)).toEqual(["tulsa"]);
    expect(plan.decision.reasonCodes).toContain("AT_CAPACITY_USED");
  });

  it("given a location with no daily limit, then it is never at capacity", () => {
    const plan = route({
      lines: order,
      locations: [location("tulsa", "tulsa", { tee: 1 }, { dailyCapacity: null, ordersToday: 10_000 })],
      ruleSet: ruleSet(rules),
    });
    expect(plan.decision.candidates[0]!.scores.capacity).toBe(0);
  });
});

describe("inventory balance", () => {
  it("given two locations with the whole order, then the one left with more stock ships it, and its score is the units left", () => {
    const plan = route({
      lines: [line("L1", "tee", 2)],
      locations: [location("tulsa", "tulsa", { tee: 3 }), location("reno", "reno", { tee: 9 })],
      ruleSet: ruleSet([{ type: "inventory_balance" }]),
    });
    expect(winners(plan)).toEqual(["reno"]);
    expect(plan.decision.candidates.map((c) => [c.locationId, c.scores.inventory_balance])).toEqual([
      ["reno", 7],
      ["tulsa", 1],
    ]);
  });
});
