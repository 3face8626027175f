// The reservation scenarios both databases must pass (test/stock-concurrency*.test.ts): the same
// assertions on SQLite and on PostgreSQL, through the path production takes (applyOrderRead and
// syncOrderReservations → applyOrderReservations under the order's lock).
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { db } from "~/.server/db/client";
import { startGroupsRead } from "~/.server/db/order-lock";
import { createOrder } from "~/.server/db/orders";
import { heldByOrder, ledgerDrift, observeOnHand, stockLevels } from "~/.server/db/stock";
import { syncOrderReservations } from "~/.server/services/order-stock";
import { applyOrderRead, applyWholeMoves } from "~/.server/services/sync-order";
import { atp } from "~/domain/inventory/atp";
import { desiredReservations } from "~/domain/inventory/plan-order-reservations";
import { ITEMS, LOCATIONS, RACE_SHOP, raceOrderIds } from "./race-world";

export { ITEMS, LOCATIONS };

const run = promisify(execFile);
const RACE_ORDERS = 6;
const p = { at: new Date(), actor: "test", source: "oms" as const, deliveryId: null };

/** An order the OMS holds (received, no groups yet). */
export async function seedOrder(shop: string, n: number): Promise<string> {
  const at = new Date();
  const snap = {
    sourceId: `gid://shopify/Order/${n}`,
    name: `#${n}`,
    channel: "online_store" as const,
    placedAt: at,
    updatedAt: at,
    cancelledAt: null,
    financialStatus: "paid",
    fulfillmentStatus: null,
    currency: "USD",
    totalMinor: 1000n,
    email: null,
    customerName: null,
    shippingAddress: null,
    tags: [],
    lines: [],
  };
  const id = await createOrder(shop, snap, { state: "received", exception: null, holdReason: null, timeline: [] }, p);
  if (!id) throw new Error(`order ${n} of ${shop} exists already`);
  return id;
}

/**
 * `workers` processes, each with its own connection, race on the same six orders: each attempt
 * moves an order's units to a random location or re-checks its reservations, over the last
 * 3 units of three items at two locations (one item with safety stock 2).
 */
