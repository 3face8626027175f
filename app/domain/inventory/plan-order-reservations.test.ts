import { describe, expect, it } from "vitest";
import { planOrderReservations, type Group, type Held } from "./plan-order-reservations";

const TEE = "gid://shopify/InventoryItem/1";
const CAP = "gid://shopify/InventoryItem/2";
const NJ = "gid://shopify/Location/1";
const TX = "gid://shopify/Location/2";
const g = (status: string, locationId: string, lines: [string, number, number][]): Group => ({
  status,
  locationId,
  lines: lines.map(([inventoryItemId, quantity, remaining]) => ({ inventoryItemId, quantity, remaining })),
});
const plan = (groups: Group[], held: Held[] = [], cancelled = false) => planOrderReservations("o1", groups, cancelled, held).map(({ key: _k, ...m }) => m);

describe("an order's reservations follow its fulfilment groups", () => {
  it("given a new order, when its groups are known, then it reserves what each location owes (two lines of one item summed)", () => {
    expect(
      plan([
        g("OPEN", TX, [
          [TEE, 1, 1],
          [TEE, 2, 2],
          [CAP, 1, 1],
        ]),
      ]),
    ).toEqual(
      [
        { kind: "reserve", inventoryItemId: TEE, locationId: TX, quantity: 3 },
        { kind: "reserve", inventoryItemId: CAP, locationId: TX, quantity: 1 },
      ].sort((a, b) => `${a.inventoryItemId}|${a.locationId}`.localeCompare(`${b.inventoryItemId}|${b.locationId}`)),
    );
  });

  it("given it already holds what it owes, then nothing moves (a replay is a no-op)", () => {
    expect(plan([g("OPEN", TX, [[TEE, 3, 3]])], [{ inventoryItemId: TEE, locationId: TX, reserved: 3, consumed: 0, movements: 1 }])).toEqual([]);
  });

  it("when units ship, the reservation is consumed, not released", () => {
    expect(plan([g("IN_PROGRESS", TX, [[TEE, 3, 1]])], [{ inventoryItemId: TEE, locationId: TX, reserved: 3, consumed: 0, movements: 1 }])).toEqual([
      { kind: "consume", inventoryItemId: TEE, locationId: TX, quantity: 2 },
    ]);
    expect(plan([g("CLOSED", TX, [[TEE, 3, 0]])], [{ inventoryItemId: TEE, locationId: TX, reserved: 1, consumed: 2, movements: 2 }])).toEqual([
      { kind: "consume", inventoryItemId: TEE, locationId: TX, quantity: 1 },
    ]);
  });

  it("when the group moves to another location, the old location releases and the new one reserves", () => {
    expect(plan([g("OPEN", NJ, [[TEE, 2, 2]])], [{ inventoryItemId: TEE, locationId: TX, reserved: 2, consumed: 0, movements: 1 }])).toEqual([
      { kind: "reserve", inventoryItemId: TEE, locationId: NJ, quantity: 2 },
      { kind: "release", inventoryItemId: TEE, locationId: TX, quantity: 2 },
    ]);
  });

  it("when the order is cancelled, everything it holds is released even if a group still looks open", () => {
    expect(plan([g("OPEN", TX, [[TEE, 2, 2]])], [{ inventoryItemId: TEE, locationId: TX, reserved: 2, consumed: 0, movements: 1 }], true)).toEqual([
      { kind: "release", inventoryItemId: TEE, locationId: TX, quantity: 2 },
    ]);
  });

  it("holds units on hold or scheduled, not in cancelled or closed groups nor lines without an inventory item", () => {
    expect(
      plan([
        g("ON_HOLD", TX, [[TEE, 1, 1]]),
        g("SCHEDULED", NJ, [[TEE, 1, 1]]),
        g("CANCELLED", NJ, [[CAP, 4, 4]]),
        { status: "OPEN", locationId: TX, lines: [{ inventoryItemId: null, quantity: 1, remaining: 1 }] },
      ]),
    ).toEqual([
      { kind: "reserve", inventoryItemId: TEE, locationId: NJ, quantity: 1 },
      { kind: "reserve", inventoryItemId: TEE, locationId: TX, quantity: 1 },
    ]);
  });

  it("an edit that removes units releases them; units fulfilled and consumed earlier are not consumed again", () => {
    expect(plan([g("OPEN", TX, [[TEE, 3, 1]])], [{ inventoryItemId: TEE, locationId: TX, reserved: 2, consumed: 2, movements: 2 }])).toEqual([
      { kind: "release", inventoryItemId: TEE, locationId: TX, quantity: 1 },
    ]);
  });

  it("names each movement by the transition it makes, so two runs from the same ledger collide on the key", () => {
    const a = planOrderReservations("o1", [g("OPEN", TX, [[TEE, 2, 2]])], false, []);
    const b = planOrderReservations("o1", [g("OPEN", TX, [[TEE, 2, 2]])], false, []);
    expect(a[0]!.key).toBe(b[0]!.key);
    expect(
      planOrderReservations("o1", [g("OPEN", TX, [[TEE, 3, 3]])], false, [{ inventoryItemId: TEE, locationId: TX, reserved: 2, consumed: 0, movements: 1 }])[0]!
        .key,
    ).not.toBe(a[0]!.key);
    // Reserved, lost, reserved again: the same 0 → 2 transition at a later ledger position is a new fact.
    expect(
      planOrderReservations("o1", [g("OPEN", TX, [[TEE, 2, 2]])], false, [{ inventoryItemId: TEE, locationId: TX, reserved: 0, consumed: 0, movements: 2 }])[0]!
        .key,
    ).not.toBe(a[0]!.key);
  });
});
