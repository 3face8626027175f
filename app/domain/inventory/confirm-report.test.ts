import { describe, expect, it } from "vitest";
import { confirmedByReport, type HeldLevel, type LevelReport } from "./confirm-report";

const t = (s: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, s));
const policy = { staleFeed: "fail_open" as const, staleAfterMinutes: 60 };
// 10 on hand, nothing promised before: Shopify's available 10. The OMS has since reserved 2 here.
const level = (over: Partial<HeldLevel> = {}): HeldLevel => ({
  onHand: 10,
  reserved: 2,
  safetyStock: 0,
  committed: 0,
  unavailable: 0,
  heldBack: 0,
  shopifyAvailable: 10,
  observedAt: t(0),
  shopifyAsOf: t(1),
  ...over,
});
const report = (over: Partial<LevelReport> = {}): LevelReport => ({ reportedAvailable: 8, reportedAt: t(5), expectedDelta: 0, needsRead: false, ...over });

describe("confirmedByReport", () => {
  it("a report after the last read that equals the OMS's ATP confirms the level: Shopify committed what the OMS reserved", () => {
    expect(confirmedByReport(level(), report(), policy, t(6))).toEqual({ onHand: 10, available: 8, committed: 2, unavailable: 0, heldBack: 0 });
  });

  it("the committed it infers keeps safety stock and units held back out of it", () => {
    const held = level({ onHand: 12, safetyStock: 1, heldBack: 1, unavailable: 1, shopifyAvailable: 10 });
    // ATP = 12 − 2 reserved − 1 safety − 1 unavailable = 8.
    expect(confirmedByReport(held, report(), policy, t(6))).toEqual({ onHand: 12, available: 8, committed: 2, unavailable: 1, heldBack: 1 });
  });

  it("a report that differs from ATP is read: on hand changed (a count), or Shopify committed what the OMS has not reserved yet", () => {
    expect(confirmedByReport(level(), report({ reportedAvailable: 5 }), policy, t(6))).toBeNull();
    expect(confirmedByReport(level({ reserved: 0 }), report(), policy, t(6))).toBeNull();
  });

  it("a report no later than what the OMS already knows of the level is read, whatever it says", () => {
    expect(confirmedByReport(level(), report({ reportedAt: t(1) }), policy, t(6))).toBeNull();
    expect(confirmedByReport(level(), report({ reportedAt: t(0) }), policy, t(6))).toBeNull();
  });

  it("a read asked for, a level never read, or a report without its available or time is read", () => {
    expect(confirmedByReport(level(), report({ needsRead: true }), policy, t(6))).toBeNull();
    expect(confirmedByReport(level({ observedAt: null }), report(), policy, t(6))).toBeNull();
    expect(confirmedByReport(level({ shopifyAsOf: null }), report(), policy, t(6))).toBeNull();
    expect(confirmedByReport(level(), report({ reportedAvailable: null }), policy, t(6))).toBeNull();
    expect(confirmedByReport(level(), report({ reportedAt: null }), policy, t(6))).toBeNull();
  });

  it("units the OMS released there (an order moved away) are given back to Shopify's available without a report", () => {
    // Shopify had committed 2 here and the OMS reserved them; the order moved away: both are 0 now.
    const moved = level({ reserved: 0, committed: 2, shopifyAvailable: 8 });
    const released = { reportedAvailable: null, reportedAt: null, expectedDelta: 2, needsRead: false };
    expect(confirmedByReport(moved, released, policy, t(6))).toEqual({ onHand: 10, available: 10, committed: 0, unavailable: 0, heldBack: 0 });
    // A report that already carries the release, plus the release again, is a difference: read.
    expect(confirmedByReport(moved, { ...released, reportedAvailable: 10, reportedAt: t(5) }, policy, t(6))).toBeNull();
    // A checkout reported here after the move, and the release: both count.
    expect(
      confirmedByReport(level({ reserved: 1, committed: 2, shopifyAvailable: 8 }), { ...released, reportedAvailable: 7, reportedAt: t(5) }, policy, t(6)),
    ).toEqual({ onHand: 10, available: 9, committed: 1, unavailable: 0, heldBack: 0 });
  });

  it("a reservation with neither report nor release (another channel's order) is read: Shopify does not know of it and must be pushed", () => {
    expect(confirmedByReport(level(), { reportedAvailable: null, reportedAt: null, expectedDelta: 0, needsRead: false }, policy, t(6))).toBeNull();
  });

  it("under a fail-closed stale feed a stale level promises nothing, so a report of stock is read", () => {
    const closed = { staleFeed: "fail_closed" as const, staleAfterMinutes: 1 };
    expect(confirmedByReport(level(), report(), closed, t(120))).toBeNull();
  });
});
