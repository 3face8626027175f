import { describe, expect, it } from "vitest";
import { line, location, route, ruleSet, shipped } from "./test-fixtures";
import type { SourcingLocation } from "./types";

const order = [line("L1", "tee", 1), line("L2", "lighter-fluid", 1, { productTags: ["hazmat"] })];
const stock = { tee: 5, "lighter-fluid": 5 };

describe("eligibility filters", () => {
  it.each<[string, Partial<SourcingLocation>, string]>([
    ["inactive", { active: false }, "inactive"],
    ["not shipping online orders", { shipsOnlineOrders: false }, "does not ship online orders"],
    ["serving other countries only", { servesCountries: ["CA", "MX"] }, "does not serve US-OK"],
    ["serving other regions only", { servesRegions: ["US-TX", "US-CA"] }, "does not serve US-OK"],
    ["without the order's items", { atp: { mug: 4 } }, "has none of the order's items"],
  ])("given a location %s, then it is eliminated by eligibility with that reason", (_, more, reason) => {
    const plan = route({ lines: order, locations: [location("near", "tulsa", stock, more), location("far", "reno", stock)] });
    expect(shipped(plan)).toBe("far: L1×1 L2×1");
    expect(plan.decision.candidates.find((c) => c.locationId === "near")).toEqual({
      locationId: "near",
      eliminatedBy: "eligibility",
      reason,
      rank: null,
      scores: {},
    });
  });

  it("given a location that serves the destination's country and region, then it is eligible", () => {
    const plan = route({ lines: order, locations: [location("near", "tulsa", stock, { servesCountries: ["US"], servesRegions: ["US-OK", "US-TX"] })] });
    expect(shipped(plan)).toBe("near: L1×1 L2×1");
  });

  it("given an address without a province, then a location limited to regions cannot be shown to serve it", () => {
    const plan = route({
      lines: order,
      destination: { countryCode: "US", provinceCode: null, latitude: null, longitude: null },
      locations: [location("near", "tulsa", stock, { servesRegions: ["US-OK"] })],
    });
    expect(plan.decision.candidates[0]).toMatchObject({ eliminatedBy: "eligibility", reason: "does not serve US" });
  });
});

describe("exclude rules", () => {
  const locations = [location("store", "tulsa", stock, { kind: "store", tags: ["store", "outlet"] }), location("dc", "reno", stock, { tags: ["dc"] })];

  it("given an exclude rule for a location tag, then those locations are out whatever the rule's position", () => {
    for (const rules of [
      [{ type: "exclude" as const, locationTag: "outlet" }, { type: "distance" as const }],
      [{ type: "distance" as const }, { type: "exclude" as const, locationTag: "outlet" }],
    ]) {
      const plan = route({ lines: order, locations, ruleSet: ruleSet(rules) });
      expect(shipped(plan)).toBe("dc: L1×1 L2×1");
      expect(plan.decision.candidates.find((c) => c.locationId === "store")).toMatchObject({
        eliminatedBy: "exclude",
        reason: expect.stringContaining('location tag "outlet"'),
      });
    }
  });

  it("given an exclude rule by location id, then that location is out", () => {
    const plan = route({ lines: order, locations, ruleSet: ruleSet([{ type: "exclude", locationId: "store" }, { type: "distance" }]) });
    expect(shipped(plan)).toBe("dc: L1×1 L2×1");
  });

  it("given an exclude rule for a product tag, then only those lines avoid those locations and the rest still ships from the closest", () => {
    const plan = route({
      lines: order,
      locations,
      ruleSet: ruleSet([{ type: "exclude", locationTag: "store", whenProductTag: "hazmat" }, { type: "distance" }]),
    });
    expect(shipped(plan)).toBe("store: L1×1 | dc: L2×1");
    expect(plan.decision.candidates.find((c) => c.locationId === "store")?.reason).toMatch(/may not ship LIGHTER-FLUID \(rule 1/);
    expect(plan.decision.reasonCodes).toContain("EXCLUDED_LINES");
  });

  it("given the excluded lines are all a location stocks, then it is eliminated by the exclude rule", () => {
    const plan = route({
      lines: order,
      locations: [{ ...locations[0]!, atp: { "lighter-fluid": 5 } }, locations[1]!],
      ruleSet: ruleSet([{ type: "exclude", locationTag: "store", whenProductTag: "hazmat" }]),
    });
    expect(plan.decision.candidates.find((c) => c.locationId === "store")).toMatchObject({
      eliminatedBy: "exclude",
      reason: expect.stringContaining("for every item it stocks"),
    });
  });
});
