// What routing reads of an order (db/sourcing.ts orderForSourcing) in one statement: its lines'
// prices, destination and fulfilment groups, its items' stock levels, what it holds by its
// reservations, today's orders per location and its promise — the same as the separate reads of each give, and nothing of another
// order's or shop's.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { createOrder } from "~/.server/db/orders";
import { orderPromise, saveOrderPromise } from "~/.server/db/promise";
import { orderForSourcing, ordersRoutedOn } from "~/.server/db/sourcing";
import { saveTestDecision } from "./helpers/decisions";
import { heldByOrder, stockLevels } from "~/.server/db/stock";

const SHOP = "sourcing-input.myshopify.com";
const OTHER = "sourcing-input-other.myshopify.com";
const DAY = new Date("2026-11-30T10:00:00Z");
const p = { at: DAY, actor: "test", source: "oms" as const, deliveryId: null };
const address = {
  name: "A",
  company: null,
  address1: "1 Main St",
  address2: null,
  city: "Town",
  provinceCode: "ON",
  zip: "K1A",
  countryCode: "CA",
  phone: null,
  latitude: 45.4,
  longitude: -75.7,
};

async function order(shop: string, n: number, lines: { id: string; price: bigint }[]): Promise<string> {
  const id = await createOrder(
    shop,
    {
      sourceId: `gid://shopify/Order/${n}`,
      name: `#${n}`,
      channel: "online_store",
      placedAt: DAY,
      updatedAt: DAY,
      cancelledAt: null,
      financialStatus: "paid",
      fulfillmentStatus: null,
      currency: "USD",
      totalMinor: 1000n,
      email: null,
      customerName: null,
      shippingAddress: address,
      tags: [],
      lines: lines.map((l) => ({
        sourceLineId: l.id,
        sku: `SKU-${l.id}`,
        title: l.id,
        variantId: null,
        quantity: 1,
        currentQuantity: 1,
        unitPriceMinor: l.price,
      })),
    },
    { state: "released", exception: null, holdReason: null, timeline: [] },
    p,
  );
  if (!id) throw new Error(`order ${n} of ${shop} exists already`);
  return id;
}

const move = (shop: string, reference: string, item: string, loc: string, kind: string, delta: number, key: string) => ({
  shop,
  inventoryItemId: item,
  locationId: loc,
  kind,
  reservedDelta: delta,
  idempotencyKey: key,
  reference,
  at: DAY,
});

const live = (shop: string, orderId: string, locations: string[], at: Date) => saveTestDecision({ shop, orderId, locations, at });

