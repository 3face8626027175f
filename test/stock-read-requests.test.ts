// Level read requests: coalesced per level, served oldest first, and a request made while a read
// is in flight is not lost when that read clears what it served.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import type { Movement } from "~/domain/inventory/plan-order-reservations";
import {
  adoptMovementReads,
  applyOrderReservations,
  clearLevelReads,
  markPushed,
  observeOnHand,
  outstandingLevelReads,
  pendingLevelReads,
  requestLevelReadUnlessEcho,
  requestLevelReads,
  requestLevelReadsUnlessEcho,
} from "~/.server/db/stock";

const SHOP = "read-requests.myshopify.com";
const item = (n: number) => `gid://shopify/InventoryItem/${n}`;
const loc = (n: number) => `gid://shopify/Location/${n}`;
const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s));

describe("stock read requests", () => {
  it("keeps one request per level, serves the oldest first, and keeps a request made during a read", async () => {
    await requestLevelReads(
      SHOP,
      [
        { inventoryItemId: item(1), locationId: loc(1) },
        { inventoryItemId: item(1), locationId: loc(1) },
      ],
      at(1),
    );
    await requestLevelReads(SHOP, [{ inventoryItemId: item(2), locationId: loc(1) }], at(2));
    const served = await pendingLevelReads(SHOP, 10);
    expect(served.map((r) => [r.inventoryItemId, r.version])).toEqual([
      [item(1), 1],
      [item(2), 1],
    ]);

    // While the flush reads Shopify, the first level changes again (even with an older job clock).
    await requestLevelReads(SHOP, [{ inventoryItemId: item(1), locationId: loc(1) }], at(0));
    await clearLevelReads(SHOP, served);
    const left = await pendingLevelReads(SHOP, 10);
    expect(left.map((r) => [r.inventoryItemId, r.locationId, r.version])).toEqual([[item(1), loc(1), 2]]);

    await clearLevelReads(SHOP, left);
    expect(await pendingLevelReads(SHOP, 10)).toEqual([]);
  });

  it("an inventory_levels/update asks for a read unless it is the echo of the OMS's own recent push", async () => {
    const shop = "read-requests-echo.myshopify.com";
    const level = { inventoryItemId: item(7), locationId: loc(3) };
    const pending = async () => (await pendingLevelReads(shop, 10)).map((r) => [r.inventoryItemId, r.version]);
    // A level never pushed: any change is read.
    expect(await requestLevelReadUnlessEcho(shop, { ...level, available: 5, updatedAt: at(1) }, at(0), at(10))).toBe(true);
    await clearLevelReads(shop, await pendingLevelReads(shop, 10));
    await observeOnHand(shop, level.inventoryItemId, level.locationId, "ECHO-1", 9, at(10));
    await markPushed(shop, [{ ...level, available: 6, heldBack: 3 }], at(20));
    // The push's own echo (the available it left, within the window): nothing to read.
    expect(await requestLevelReadUnlessEcho(shop, { ...level, available: 6, updatedAt: at(1) }, at(15), at(21))).toBe(false);
    expect(await pending()).toEqual([]);
    // Another available (a checkout after the push), no available in the payload, or an echo after the window: read.
    expect(await requestLevelReadUnlessEcho(shop, { ...level, available: 5, updatedAt: at(1) }, at(15), at(22))).toBe(true);
    expect(await requestLevelReadUnlessEcho(shop, { ...level, available: null, updatedAt: at(1) }, at(15), at(23))).toBe(true);
    expect(await requestLevelReadUnlessEcho(shop, { ...level, available: 6, updatedAt: at(1) }, at(25), at(24))).toBe(true);
    expect(await pending()).toEqual([[item(7), 3]]);
  });
  it("an order's movements ask for their levels' reads through the ledger: the next flush adopts them once, a later movement the flush after", async () => {
    const shop = "read-requests-ledger.myshopify.com";
    const a = { inventoryItemId: item(21), locationId: loc(1) };
    const b = { inventoryItemId: item(22), locationId: loc(1) };
    await observeOnHand(shop, a.inventoryItemId, a.locationId, "LEDGER-A", 10, at(0));
    await observeOnHand(shop, b.inventoryItemId, b.locationId, "LEDGER-B", 10, at(0));
    const reserve = (orderId: string, levels: (typeof a)[]) =>
      applyOrderReservations(
        shop,
        orderId,
        () => levels.map((l) => ({ kind: "reserve" as const, ...l, quantity: 1, key: `order:${orderId}:reserve` })),
        at(5),
        "test",
      );

    await reserve("order-1", [a, b]);
    // No request row per order: the movements carry it (an observation does not).
    expect(await pendingLevelReads(shop, 10)).toEqual([]);
    expect(await outstandingLevelReads(shop)).toBe(2);
    expect(await db().stockMovement.count({ where: { shop, kind: "observe", awaitingRead: true } })).toBe(0);

    expect(await adoptMovementReads(shop, at(10))).toBe(2);
    expect((await pendingLevelReads(shop, 10)).map((r) => [r.inventoryItemId, r.version])).toEqual([
      [a.inventoryItemId, 1],
      [b.inventoryItemId, 1],
    ]);
    // Adopted once: a second flush finds nothing new.
    expect(await adoptMovementReads(shop, at(11))).toBe(0);

    // An order reserving at a level already asked for, while that read is in flight: the request's
    // version moves on, so the read that began before it does not clear it.
    const served = await pendingLevelReads(shop, 10);
    await reserve("order-2", [a]);
    expect(await adoptMovementReads(shop, at(12))).toBe(1);
    await clearLevelReads(shop, served);
    expect((await pendingLevelReads(shop, 10)).map((r) => [r.inventoryItemId, r.version])).toEqual([[a.inventoryItemId, 2]]);
    await clearLevelReads(shop, await pendingLevelReads(shop, 10));
    expect(await outstandingLevelReads(shop)).toBe(0);
  });
  it("a request keeps the newest report by Shopify's time, the units released there, and whether a read is needed whatever they say", async () => {
    const shop = "read-requests-reports.myshopify.com";
    const a = { inventoryItemId: item(31), locationId: loc(1) };
    const b = { inventoryItemId: item(32), locationId: loc(1) };
    for (const l of [a, b]) await observeOnHand(shop, l.inventoryItemId, l.locationId, null, 10, at(0));
    const request = async () =>
      (await pendingLevelReads(shop, 10)).map((r) => ({
        item: r.inventoryItemId,
        available: r.reportedAvailable,
        at: r.reportedAt?.toISOString() ?? null,
        expectedDelta: r.expectedDelta,
        needsRead: r.needsRead,
      }));
    const report = (available: number | null, s: number | null) => ({ ...a, available, updatedAt: s === null ? null : at(s) });
    // Out of order in one batch and across batches: the latest by updated_at wins, an older one changes nothing.
    await requestLevelReadsUnlessEcho(shop, [report(7, 20), report(9, 10)], at(0), at(21));
    await requestLevelReadsUnlessEcho(shop, [report(8, 15)], at(0), at(22));
    expect(await request()).toEqual([{ item: a.inventoryItemId, available: 7, at: at(20).toISOString(), expectedDelta: 0, needsRead: false }]);
    // The order reserves there and another is moved away: the release's units are expected back; on b, a fulfilment consumed: read.
    const move = (orderId: string, m: Omit<Movement, "key">[]) =>
      applyOrderReservations(shop, orderId, () => m.map((x) => ({ ...x, key: `order:${orderId}:${x.kind}` })), at(23), "test");
    await move("order-r", [{ kind: "reserve", ...a, quantity: 3 }]);
    await move("order-m", [{ kind: "release", ...a, quantity: 3 }]);
    await move("order-c", [{ kind: "reserve", ...b, quantity: 2 }]);
    await move("order-c", [{ kind: "consume", ...b, quantity: 2 }]);
    await adoptMovementReads(shop, at(24));
    expect(await request()).toEqual([
      { item: a.inventoryItemId, available: 7, at: at(20).toISOString(), expectedDelta: 3, needsRead: false },
      { item: b.inventoryItemId, available: null, at: null, expectedDelta: 0, needsRead: true },
    ]);
    // Two reports of one instant that disagree, or one without its time: read.
    await requestLevelReadsUnlessEcho(shop, [report(6, 20)], at(0), at(25));
    expect((await request()).find((r) => r.item === a.inventoryItemId)).toMatchObject({ available: 7, needsRead: true });
    await clearLevelReads(shop, await pendingLevelReads(shop, 10));
    await requestLevelReadsUnlessEcho(shop, [report(6, 30), report(5, null)], at(0), at(31));
    expect(await request()).toEqual([{ item: a.inventoryItemId, available: null, at: null, expectedDelta: 0, needsRead: true }]);
  });
  it("flushes adopting at once take each movement once (on PostgreSQL, concurrently)", async () => {
    const shop = "read-requests-adopt-race.myshopify.com";
    const levels = Array.from({ length: 40 }, (_, i) => ({ inventoryItemId: item(100 + i), locationId: loc(2) }));
    for (const l of levels) await observeOnHand(shop, l.inventoryItemId, l.locationId, null, 5, at(0));
    // One order a level, so each level has one movement awaiting its read.
    for (const [i, l] of levels.entries())
      await applyOrderReservations(shop, `race-${i}`, () => [{ kind: "reserve" as const, ...l, quantity: 1, key: `order:race-${i}:reserve` }], at(1), "test");
    const adopted = await Promise.all(Array.from({ length: 4 }, () => adoptMovementReads(shop, at(2))));
    expect(adopted.reduce((n, c) => n + c, 0)).toBe(levels.length);
    const requests = await pendingLevelReads(shop, 100);
    expect(requests).toHaveLength(levels.length);
    expect(requests.every((r) => r.version === 1)).toBe(true);
    expect(await db().stockMovement.count({ where: { shop, awaitingRead: true } })).toBe(0);
  });
});