export async function expectRaceNeverOversells(workers: number, attempts: number, env: NodeJS.ProcessEnv) {
  for (const item of ITEMS) for (const loc of LOCATIONS) await observeOnHand(RACE_SHOP, item, loc, null, 3, new Date());
  await db().stockLevel.updateMany({ where: { shop: RACE_SHOP, inventoryItemId: ITEMS[2] }, data: { safetyStock: 2 } });
  for (let n = 1; n <= RACE_ORDERS; n++) await seedOrder(RACE_SHOP, 1000 + n);

  const worker = path.resolve(__dirname, "reserve-worker.ts");
  let running = true;
  const racing = Promise.all(
    Array.from({ length: workers }, (_, i) =>
      run(process.execPath, ["--no-warnings", "--import", "tsx", worker, String(i), String(attempts)], { env, cwd: path.resolve(__dirname, "../..") }),
    ),
  ).finally(() => (running = false));
  // Meanwhile the drift check runs again and again: balances and ledger read at one instant always agree.
  const driftSeen: unknown[] = [];
  let driftChecks = 0;
  const watcher = (async () => {
    for (; running; driftChecks++) {
      driftSeen.push(...(await ledgerDrift(RACE_SHOP)));
      // A macrotask between checks: on SQLite a query settles in microtasks, which would starve the children's exit events.
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const outputs = await racing;
  await watcher;
  expect(driftSeen).toEqual([]);
  expect(driftChecks).toBeGreaterThan(5);
  expect(outputs.map((o) => o.stdout.split("\n").filter((l) => l.startsWith("done")))).toEqual(Array.from({ length: workers }, () => [`done ${attempts}`]));

  const levels = await stockLevels(RACE_SHOP);
  expect(levels).toHaveLength(ITEMS.length * LOCATIONS.length);
  for (const l of levels) {
    expect(l.reserved, `${l.inventoryItemId} at ${l.locationId}`).toBeLessThanOrEqual(l.onHand - l.safetyStock);
    expect(atp(l)).toBeGreaterThanOrEqual(0);
  }
  expect(await ledgerDrift(RACE_SHOP)).toEqual([]);
  // Every order holds only what its groups, as last written, owe: never units at a location it
  // moved away from (planned from a read another writer had already replaced), never more than owed.
  const wrong: string[] = [];
  for (const orderId of await raceOrderIds()) {
    const groups = await db().fulfillmentGroup.findMany({ where: { orderId } });
    const want = desiredReservations(
      groups.map((g) => ({
        status: g.status,
        locationId: g.locationId,
        lines: JSON.parse(g.lines) as { inventoryItemId: string; quantity: number; remaining: number }[],
      })),
      false,
    );
    for (const h of await heldByOrder(RACE_SHOP, orderId)) {
      const owed = want.get(`${h.inventoryItemId}|${h.locationId}`) ?? 0;
      if (h.reserved > owed) wrong.push(`${orderId} holds ${h.reserved} of ${h.inventoryItemId} at ${h.locationId}, owes ${owed}`);
    }
  }
  expect(wrong).toEqual([]);
  // The race was real: reservations moved many times, and stock ran out (orders could not reserve).
  expect(await db().stockMovement.count({ where: { shop: RACE_SHOP, kind: "release" } })).toBeGreaterThan(workers);
  expect(await db().orderEvent.count({ where: { shop: RACE_SHOP, kind: "exception", dedupeKey: { startsWith: "shortfall:" } } })).toBeGreaterThan(0);
}

/** A replayed read or re-check changes nothing; units given back are given back once. */
export async function expectReplaysChangeNothing() {
  const shop = "replay.myshopify.com";
  await observeOnHand(shop, ITEMS[0]!, LOCATIONS[0]!, "TEE", 3, new Date());
  const [o1, o2] = [await seedOrder(shop, 1), await seedOrder(shop, 2)];
  const read = (status: string) => ({
    updatedAt: new Date(),
    cancelledAt: null,
    fulfillments: [],
    groups: [
      {
        sourceId: "gid://shopify/FulfillmentOrder/1",
        status,
        requestStatus: "UNSUBMITTED",
        locationId: LOCATIONS[0]!,
        locationName: "Edison",
        lines: [{ lineItemId: "li-1", sku: "TEE", inventoryItemId: ITEMS[0]!, quantity: 2, remaining: 2 }],
      },
    ],
  });
  const apply = async (orderId: string, status: string) => applyOrderRead(shop, orderId, await startGroupsRead(shop, orderId), read(status), "test", p);

  await apply(o1, "OPEN");
  expect(await syncOrderReservations(shop, o1, p)).toEqual({ applied: [], shortfalls: [] });
  await apply(o1, "OPEN");
  expect((await stockLevels(shop))[0]).toMatchObject({ onHand: 3, reserved: 2 });
  // A second order wanting 2 of the 1 left is refused, and flagged.
  await apply(o2, "OPEN");
  expect(await syncOrderReservations(shop, o2, p)).toMatchObject({ applied: [], shortfalls: [{ code: "INSUFFICIENT_STOCK", requested: 2 }] });
  // The first order's fulfilment order is cancelled: its 2 units come back, once.
  await apply(o1, "CANCELLED");
  await apply(o1, "CANCELLED");
  expect(await syncOrderReservations(shop, o1, p)).toEqual({ applied: [], shortfalls: [] });
  expect(await heldByOrder(shop, o1)).toEqual([expect.objectContaining({ reserved: 0 })]);
  expect(await ledgerDrift(shop)).toEqual([]);
}

/** Two reads of one order's fulfilment orders answer out of order: the older one changes nothing. */
export async function expectOlderReadNeverOverwrites() {
  const shop = "watermark.myshopify.com";
  for (const loc of LOCATIONS) await observeOnHand(shop, ITEMS[0]!, loc, "TEE", 5, new Date());
  const orderId = await seedOrder(shop, 7);
  const at = (locationId: string) => ({
    updatedAt: new Date(),
    cancelledAt: null,
    fulfillments: [],
    groups: [
      {
        sourceId: "gid://shopify/FulfillmentOrder/7",
        status: "OPEN",
        requestStatus: "UNSUBMITTED",
        locationId,
        locationName: null,
        lines: [{ lineItemId: "li-1", sku: "TEE", inventoryItemId: ITEMS[0]!, quantity: 2, remaining: 2 }],
      },
    ],
  });
  // Read A starts (the order is at the first location), then the OMS moves it and read B starts…
  const older = await startGroupsRead(shop, orderId);
  const newer = await startGroupsRead(shop, orderId);
  // …B answers first and is applied; A answers late.
  expect(await applyOrderRead(shop, orderId, newer, at(LOCATIONS[1]!), "test", p)).toMatchObject({ groups: true });
  expect(await applyOrderRead(shop, orderId, older, at(LOCATIONS[0]!), "test", p)).toMatchObject({ groups: false });
  expect((await db().fulfillmentGroup.findMany({ where: { orderId } })).map((g) => g.locationId)).toEqual([LOCATIONS[1]]);
  expect((await heldByOrder(shop, orderId)).filter((h) => h.reserved > 0)).toEqual([expect.objectContaining({ locationId: LOCATIONS[1], reserved: 2 })]);
}

/**
 * A fulfilment order the OMS moved whole, written from the move's answer: the group and its
 * reservation move (one release, one reserve); but when a read that started after the move's ticket
 * has written the groups first, the answer changes nothing (the caller reads the order instead).
 */
export async function expectWholeMoveFromAnswer() {
  const shop = "whole-move.myshopify.com";
  for (const loc of LOCATIONS) await observeOnHand(shop, ITEMS[0]!, loc, "TEE", 5, new Date());
  const orderId = await seedOrder(shop, 11);
  const fo = "gid://shopify/FulfillmentOrder/11";
  const at = (locationId: string) => ({
    updatedAt: new Date(),
    cancelledAt: null,
    fulfillments: [],
    groups: [
      {
        sourceId: fo,
        status: "OPEN",
        requestStatus: "UNSUBMITTED",
        locationId,
        locationName: "first",
        lines: [{ lineItemId: "li-1", sku: "TEE", inventoryItemId: ITEMS[0]!, quantity: 2, remaining: 2 }],
      },
    ],
  });
  await applyOrderRead(shop, orderId, await startGroupsRead(shop, orderId), at(LOCATIONS[0]!), "test", p);
  const held = async () => (await heldByOrder(shop, orderId)).filter((h) => h.reserved > 0).map((h) => [h.locationId, h.reserved]);
  expect(await held()).toEqual([[LOCATIONS[0], 2]]);

  // Moved whole to the second location: the answer is written, lines untouched, the units follow.
  const ticket = await startGroupsRead(shop, orderId);
  expect(await applyWholeMoves(shop, orderId, ticket, [{ sourceId: fo, locationId: LOCATIONS[1]!, locationName: "second" }], p)).toBe(true);
  const group = await db().fulfillmentGroup.findFirstOrThrow({ where: { orderId } });
  expect(group).toMatchObject({ locationId: LOCATIONS[1], locationName: "second", status: "OPEN" });
  expect(JSON.parse(group.lines as string)).toEqual(at(LOCATIONS[0]!).groups[0]!.lines);
  expect(await held()).toEqual([[LOCATIONS[1], 2]]);

  // A move answered after a later-started read was applied (it put the order back at the first location): nothing changes.
  const beforeMove = await startGroupsRead(shop, orderId);
  await applyOrderRead(shop, orderId, await startGroupsRead(shop, orderId), at(LOCATIONS[0]!), "test", p);
  expect(await applyWholeMoves(shop, orderId, beforeMove, [{ sourceId: fo, locationId: LOCATIONS[1]!, locationName: "second" }], p)).toBe(false);
  expect((await db().fulfillmentGroup.findFirstOrThrow({ where: { orderId } })).locationId).toBe(LOCATIONS[0]);
  expect(await held()).toEqual([[LOCATIONS[0], 2]]);
  expect(await ledgerDrift(shop)).toEqual([]);
}

/**
 * Several lines of one read at distinct levels, written together: each line is judged on its own
 * level (one that does not fit falls short, the others apply), a move gives back the old
 * location's units as it takes the new one's, and a fulfilment order the next read no longer has is
 * removed from the order's groups.
 */
export async function expectEachLineJudgedOnItsOwn() {
  const shop = "per-line.myshopify.com";
  await observeOnHand(shop, ITEMS[0]!, LOCATIONS[0]!, "TEE", 5, new Date());
  await observeOnHand(shop, ITEMS[1]!, LOCATIONS[0]!, "CAP", 1, new Date());
  await observeOnHand(shop, ITEMS[2]!, LOCATIONS[0]!, "MUG", 4, new Date());
  await observeOnHand(shop, ITEMS[0]!, LOCATIONS[1]!, "TEE", 5, new Date());
  const orderId = await seedOrder(shop, 9);
  const line = (n: number, inventoryItemId: string, quantity: number) => ({ lineItemId: `li-${n}`, sku: null, inventoryItemId, quantity, remaining: quantity });
  const read = (groups: { sourceId: string; locationId: string; lines: ReturnType<typeof line>[] }[]) => ({
    updatedAt: new Date(),
    cancelledAt: null,
    fulfillments: [],
    groups: groups.map((g) => ({ ...g, status: "OPEN", requestStatus: "UNSUBMITTED", locationName: null })),
  });
  const apply = async (r: ReturnType<typeof read>) => applyOrderRead(shop, orderId, await startGroupsRead(shop, orderId), r, "test", p);
  const reserved = async () =>
    Object.fromEntries((await stockLevels(shop)).map((l) => [`${ITEMS.indexOf(l.inventoryItemId)}@${LOCATIONS.indexOf(l.locationId)}`, l.reserved]));

  // Three lines at the first location: the cap (1 on hand, 2 wanted) falls short, the tee and the mug are reserved.
  await apply(
    read([
      {
        sourceId: "gid://shopify/FulfillmentOrder/91",
        locationId: LOCATIONS[0]!,
        lines: [line(1, ITEMS[0]!, 2), line(2, ITEMS[1]!, 2), line(3, ITEMS[2]!, 3)],
      },
    ]),
  );
  expect(await reserved()).toEqual({ "0@0": 2, "1@0": 0, "2@0": 3, "0@1": 0 });
  const events = await db().orderEvent.findMany({ where: { orderId }, orderBy: { id: "asc" }, select: { kind: true, dedupeKey: true } });
  expect(events.filter((e) => e.kind === "exception").map((e) => e.dedupeKey)).toEqual([`shortfall:${ITEMS[1]}:${LOCATIONS[0]}:2`]);
  expect(events.filter((e) => e.kind === "inventory")).toHaveLength(2);
  expect((await db().order.findUniqueOrThrow({ where: { id: orderId } })).exception).toBe("STOCK_SHORTFALL");

  // The tee moves to the second location (a new fulfilment order; the old one is gone), the mug stays: one release, one reserve.
  await apply(
    read([
      { sourceId: "gid://shopify/FulfillmentOrder/92", locationId: LOCATIONS[1]!, lines: [line(1, ITEMS[0]!, 2)] },
      { sourceId: "gid://shopify/FulfillmentOrder/93", locationId: LOCATIONS[0]!, lines: [line(3, ITEMS[2]!, 3)] },
    ]),
  );
  expect(await reserved()).toEqual({ "0@0": 0, "1@0": 0, "2@0": 3, "0@1": 2 });
  expect((await db().fulfillmentGroup.findMany({ where: { orderId }, orderBy: { sourceId: "asc" } })).map((g) => g.sourceId)).toEqual([
    "gid://shopify/FulfillmentOrder/92",
    "gid://shopify/FulfillmentOrder/93",
  ]);
  // Everything fits now: the shortfall is cleared.
  expect((await db().order.findUniqueOrThrow({ where: { id: orderId } })).exception).toBeNull();
  expect(await ledgerDrift(shop)).toEqual([]);
}
