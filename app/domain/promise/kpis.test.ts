import { describe, expect, it } from "vitest";
import { promiseKpisOf } from "./kpis";

describe("promised vs actual", () => {
  it("counts a delivery on or before the promised last day as kept, and spreads actual − promised by carrier and zone", () => {
    const k = promiseKpisOf([
      { carrier: "UPS", zone: "US-OK", latest: "2026-12-04", deliveredOn: "2026-12-03", atRisk: false },
      { carrier: "UPS", zone: "US-OK", latest: "2026-12-04", deliveredOn: "2026-12-04", atRisk: false },
      { carrier: "UPS", zone: "US-NY", latest: "2026-12-04", deliveredOn: "2026-12-06", atRisk: true },
      { carrier: "FedEx", zone: "US-NY", latest: "2026-12-04", deliveredOn: "2026-12-10", atRisk: false },
      { carrier: "FedEx", zone: "US-NY", latest: "2026-12-09", deliveredOn: null, atRisk: true },
    ]);
    expect([k.promised, k.delivered, k.kept, k.keptPct, k.atRisk]).toEqual([5, 4, 2, 50, 1]);
    expect(k.byCarrier.map((r) => [r.key, r.delivered, r.keptPct, r.meanDeltaDays])).toEqual([
      ["UPS", 3, 66.7, 0.3],
      ["FedEx", 1, 0, 6],
    ]);
    expect(k.byZone.find((r) => r.key === "US-NY")!.histogram).toEqual({ "≤ −3": 0, "−2": 0, "−1": 0, "0": 0, "+1": 0, "+2": 1, "≥ +3": 1 });
    expect(k.overall.histogram["−1"]).toBe(1);
  });

  it("has no percentage before anything is delivered", () => {
    expect(promiseKpisOf([]).keptPct).toBeNull();
  });
});
