import { describe, expect, it } from "vitest";
import { line, location, NOW, route, ruleSet, shipped } from "./test-fixtures";
import type { BackorderPolicy } from "./types";

const order = [line("L1", "tee", 2), line("L2", "cap", 3)];
// Tees are there; only one cap exists anywhere.
const shortOfCaps = [location("tulsa", "tulsa", { tee: 5, cap: 1 })];
const withPolicy = (backorder: BackorderPolicy) => ruleSet([{ type: "distance" }], { backorder });
const days = (n: number) => n * 86_400_000;

describe("backorders", () => {
  it("given hold_order, when units are missing, then nothing ships and the hold says what is short", () => {
    const plan = route({ lines: order, locations: shortOfCaps, ruleSet: withPolicy({ mode: "hold_order" }) });
    expect(plan.assignments).toEqual([]);
    expect(plan.hold).toEqual({ reason: "OUT_OF_STOCK", short: [{ lineId: "L2", quantity: 2, reason: "INSUFFICIENT_STOCK" }] });
    expect(plan.decision.reasonCodes).toContain("HELD_OUT_OF_STOCK");
  });

  it("given ship_available, when units are missing, then the rest ships and the missing units are backordered", () => {
    const plan = route({ lines: order, locations: shortOfCaps, ruleSet: withPolicy({ mode: "ship_available" }) });
    expect(shipped(plan)).toBe("tulsa: L1×2 L2×1");
    expect(plan.backorders).toEqual([{ lineId: "L2", quantity: 2, reason: "INSUFFICIENT_STOCK" }]);
    expect(plan.hold).toBeNull();
    expect(plan.decision.reasonCodes).toContain("BACKORDERED");
  });

  it("given wait_days, when the order first waits, then it is held until now + N days", () => {
    const plan = route({ lines: order, locations: shortOfCaps, ruleSet: withPolicy({ mode: "wait_days", waitDays: 3 }) });
    expect(plan.hold).toEqual({
      reason: "AWAITING_STOCK",
      until: new Date(NOW.getTime() + days(3)),
      short: [{ lineId: "L2", quantity: 2, reason: "INSUFFICIENT_STOCK" }],
    });
    expect(plan.assignments).toEqual([]);
  });

  it.each([
    [1, "AWAITING_STOCK"],
    [3, null],
    [5, null],
  ])(
    "given wait_days 3, when the order has waited %i day(s), then the hold is %s (the deadline does not move, and after it what is available ships)",
    (waited, hold) => {
      const plan = route({
        lines: order,
        locations: shortOfCaps,
        ruleSet: withPolicy({ mode: "wait_days", waitDays: 3 }),
        waitingSince: new Date(NOW.getTime() - days(waited)),
      });
      expect(plan.hold?.reason ?? null).toBe(hold);
      if (hold) expect(plan.hold?.until).toEqual(new Date(NOW.getTime() + days(3 - waited)));
      else {
        expect(shipped(plan)).toBe("tulsa: L1×2 L2×1");
        expect(plan.decision.reasonCodes).toContain("WAIT_EXPIRED");
      }
    },
  );

  it.each([
    ["no eligible location has the item", [location("tulsa", "tulsa", { tee: 5 })], "NO_STOCK"],
    ["all of them together have too few", [location("tulsa", "tulsa", { tee: 5, cap: 1 }), location("reno", "reno", { cap: 1 })], "INSUFFICIENT_STOCK"],
  ])("given %s, then the reason says so", (_, locations, reason) => {
    const plan = route({ lines: order, locations, ruleSet: withPolicy({ mode: "ship_available" }) });
    expect(plan.backorders.map((b) => b.reason)).toEqual([reason]);
  });

  it("given nothing at all is in stock, then under ship_available everything is backordered and nothing ships", () => {
    const plan = route({ lines: order, locations: [location("tulsa", "tulsa", {})], ruleSet: withPolicy({ mode: "ship_available" }) });
    expect(plan.assignments).toEqual([]);
    expect(plan.backorders).toEqual([
      { lineId: "L1", quantity: 2, reason: "NO_STOCK" },
      { lineId: "L2", quantity: 3, reason: "NO_STOCK" },
    ]);
    expect(plan.decision.reasonCodes).toContain("NO_SHIPMENT");
  });
});

describe("pickup in store (BOPIS)", () => {
  const store = location("store-austin", "austin", { tee: 5, cap: 5 }, { kind: "store", shipsOnlineOrders: false, servesCountries: ["CA"] });
  const better = location("tulsa", "tulsa", { tee: 9, cap: 9 }, { priority: 0 });
  const pickup = { method: "pickup" as const, pickupLocationId: "store-austin" };

  it("given a pickup order, then it routes to the chosen store only — even if it does not ship online nor serve the address", () => {
    const plan = route({ lines: order, locations: [better, store], delivery: pickup, ruleSet: ruleSet([{ type: "distance" }, { type: "priority" }]) });
    expect(shipped(plan)).toBe("store-austin: L1×2 L2×3");
    expect(plan.decision.candidates.find((c) => c.locationId === "tulsa")).toMatchObject({
      eliminatedBy: "eligibility",
      reason: "not the customer's pickup location",
    });
    expect(plan.decision.reasonCodes).toContain("PICKUP");
    expect(plan.decision.candidates[0]!.scores.distance).toBe(0);
  });

  it("given the store lacks a unit, then nothing is split to another location even if splits are allowed: the backorder policy applies", () => {
    const plan = route({
      lines: order,
      locations: [better, { ...store, atp: { tee: 5, cap: 1 } }],
      delivery: pickup,
      ruleSet: withPolicy({ mode: "hold_order" }),
    });
    expect(plan.hold?.short).toEqual([{ lineId: "L2", quantity: 2, reason: "INSUFFICIENT_STOCK" }]);
  });

  it("given the chosen store is inactive, then the order is held rather than rejected", () => {
    const plan = route({ lines: order, locations: [better, { ...store, active: false }], delivery: pickup, ruleSet: withPolicy({ mode: "hold_order" }) });
    expect(plan.hold?.reason).toBe("OUT_OF_STOCK");
    expect(plan.hold?.short.map((s) => s.reason)).toEqual(["NO_STOCK", "NO_STOCK"]);
  });
});

describe("drop-ship", () => {
  it("given an item only the supplier's feed has, then the supplier ships it and the record notes the drop-ship", () => {
    const supplier = location("acme-supply", "chicago", { kayak: 40 }, { kind: "dropship", priority: 9 });
    const plan = route({
      lines: [line("L1", "tee", 1), line("L2", "kayak", 1)],
      locations: [location("tulsa", "tulsa", { tee: 5 }), supplier],
      ruleSet: ruleSet([{ type: "priority" }]),
    });
    expect(shipped(plan)).toBe("tulsa: L1×1 | acme-supply: L2×1");
    expect(plan.decision.reasonCodes).toContain("DROPSHIP");
  });

  it("given the supplier's feed says zero, then the supplier is not eligible", () => {
    const plan = route({ lines: [line("L1", "kayak", 1)], locations: [location("acme-supply", "chicago", { kayak: 0 }, { kind: "dropship" })] });
    expect(plan.decision.candidates[0]).toMatchObject({ eliminatedBy: "eligibility", reason: "has none of the order's items" });
    expect(plan.backorders).toEqual([{ lineId: "L1", quantity: 1, reason: "NO_STOCK" }]);
  });
});