describe("the order as sourcing reads it", () => {
  it("is one statement's read of what the separate reads return", async () => {
    const orderId = await order(SHOP, 1, [
      { id: "gid://shopify/LineItem/1", price: 1999n },
      { id: "gid://shopify/LineItem/2", price: 9_007_199_254_740_000n },
    ]);
    const neighbour = await order(SHOP, 2, [{ id: "gid://shopify/LineItem/3", price: 5n }]);
    const elsewhere = await order(OTHER, 1, [{ id: "gid://shopify/LineItem/4", price: 7n }]);
    const groupLines = [
      { foLineId: "fol-1", lineItemId: "gid://shopify/LineItem/1", sku: "SKU-1", inventoryItemId: "item-1", productTags: ["a"], remaining: 2 },
      { foLineId: "fol-2", lineItemId: "gid://shopify/LineItem/2", sku: null, inventoryItemId: null, remaining: 0 },
    ];
    await db().fulfillmentGroup.createMany({
      data: [
        {
          orderId,
          sourceId: "gid://shopify/FulfillmentOrder/1",
          status: "OPEN",
          deliveryMethod: "SHIPPING",
          locationId: "loc-1",
          lines: JSON.stringify(groupLines),
        },
        { orderId, sourceId: "gid://shopify/FulfillmentOrder/2", status: "CLOSED", deliveryMethod: null, locationId: null, lines: "[]" },
        { orderId: neighbour, sourceId: "gid://shopify/FulfillmentOrder/3", status: "OPEN", locationId: "loc-1", lines: "[]" },
      ],
    });
    await db().stockMovement.createMany({
      data: [
        move(SHOP, orderId, "item-1", "loc-1", "reserve", 3, "k1"),
        move(SHOP, orderId, "item-1", "loc-1", "consume", -1, "k2"),
        move(SHOP, orderId, "item-1", "loc-2", "reserve", 2, "k3"),
        move(SHOP, orderId, "item-1", "loc-2", "release", -2, "k4"),
        move(SHOP, neighbour, "item-1", "loc-1", "reserve", 5, "k5"),
        move(OTHER, orderId, "item-1", "loc-1", "reserve", 7, "k6"),
      ],
    });
    const level = (shop: string, item: string, loc: string, onHand: number, observedAt: Date | null) => ({
      shop,
      inventoryItemId: item,
      locationId: loc,
      onHand,
      reserved: 2,
      safetyStock: 1,
      committed: 3,
      unavailable: 4,
      observedAt,
    });
    await db().stockLevel.createMany({
      data: [
        level(SHOP, "item-1", "loc-2", 10, null),
        level(SHOP, "item-1", "loc-1", 11, new Date("2026-11-30T09:59:58.123Z")),
        level(SHOP, "item-9", "loc-1", 12, DAY),
        level(OTHER, "item-1", "loc-1", 13, DAY),
      ],
    });
    await live(SHOP, neighbour, ["loc-1", "loc-2"], DAY);
    await live(SHOP, elsewhere, ["loc-1"], new Date("2026-11-29T23:59:59Z"));
    await live(OTHER, elsewhere, ["loc-3"], DAY);
    await saveOrderPromise(SHOP, {
      orderId,
      promiseId: "dp_1",
      source: "verified",
      methodCode: "standard",
      carrier: null,
      destinationZone: "CA-ON",
      earliest: "2026-12-02",
      latest: "2026-12-04",
      promisedAt: DAY,
      reason: "",
      parcels: [],
    });

    const o = (await orderForSourcing(SHOP, orderId, DAY))!;
    expect({ id: o.id, sourceId: o.sourceId, state: o.state }).toEqual({ id: orderId, sourceId: "gid://shopify/Order/1", state: "released" });
    expect(o.address).toMatchObject({ countryCode: "CA", provinceCode: "ON", zip: "K1A", latitude: 45.4, longitude: -75.7 });
    expect(o.prices).toEqual(
      new Map([
        ["gid://shopify/LineItem/1", 1999],
        ["gid://shopify/LineItem/2", Number(9_007_199_254_740_000n)],
      ]),
    );
    expect([...o.groups].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: "gid://shopify/FulfillmentOrder/1", status: "OPEN", deliveryMethod: "SHIPPING", locationId: "loc-1", lines: groupLines },
      { id: "gid://shopify/FulfillmentOrder/2", status: "CLOSED", deliveryMethod: null, locationId: null, lines: [] },
    ]);
    const levels = await stockLevels(SHOP, { inventoryItemIds: ["item-1"] });
    expect(levels).toHaveLength(2);
    expect(o.levels).toEqual(
      levels.map((l) => ({
        inventoryItemId: l.inventoryItemId,
        locationId: l.locationId,
        onHand: l.onHand,
        reserved: l.reserved,
        safetyStock: l.safetyStock,
        committed: l.committed,
        unavailable: l.unavailable,
        observedAt: l.observedAt,
      })),
    );
    expect(o.levels.map((l) => l.observedAt?.toISOString() ?? null)).toEqual(["2026-11-30T09:59:58.123Z", null]);
    const held = (await heldByOrder(SHOP, orderId)).map((h) => ({ inventoryItemId: h.inventoryItemId, locationId: h.locationId, reserved: h.reserved }));
    expect(held).toHaveLength(2);
    expect([...o.held].sort((a, b) => a.locationId.localeCompare(b.locationId))).toEqual(held.sort((a, b) => a.locationId.localeCompare(b.locationId)));
    expect(o.ordersToday).toEqual(await ordersRoutedOn(SHOP, DAY));
    expect(o.ordersToday).toEqual(
      new Map([
        ["loc-1", 1],
        ["loc-2", 1],
      ]),
    );
    const promised = (await orderPromise(SHOP, orderId))!;
    expect(o.promise).toEqual({ promiseId: promised.promiseId, methodCode: promised.methodCode, earliest: promised.earliest, latest: promised.latest });

    // The neighbour: its own group and holdings; no promise; a day nothing was routed on.
    const other = (await orderForSourcing(SHOP, neighbour, new Date("2026-12-05T00:00:00Z")))!;
    expect(other.groups.map((g) => g.id)).toEqual(["gid://shopify/FulfillmentOrder/3"]);
    expect(other.held).toEqual([{ inventoryItemId: "item-1", locationId: "loc-1", reserved: 5 }]);
    expect(other.ordersToday).toEqual(new Map());
    expect(other.promise).toBeNull();
    expect(other.prices).toEqual(new Map([["gid://shopify/LineItem/3", 5]]));
    // An order with no line, group or holding at all.
    const bare = (await orderForSourcing(OTHER, elsewhere, DAY))!;
    await db().orderLine.deleteMany({ where: { orderId: elsewhere } });
    const empty = (await orderForSourcing(OTHER, elsewhere, DAY))!;
    expect(bare.prices.size).toBe(1);
    expect({ prices: empty.prices, groups: empty.groups, held: empty.held, promise: empty.promise }).toEqual({
      prices: new Map(),
      groups: [],
      held: [],
      promise: null,
    });
    expect(empty.ordersToday).toEqual(new Map([["loc-3", 1]]));
    // Another shop's order is not this shop's to read.
    expect(await orderForSourcing(SHOP, elsewhere, DAY)).toBeNull();
  });
});
