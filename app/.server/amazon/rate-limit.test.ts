import { describe, expect, it } from "vitest";
import { DEFAULT_PLANS, windowOf } from "./rate-limit";

describe("Amazon usage plans as fixed windows", () => {
  it("never allow more than the token bucket, even two windows back to back", () => {
    for (const plan of [...Object.values(DEFAULT_PLANS), { rate: 1.344, burst: 20 }, { rate: 0.672, burst: 20 }, { rate: 40, burst: 20 }]) {
      const w = windowOf(plan);
      expect(w.points / w.duration).toBeLessThanOrEqual(plan.rate + 1e-9);
      expect(2 * w.points).toBeLessThanOrEqual(Math.max(2, plan.burst));
      expect(Number.isInteger(w.duration)).toBe(true);
    }
  });

  it("keep searchOrders at one call per 179 s", () => {
    expect(windowOf(DEFAULT_PLANS.searchOrders)).toEqual({ points: 1, duration: 179 });
  });
});
