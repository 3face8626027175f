import { describe, expect, it } from "vitest";
import { atp, channelAtp, heldBackFor, holdBackDelta, isStale, type Level } from "./atp";

const at = new Date("2026-11-23T12:00:00Z");
const level = (l: Partial<Level>): Level => ({ onHand: 10, reserved: 0, safetyStock: 0, committed: 0, unavailable: 0, observedAt: at, ...l });

describe("available to promise", () => {
  it("is on hand less reservations, safety stock and other unavailable units, never negative", () => {
    expect(atp(level({ onHand: 10, reserved: 3, safetyStock: 2 }))).toBe(5);
    expect(atp(level({ onHand: 10, reserved: 3, safetyStock: 2, unavailable: 4 }))).toBe(1);
    expect(atp(level({ onHand: 4, reserved: 3, safetyStock: 2 }))).toBe(0);
    expect(atp(level({ onHand: 2, reserved: 5 }))).toBe(0);
  });

  it("counts the larger of the OMS's reservations and Shopify's committed, so a unit is never promised twice", () => {
    // A checkout Shopify has committed but the OMS has not processed yet.
    expect(atp(level({ onHand: 10, reserved: 2, committed: 5 }))).toBe(5);
    // A reservation the OMS consumed on shipment before it observed Shopify's lower on hand.
    expect(atp(level({ onHand: 10, reserved: 0, committed: 3 }))).toBe(7);
    expect(atp(level({ onHand: 10, reserved: 4, committed: 3 }))).toBe(6);
  });

  it("under fail-closed, a stale or never-observed level promises nothing; under fail-open it keeps the last known", () => {
    const old = level({ observedAt: new Date(at.getTime() - 61 * 60_000) });
    expect(isStale(old, { staleFeed: "fail_closed", staleAfterMinutes: 60 }, at)).toBe(true);
    expect(atp(old, { staleFeed: "fail_closed", staleAfterMinutes: 60 }, at)).toBe(0);
    expect(atp(old, { staleFeed: "fail_open", staleAfterMinutes: 60 }, at)).toBe(10);
    expect(atp(level({ observedAt: null }), { staleFeed: "fail_closed", staleAfterMinutes: 60 }, at)).toBe(0);
    expect(atp(level({ observedAt: new Date(at.getTime() - 59 * 60_000) }), { staleFeed: "fail_closed", staleAfterMinutes: 60 }, at)).toBe(10);
  });
});

describe("holding back Shopify's available", () => {
  it("holds exactly what makes on_hand − committed − unavailable − held equal the target", () => {
    expect(heldBackFor({ onHand: 10, committed: 2, unavailable: 1 }, 5)).toBe(2);
    expect(heldBackFor({ onHand: 10, committed: 2, unavailable: 1 }, 7)).toBe(0);
    // Shopify oversold already: nothing left to hold.
    expect(heldBackFor({ onHand: 3, committed: 5, unavailable: 0 }, 0)).toBe(0);
  });

  it("moves only the difference from what is already held", () => {
    expect(holdBackDelta({ onHand: 10, available: 6, committed: 2, unavailable: 0, heldBack: 2 }, 6)).toBe(0);
    expect(holdBackDelta({ onHand: 10, available: 6, committed: 2, unavailable: 0, heldBack: 2 }, 4)).toBe(2);
    expect(holdBackDelta({ onHand: 10, available: 6, committed: 2, unavailable: 0, heldBack: 2 }, 8)).toBe(-2);
  });

  it("sums ATP over the locations that serve a channel", () => {
    const per = [
      { locationId: "a", atp: 3 },
      { locationId: "b", atp: 4 },
      { locationId: "c", atp: 5 },
    ];
    expect(channelAtp(per, (l) => l !== "b")).toBe(8);
    expect(channelAtp(per, () => false)).toBe(0);
  });
});
