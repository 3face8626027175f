import { describe, expect, it } from "vitest";
import type { LocationCalendar } from "./calendar";
import { line, location, route, ruleSet, shipped, winners } from "./test-fixtures";
import type { RankingRuleType, Rule } from "./types";

const r = (...types: RankingRuleType[]): Rule[] => types.map((type) => ({ type }));
const order = [line("L1", "tee", 2), line("L2", "cap", 1)];
// The fixtures' now is Monday 23 November 2026, 12:00 UTC: 07:00 in New York.
const weekdays = (more: Partial<LocationCalendar> = {}): LocationCalendar => ({
  timeZone: "America/New_York",
  shipDays: [1, 2, 3, 4, 5],
  cutoffMinutes: 15 * 60,
  closedDates: [],
  ...more,
});

describe("location calendars in sourcing", () => {
  // "near" is closer, but its early cut-off has passed: it ships tomorrow; "far" ships today.
  const locations = [
    location("near", "tulsa", { tee: 5, cap: 5 }, { calendar: weekdays({ cutoffMinutes: 6 * 60 }) }),
    location("far", "reno", { tee: 5, cap: 5 }, { calendar: weekdays() }),
  ];

  it.each([
    [r("distance"), "near"],
    [r("ship_date", "distance"), "far"],
    [r("distance", "ship_date"), "near"],
  ])("given the closer location past its cut-off, when the rules are %j, then %s ships", (rules, winner) => {
    expect(shipped(route({ lines: order, locations, ruleSet: ruleSet(rules) }))).toBe(`${winner}: L1×2 L2×1`);
  });

  it("records each location's days to ship and says the winner ships soonest", () => {
    const plan = route({ lines: order, locations, ruleSet: ruleSet(r("ship_date", "distance")) });
    expect(plan.decision.candidates.map((c) => [c.locationId, c.scores.ship_date])).toEqual([
      ["far", 0],
      ["near", 1],
    ]);
    expect(plan.decision.shipments[0]).toMatchObject({ locationId: "far", decidedBy: "ship_date" });
    expect(plan.decision.explanation.join(" ")).toMatch(/ships soonest.*ships today \(2026-11-23\).*ships 2026-11-24/);
  });

  it("a location without a calendar ships any day and ties with one that ships today", () => {
    const plan = route({
      lines: order,
      locations: [location("any", "reno", { tee: 5, cap: 5 }), location("near", "tulsa", { tee: 5, cap: 5 }, { calendar: weekdays() })],
      ruleSet: ruleSet(r("ship_date", "distance")),
    });
    expect(winners(plan)).toEqual(["near"]);
  });

  it("a location with no shipping day in the next fortnight is not eligible; its stock is not promised", () => {
    const closed = location("closed", "tulsa", { tee: 5, cap: 5 }, { calendar: weekdays({ shipDays: [] }) });
    const plan = route({ lines: order, locations: [closed, location("far", "reno", { tee: 5, cap: 5 })], ruleSet: ruleSet(r("distance")) });
    expect(winners(plan)).toEqual(["far"]);
    expect(plan.decision.candidates.find((c) => c.locationId === "closed")).toMatchObject({
      eliminatedBy: "eligibility",
      reason: "no shipping day in the next 14 days",
      rank: null,
    });

    const alone = route({ lines: order, locations: [closed], ruleSet: ruleSet(r("distance")) });
    expect(alone.assignments).toEqual([]);
    expect(alone.backorders.map((b) => [b.lineId, b.quantity])).toEqual([
      ["L1", 2],
      ["L2", 1],
    ]);
  });
});
