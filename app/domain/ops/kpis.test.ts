import { describe, expect, it } from "vitest";
import { bucketFor, delta, kpiDays, kpiSummary, percentile, previousPeriod, toCsv } from "./kpis";

const d = (day: number, hour = 0) => new Date(Date.UTC(2026, 10, day, hour));

describe("operations KPIs", () => {
  const input = {
    from: d(1),
    to: d(3),
    orders: [
      { id: "a", placedAt: d(1, 1), channel: "online_store", state: "shipped" },
      { id: "b", placedAt: d(1, 2), channel: "amazon", state: "returned" },
      { id: "c", placedAt: d(2, 3), channel: "online_store", state: "backordered" },
      { id: "d", placedAt: d(2, 4), channel: "pos", state: "received" },
    ],
    decisions: [
      { orderId: "a", at: d(1, 1), outcome: "assigned", applied: "applied", shipments: 1, backordered: 0 },
      { orderId: "b", at: d(1, 2), outcome: "split", applied: "applied", shipments: 2, backordered: 0 },
      { orderId: "c", at: d(2, 3), outcome: "backordered", applied: "applied", shipments: 0, backordered: 1 },
      // A later decision for "c" is not its first attempt.
      { orderId: "c", at: d(2, 9), outcome: "assigned", applied: "applied", shipments: 1, backordered: 0 },
    ],
    shippedAt: new Map([
      ["a", d(1, 11)],
      ["b", d(2, 2)],
    ]),
    returned: new Set<string>(),
    exceptionsRaised: [{ raisedAt: d(2, 5) }],
  };

  it("summarises the period: first-attempt allocation, split, backorder and return rates, ship time, load, channels", () => {
    expect(kpiSummary(input)).toEqual({
      orders: 4,
      routed: 3,
      firstAttemptAllocationRate: 66.7,
      splitRate: 33.3,
      backorderRate: 33.3,
      returnRate: 25,
      exceptionLoadPer100: 25,
      shipHoursP50: 10,
      shipHoursP90: 24,
      ordersByChannel: { online_store: 2, amazon: 1, pos: 1 },
    });
  });

  it("daily series keep empty days and compute per-day load and ship-time percentiles", () => {
    const days = kpiDays(input);
    expect(days.map((x) => x.day)).toEqual(["2026-11-01", "2026-11-02"]);
    expect(days[0]).toMatchObject({ orders: 2, exceptions: 0, shipHoursP50: 10, shipHoursP90: 24 });
    expect(days[1]).toMatchObject({ orders: 2, exceptions: 1, exceptionLoadPer100: 50, shipHoursP50: null });
  });

  it("compares with the previous period and exports CSV", () => {
    expect(previousPeriod(d(8), d(15))).toEqual({ from: d(1), to: d(8) });
    expect(delta(12.5, 10, "points")).toBe(2.5);
    expect(delta(120, 100, "percent")).toBe(20);
    expect(delta(null, 3, "points")).toBeNull();
    expect(percentile([5, 1, 3], 0.5)).toBe(3);
    expect(toCsv(["day", "note"], [["2026-11-01", 'a "quoted", value']])).toBe('day,note\r\n2026-11-01,"a ""quoted"", value"\r\n');
  });
});

describe("short periods", () => {
  it("are bucketed by the hour", () => {
    const from = new Date(Date.UTC(2026, 11, 1));
    const to = new Date(Date.UTC(2026, 11, 2));
    expect(bucketFor(from, to)).toBe("hour");
    expect(bucketFor(from, new Date(Date.UTC(2026, 11, 8)))).toBe("day");
    const days = kpiDays(
      {
        from,
        to,
        orders: [{ id: "a", placedAt: new Date(Date.UTC(2026, 11, 1, 13, 20)), channel: "pos", state: "received" }],
        decisions: [],
        shippedAt: new Map(),
        returned: new Set(),
        exceptionsRaised: [],
      },
      "hour",
    );
    expect(days).toHaveLength(24);
    expect(days[13]).toMatchObject({ day: "2026-12-01T13:00", orders: 1 });
  });
});
