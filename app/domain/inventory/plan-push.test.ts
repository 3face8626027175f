import { describe, expect, it } from "vitest";
import { batches, planHoldMoves, type PushLevel } from "./plan-push";
import { effectiveSafetyStock, validateSafetyStock } from "./safety-stock";

const now = new Date("2026-11-23T12:00:00Z");
const fresh = { staleFeed: "fail_closed" as const, staleAfterMinutes: 60 };
const lv = (p: Partial<PushLevel>): PushLevel => ({
  inventoryItemId: "i1",
  locationId: "l1",
  onHand: 10,
  reserved: 0,
  safetyStock: 0,
  committed: 0,
  unavailable: 0,
  observedAt: now,
  available: 10,
  heldBack: 0,
  ...p,
});

describe("planning the ATP push", () => {
  it("is delta-only: a level whose available already equals ATP produces no move", () => {
    expect(planHoldMoves([lv({}), lv({ locationId: "l2", safetyStock: 2, available: 8, heldBack: 2 })], fresh, now)).toEqual([]);
  });

  it("holds back safety stock and OMS-only reservations, and gives back what is no longer needed", () => {
    expect(planHoldMoves([lv({ safetyStock: 3 })], fresh, now)).toEqual([
      { inventoryItemId: "i1", locationId: "l1", delta: 3, fromAvailable: 10, fromHeldBack: 0, target: 7 },
    ]);
    expect(planHoldMoves([lv({ reserved: 2, committed: 0 })], fresh, now)[0]).toMatchObject({ delta: 2, target: 8 });
    expect(planHoldMoves([lv({ available: 5, heldBack: 5 })], fresh, now)[0]).toMatchObject({ delta: -5, target: 10 });
  });

  it("does not hold back for a Shopify order the OMS has reserved too (committed covers it)", () => {
    expect(planHoldMoves([lv({ reserved: 2, committed: 2, available: 8 })], fresh, now)).toEqual([]);
  });

  it("hides a stale level under fail-closed and leaves it under fail-open; skips never-observed levels", () => {
    const stale = lv({ observedAt: new Date(now.getTime() - 2 * 3600_000) });
    expect(planHoldMoves([stale], fresh, now)[0]).toMatchObject({ delta: 10, target: 0 });
    expect(planHoldMoves([stale], { staleFeed: "fail_open", staleAfterMinutes: 60 }, now)).toEqual([]);
    expect(planHoldMoves([lv({ observedAt: null, safetyStock: 4 })], fresh, now)).toEqual([]);
  });

  it("never moves more than Shopify has available nor releases more than is held", () => {
    expect(planHoldMoves([lv({ onHand: 10, committed: 0, available: 1, unavailable: 0, heldBack: 0, safetyStock: 5 })], fresh, now)[0]).toMatchObject({
      delta: 1,
    });
  });

  it("orders moves deterministically and batches them by 250", () => {
    const many = Array.from({ length: 600 }, (_, i) => lv({ inventoryItemId: `i${String(599 - i).padStart(3, "0")}`, safetyStock: 1 }));
    const moves = planHoldMoves(many, fresh, now);
    expect(moves[0]!.inventoryItemId).toBe("i000");
    expect(batches(moves).map((b) => b.length)).toEqual([250, 250, 100]);
  });
});

describe("safety stock", () => {
  const rules = [
    { locationId: "", inventoryItemId: "", quantity: 1 },
    { locationId: "l1", inventoryItemId: "", quantity: 2 },
    { locationId: "", inventoryItemId: "i1", quantity: 3 },
    { locationId: "l1", inventoryItemId: "i1", quantity: 4 },
  ];
  it("takes the most specific rule: item at location, item, location, shop default", () => {
    expect(effectiveSafetyStock(rules, "i1", "l1")).toBe(4);
    expect(effectiveSafetyStock(rules, "i1", "l2")).toBe(3);
    expect(effectiveSafetyStock(rules, "i2", "l1")).toBe(2);
    expect(effectiveSafetyStock(rules, "i2", "l2")).toBe(1);
    expect(effectiveSafetyStock([], "i2", "l2")).toBe(0);
  });
  it("refuses negative or fractional quantities and unknown locations", () => {
    expect(validateSafetyStock({ locationId: "", inventoryItemId: "", quantity: -1 }, new Set())).toEqual({ code: "INVALID_QUANTITY" });
    expect(validateSafetyStock({ locationId: "", inventoryItemId: "", quantity: 1.5 }, new Set())).toEqual({ code: "INVALID_QUANTITY" });
    expect(validateSafetyStock({ locationId: "l9", inventoryItemId: "", quantity: 1 }, new Set(["l1"]))).toEqual({
      code: "UNKNOWN_LOCATION",
      locationId: "l9",
    });
    expect(validateSafetyStock({ locationId: "l1", inventoryItemId: "", quantity: 0 }, new Set(["l1"]))).toBeNull();
  });
});
