// Inventory truth end to end against the dev shop: the OMS reads every level, holds safety stock
// back in Shopify's safety_stock state, reserves for shoppers' orders at the location Shopify
// routed them to, follows a WMS's on-hand changes, consumes on shipment and releases on
// cancellation — and after every step each location's Shopify `available` equals the OMS's ATP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { ledgerDrift } from "~/.server/db/stock";
import { inventoryPolicy } from "~/.server/db/stock-settings";
import { pushAtp } from "~/.server/services/inventory-sync";
import { adminFor } from "~/.server/shopify/admin";
import { fetchLevels, inventoryCost, pushHoldMoves } from "~/.server/shopify/inventory";
import { setSafetyStock } from "~/.server/services/inventory-settings";
import { syncOrderReservations } from "~/.server/services/order-stock";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { atp } from "~/domain/inventory/atp";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "inventory-e2e.myshopify.com";
type ShopifyLevel = { sku: string; location: string; available: number; committed: number; safety_stock: number; on_hand: number };

describe("inventory truth against the dev shop", { timeout: 60_000 }, () => {
  let standIn: Shop["standIn"];
  let post: Shop["post"];
  let dispatcher: Shop["dispatcher"];
  let close: Shop["close"];

  const shopify = async (): Promise<ShopifyLevel[]> =>
    ((await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as { inventory: ShopifyLevel[] }).inventory;
  const shopifyLevel = async (sku: string, location: string) => (await shopify()).find((l) => l.sku === sku && l.location === location)!;
  const omsLevel = async (sku: string, location: string) => {
    const loc = await db().stockLocation.findFirst({ where: { shop: SHOP, name: location } });
    return db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku, locationId: loc!.id } });
  };

  /** Waits until every location's Shopify available equals the OMS's ATP (and the OMS saw it). */
  const converged = async (what: string) => {
    const names = new Map((await db().stockLocation.findMany({ where: { shop: SHOP } })).map((l) => [l.id, l.name]));
    await waitFor(
      async () => {
        const policy = await inventoryPolicy(SHOP);
        const [theirs, ours] = await Promise.all([shopify(), db().stockLevel.findMany({ where: { shop: SHOP } })]);
        if (!ours.length) return false;
        return ours.every((o) => {
          const s = theirs.find((t) => t.sku === o.sku && t.location === names.get(o.locationId));
          return s && s.on_hand === o.onHand && s.committed === o.committed && s.available === atp(o, policy, new Date());
        });
      },
      20_000,
      `Shopify available = OMS ATP everywhere (${what})`,
    );
  };

  beforeAll(async () => {
    ({ standIn, post, dispatcher, close } = await connectedDevShop(SHOP, { duplicateRate: 0.5 }));
  });

  afterAll(() => close());

  it("reads every level on install; with no safety stock, Shopify's available already is the ATP", async () => {
    const report = await reconcileStock(SHOP, new Date());
    expect(report.levels).toBe((await shopify()).length);
    expect(report).toMatchObject({ ledgerDrift: 0, exceptions: 0, pushed: 0 });
    expect(await omsLevel("TEE-M", "Dallas TX")).toMatchObject({ onHand: 500, reserved: 0, committed: 0, heldBack: 0 });
    await converged("after install");
  });

  it("holds safety stock back in Shopify's safety_stock state without touching on_hand", async () => {
    const set = await setSafetyStock(SHOP, { locationId: "", inventoryItemId: "", quantity: 2 }, "user:ops@example.com", new Date());
    expect(set.ok).toBe(true);
    await converged("after the shop default safety stock");
    expect(await shopifyLevel("TEE-M", "Dallas TX")).toMatchObject({ on_hand: 500, available: 498, safety_stock: 2 });
    // A level with less than the safety stock sells nothing and holds what it has.
    expect(await shopifyLevel("SHELL-M", "Seattle WA")).toMatchObject({ on_hand: 2, available: 0, safety_stock: 2 });
    expect(await db().auditEvent.count({ where: { shop: SHOP, subject: "safety-stock", actor: "user:ops@example.com" } })).toBe(1);
  });

  it("a shopper's order reserves at the location Shopify routed it to and lowers only that location's ATP", async () => {
    const placed = (await (
      await post(`/_dev/shops/${SHOP}/checkout`, {
        lines: [
          { sku: "TEE-M", quantity: 2 },
          { sku: "TEE-M", quantity: 1 },
        ],
        shippingAddress: austin,
        email: "ada@example.com",
      })
    ).json()) as { orderId: string };
    const fo = await waitFor(
      async () =>
        (await shopify(),
        (await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as {
          fulfillmentOrders: { orderId: string; location: string; id: string }[];
        }).fulfillmentOrders.find((f) => f.orderId === placed.orderId),
      15_000,
      "routing",
    );
    expect(fo.location).toBe("Dallas TX");
    await waitFor(async () => (await omsLevel("TEE-M", "Dallas TX")).reserved === 3, 20_000, "the OMS reservation");
    await converged("after the order");
    expect(await shopifyLevel("TEE-M", "Dallas TX")).toMatchObject({ on_hand: 500, committed: 3, available: 495, safety_stock: 2 });
    expect(await shopifyLevel("TEE-M", "Edison NJ")).toMatchObject({ on_hand: 500, available: 498 });

    // Duplicate deliveries and a replayed sync reserve nothing more.
    const order = await db().order.findFirstOrThrow({ where: { shop: SHOP, sourceId: placed.orderId } });
    const again = await syncOrderReservations(SHOP, order.id, { at: new Date(), actor: "test", source: "oms", deliveryId: null });
    expect(again.applied).toEqual([]);
    expect(await db().stockMovement.count({ where: { shop: SHOP, reference: order.id, kind: "reserve" } })).toBe(1);

    // Shipping consumes the reservation; Shopify's on_hand and committed drop by the same units.
    await post(`/_dev/shops/${SHOP}/fulfillment-orders/${fo.id.split("/").pop()}/ship`, { company: "UPS", number: "1Z999" });
    await waitFor(async () => (await omsLevel("TEE-M", "Dallas TX")).reserved === 0, 20_000, "the reservation consumed");
    await converged("after shipping");
    expect(await shopifyLevel("TEE-M", "Dallas TX")).toMatchObject({ on_hand: 497, committed: 0, available: 495 });
    expect(
      await db().stockMovement.findMany({ where: { shop: SHOP, reference: order.id }, select: { kind: true, reservedDelta: true }, orderBy: { at: "asc" } }),
    ).toEqual([
      { kind: "reserve", reservedDelta: 3 },
      { kind: "consume", reservedDelta: -3 },
    ]);
  });

  it("a cancelled order releases what it held", async () => {
    const res = await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-L", quantity: 1 }], shippingAddress: austin, email: "bo@example.com" });
    const placed = (await res.json()) as { orderId: string };
    expect(res.status).toBe(200);
    await waitFor(async () => (await omsLevel("TEE-L", "Dallas TX")).reserved === 1, 20_000, "the reservation");
    await converged("after the second order");
    expect(await shopifyLevel("TEE-L", "Dallas TX")).toMatchObject({ on_hand: 3, committed: 1, available: 0, safety_stock: 2 });
    expect((await post(`/_dev/shops/${SHOP}/orders/${encodeURIComponent(placed.orderId)}/cancel`, {})).status).toBe(200);
    await waitFor(async () => (await omsLevel("TEE-L", "Dallas TX")).reserved === 0, 20_000, "the release");
    await converged("after the cancellation");
    expect(await shopifyLevel("TEE-L", "Dallas TX")).toMatchObject({ on_hand: 3, committed: 0, available: 1, safety_stock: 2 });
  });

  it("a WMS on-hand change propagates to ATP and back to Shopify's available", async () => {
    await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku: "TEE-M", location: "Seattle WA", onHand: 3 });
    await waitFor(async () => (await omsLevel("TEE-M", "Seattle WA")).onHand === 3, 20_000, "the on-hand change observed");
    await converged("after the WMS lowered on hand");
    expect(await shopifyLevel("TEE-M", "Seattle WA")).toMatchObject({ on_hand: 3, available: 1, safety_stock: 2 });
    await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku: "TEE-M", location: "Seattle WA", delta: 10 });
    await waitFor(async () => (await omsLevel("TEE-M", "Seattle WA")).onHand === 13, 20_000, "the receipt observed");
    await converged("after the WMS received stock");
    expect(await shopifyLevel("TEE-M", "Seattle WA")).toMatchObject({ on_hand: 13, available: 11, safety_stock: 2 });
    // The ledger recorded each observed on-hand change.
    const seattle = await omsLevel("TEE-M", "Seattle WA");
    expect(
      await db().stockMovement.findMany({
        where: { shop: SHOP, inventoryItemId: seattle.inventoryItemId, locationId: seattle.locationId, kind: "observe" },
        select: { onHandDelta: true },
        orderBy: { at: "asc" },
      }),
    ).toEqual([{ onHandDelta: 500 }, { onHandDelta: -497 }, { onHandDelta: 10 }]);
  });

  it("a level the OMS has never held is read with its item's SKU and title; a known one by its quantities alone", async () => {
    // An item stocked for the first time at a location: its inventory_levels/update names a level the OMS has no row for.
    const levels = await shopify();
    const locations = [...new Set(levels.map((l) => l.location))];
    const sku = levels.map((l) => l.sku).find((s) => locations.some((loc) => !levels.some((l) => l.sku === s && l.location === loc)))!;
    const location = locations.find((loc) => !levels.some((l) => l.sku === sku && l.location === loc))!;
    expect(sku && location).toBeTruthy();
    await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku, location, onHand: 4 });
    await waitFor(async () => (await db().stockLevel.findFirst({ where: { shop: SHOP, sku, onHand: 4 } })) !== null, 20_000, "the new level observed");
    const created = await omsLevel(sku, location);
    expect(created).toMatchObject({ sku, onHand: 4, committed: 0 });
    expect(created.title).toBeTruthy();
    await converged("after a new level");
    // A later change to it keeps what the first read learned about the item.
    await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku, location, delta: 2 });
    await waitFor(async () => (await omsLevel(sku, location)).onHand === 6, 20_000, "the known level re-read");
    expect(await omsLevel(sku, location)).toMatchObject({ sku, title: created.title, onHand: 6 });
    await converged("after a known level changed");
  });

  it("a known level is read by its quantities alone, at half the points of a read with its item", async () => {
    // Requested cost is what Shopify charges a level read (its quantities return more objects than
    // the request counts), and it is computed from the document's text: the item's selection must
    // not be in the document at all for a level the OMS holds.
    const held = (await db().stockLevel.findMany({ where: { shop: SHOP }, orderBy: { id: "asc" }, take: 3 })).map((l) => ({
      inventoryItemId: l.inventoryItemId,
      locationId: l.locationId,
    }));
    expect(held).toHaveLength(3);
    const g = await adminFor(SHOP, "inventory");
    const spent = async (isNew: boolean) => {
      const before = inventoryCost.points;
      const levels = await fetchLevels(g, held, () => isNew);
      return { points: inventoryCost.points - before, levels };
    };
    const quantitiesOnly = await spent(false);
    const withItem = await spent(true);
    expect(quantitiesOnly.levels.map((l) => [l.inventoryItemId, l.locationId, l.q])).toEqual(
      withItem.levels.map((l) => [l.inventoryItemId, l.locationId, l.q]),
    );
    expect(quantitiesOnly.levels.every((l) => l.sku === null && l.title === null)).toBe(true);
    expect(withItem.levels.every((l) => l.sku !== null && l.title !== null)).toBe(true);
    // A level: the node 1, its quantities 1; the item and its variant 2 more.
    expect(quantitiesOnly.points).toBe(2 * held.length);
    expect(withItem.points).toBe(4 * held.length);
  });

  it("a push planned on a stale read fails Shopify's compare-and-swap, re-reads and lands right; a replayed push changes nothing", async () => {
    await dispatcher.idle();
    const level = await omsLevel("TEE-M", "Edison NJ");
    // The OMS's last read of Shopify is one unit off (a change it has not observed yet), and the
    // merchant raises this item's safety stock: the push is planned on the stale read.
    await db().stockLevel.update({ where: { id: level.id }, data: { shopifyAvailable: level.shopifyAvailable - 1 } });
    await db().safetyStockRule.create({
      data: { shop: SHOP, locationId: level.locationId, inventoryItemId: level.inventoryItemId, quantity: 5, updatedBy: "test" },
    });
    await db().stockLevel.update({ where: { id: level.id }, data: { safetyStock: 5 } });
    const report = await pushAtp(SHOP, new Date(), [level.inventoryItemId]);
    expect(report.staleRetries).toBe(1);
    expect(report.moved).toBeGreaterThanOrEqual(1);
    expect(await shopifyLevel("TEE-M", "Edison NJ")).toMatchObject({ on_hand: 500, available: 495, safety_stock: 5 });

    // Pushing again from the same state finds nothing to move.
    const before = await shopify();
    expect(await pushAtp(SHOP, new Date(), [level.inventoryItemId])).toMatchObject({ moved: 0, calls: 0 });
    expect(await shopify()).toEqual(before);
    await converged("after the stale push");
  });

  it("one stale level refuses its whole call: the other items in it are planned again and land too", async () => {
    await dispatcher.idle();
    const stale = await omsLevel("TEE-L", "Dallas TX");
    const other = await omsLevel("TEE-M", "Seattle WA");
    // Both need one more unit held back; the OMS's read of TEE-L is one unit off, so Shopify
    // refuses the whole call (its inventory mutations are all or nothing).
    await db().stockLevel.update({ where: { id: stale.id }, data: { shopifyAvailable: stale.shopifyAvailable + 1, safetyStock: stale.safetyStock + 1 } });
    await db().stockLevel.update({ where: { id: other.id }, data: { safetyStock: other.safetyStock + 1 } });
    const report = await pushAtp(SHOP, new Date(), [stale.inventoryItemId, other.inventoryItemId]);
    expect(report).toMatchObject({ staleRetries: 1, moved: 2 });
    const policy = await inventoryPolicy(SHOP);
    expect((await shopifyLevel("TEE-L", "Dallas TX")).available).toBe(atp(await omsLevel("TEE-L", "Dallas TX"), policy, new Date()));
    expect((await shopifyLevel("TEE-M", "Seattle WA")).available).toBe(atp(await omsLevel("TEE-M", "Seattle WA"), policy, new Date()));
    // Back as they were, for the tests that follow.
    await db().stockLevel.update({ where: { id: stale.id }, data: { safetyStock: stale.safetyStock } });
    await db().stockLevel.update({ where: { id: other.id }, data: { safetyStock: other.safetyStock } });
    await pushAtp(SHOP, new Date(), [stale.inventoryItemId, other.inventoryItemId]);
    await converged("after the refused call");
  });

  it("a push replayed with its idempotency key is answered from Shopify's record and moves nothing twice", async () => {
    await dispatcher.idle();
    const level = await omsLevel("TEE-M", "Dallas TX");
    const before = await shopifyLevel("TEE-M", "Dallas TX");
    const move = {
      inventoryItemId: level.inventoryItemId,
      locationId: level.locationId,
      delta: 1,
      fromAvailable: before.available,
      fromHeldBack: before.safety_stock,
      target: before.available - 1,
    };
    const graphql = await adminFor(SHOP);
    const first = await pushHoldMoves(graphql, [move], "replay-test-1", "gid://oms/AtpPush/replay-test-1");
    expect(first.kind).toBe("applied");
    const once = await shopifyLevel("TEE-M", "Dallas TX");
    expect(once).toMatchObject({ available: before.available - 1, safety_stock: before.safety_stock + 1 });
    expect(await pushHoldMoves(graphql, [move], "replay-test-1", "gid://oms/AtpPush/replay-test-1")).toEqual(first);
    expect(await shopifyLevel("TEE-M", "Dallas TX")).toEqual(once);
    // That push was not the OMS's plan: its own webhook makes the OMS re-read and put it back.
    await converged("after an out-of-plan push");
    expect(await shopifyLevel("TEE-M", "Dallas TX")).toMatchObject({ available: before.available, safety_stock: before.safety_stock });
  });

  it("the same drift twice is healed twice: a push planned on a newer read is never mistaken for a replay", async () => {
    const graphql = await adminFor(SHOP);
    const level = await omsLevel("TEE-M", "Seattle WA");
    for (const round of [1, 2]) {
      await dispatcher.idle();
      const s = await shopifyLevel("TEE-M", "Seattle WA");
      // Someone gives one held unit back to available: Shopify now sells one more than the ATP.
      const drift = await pushHoldMoves(
        graphql,
        [
          {
            inventoryItemId: level.inventoryItemId,
            locationId: level.locationId,
            delta: -1,
            fromAvailable: s.available,
            fromHeldBack: s.safety_stock,
            target: s.available + 1,
          },
        ],
        `drift-${round}`,
        `gid://test/Drift/${round}`,
      );
      expect(drift.kind).toBe("applied");
      await converged(`after drift ${round}`);
      expect(await shopifyLevel("TEE-M", "Seattle WA")).toMatchObject({ available: s.available, safety_stock: s.safety_stock });
    }
  });

  it("the reconciler finds the ledger explains every balance and every open order holds its reservation", async () => {
    await dispatcher.idle();
    expect(await ledgerDrift(SHOP)).toEqual([]);
    const report = await reconcileStock(SHOP, new Date());
    expect(report).toMatchObject({ ledgerDrift: 0, exceptions: 0, healed: 0, pushed: 0 });
  });

  it("the reconciler heals a lost or orphaned reservation, and raises a balance the ledger does not explain without rewriting it", async () => {
    await dispatcher.idle();
    const open = (await (
      await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: "cy@example.com" })
    ).json()) as { orderId: string };
    await waitFor(
      async () => (await db().order.findFirst({ where: { shop: SHOP, sourceId: open.orderId }, include: { groups: true } }))?.groups.length,
      20_000,
      "the order's groups",
    );
    const order = await db().order.findFirstOrThrow({ where: { shop: SHOP, sourceId: open.orderId } });
    await waitFor(
      async () => (await db().stockMovement.count({ where: { shop: SHOP, reference: order.id, kind: "reserve" } })) === 1,
      20_000,
      "the reservation",
    );
    await converged("before the faults");
    const dallas = await omsLevel("TEE-M", "Dallas TX");
    const edison = await omsLevel("TEE-M", "Edison NJ");
    const at = new Date();
    // A bug released the open order's reservation (ledger and balance agree, the order does not).
    await db().stockMovement.create({
      data: {
        shop: SHOP,
        inventoryItemId: dallas.inventoryItemId,
        locationId: dallas.locationId,
        kind: "release",
        reservedDelta: -1,
        idempotencyKey: "fault:lost",
        reference: order.id,
        at,
      },
    });
    await db().stockLevel.update({ where: { id: dallas.id }, data: { reserved: { decrement: 1 } } });
    // Another left units reserved for an order that no longer exists in any open group.
    await db().stockMovement.create({
      data: {
        shop: SHOP,
        inventoryItemId: edison.inventoryItemId,
        locationId: edison.locationId,
        kind: "reserve",
        reservedDelta: 2,
        idempotencyKey: "fault:orphan",
        reference: "gone-order",
        at,
      },
    });
    await db().stockLevel.update({ where: { id: edison.id }, data: { reserved: { increment: 2 } } });
    // And someone edited a balance by hand: the ledger does not explain it.
    const seattle = await omsLevel("TEE-M", "Seattle WA");
    await db().stockLevel.update({ where: { id: seattle.id }, data: { reserved: { increment: 4 } } });

    const first = await reconcileStock(SHOP, new Date());
    expect(first).toMatchObject({ ledgerDrift: 1, exceptions: 1 });
    expect(first.healed).toBeGreaterThanOrEqual(2);
    expect((await omsLevel("TEE-M", "Dallas TX")).reserved).toBe(dallas.reserved);
    expect((await omsLevel("TEE-M", "Edison NJ")).reserved).toBe(edison.reserved);
    expect((await omsLevel("TEE-M", "Seattle WA")).reserved).toBe(seattle.reserved + 4); // not rewritten
    const drift = await db().stockDrift.findMany({ where: { shop: SHOP }, orderBy: { kind: "asc" } });
    expect(drift.map((d) => [d.kind, d.outcome, d.resolvedAt === null])).toEqual(
      expect.arrayContaining([
        ["ledger_balance", "exception", true],
        ["missing_reservation", "healed", false],
        ["orphan_reservation", "healed", false],
      ]),
    );
    const raised = drift.find((d) => d.kind === "ledger_balance")!;
    expect(raised).toMatchObject({ expected: seattle.reserved, actual: seattle.reserved + 4 });

    // Seen again, the exception keeps its age; once a person fixes the balance, it resolves.
    await reconcileStock(SHOP, new Date());
    const again = await db().stockDrift.findUniqueOrThrow({ where: { id: raised.id } });
    expect(again.firstSeenAt).toEqual(raised.firstSeenAt);
    expect(again.lastSeenAt.getTime()).toBeGreaterThan(raised.lastSeenAt.getTime());
    await db().stockLevel.update({ where: { id: seattle.id }, data: { reserved: seattle.reserved } });
    expect(await reconcileStock(SHOP, new Date())).toMatchObject({ ledgerDrift: 0, exceptions: 0 });
    expect((await db().stockDrift.findUniqueOrThrow({ where: { id: raised.id } })).resolvedAt).not.toBeNull();
    await converged("after the reconcile");
  });
});
