// createOrders writes orders, their lines and their first timeline entries as one transaction (on
// SQLite as plain statements run back to back, on PostgreSQL through Prisma): what a read returns
// is what was written; an order held already is left out and nothing of its snapshot is written.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { createOrder, createOrders } from "~/.server/db/orders";
import type { OrderSnapshot } from "~/domain/order/snapshot";

const SHOP = "order-create.myshopify.com";

const ADDRESS = {
  name: "Ada L",
  company: null,
  address1: "Torstr. 1",
  address2: null,
  city: "Berlin",
  provinceCode: null,
  zip: "10119",
  countryCode: "DE",
  phone: null,
  latitude: 52.5,
  longitude: 13.4,
};

function snapshot(sourceId: string): OrderSnapshot {
  return {
    sourceId,
    name: "#C1001",
    channel: "online_store",
    financialStatus: "paid",
    fulfillmentStatus: null,
    currency: "EUR",
    totalMinor: 9_007_199_254_740_993n,
    email: "a@example.com",
    customerName: "Ada L",
    cancelledAt: null,
    placedAt: new Date("2026-11-30T10:00:00.123Z"),
    updatedAt: new Date("2026-11-30T10:00:01.456Z"),
    shippingAddress: ADDRESS,
    tags: ["vip", "wholesale"],
    lines: [
      {
        sourceLineId: "gid://shopify/LineItem/1",
        sku: "SKU-1",
        title: "Mug",
        variantId: "gid://shopify/ProductVariant/7",
        quantity: 2,
        currentQuantity: 2,
        unitPriceMinor: 1250n,
      },
      { sourceLineId: "gid://shopify/LineItem/2", sku: null, title: "Card", variantId: null, quantity: 1, currentQuantity: 0, unitPriceMinor: 0n },
    ],
  };
}

const write = (key: string) => ({
  state: "received" as const,
  exception: null,
  holdReason: "awaiting payment",
  timeline: [
    { kind: "received" as const, summary: `received ${key}`, fromState: null, toState: "received" as const, owner: "commerce" as const, dedupeKey: key },
  ],
});
const provenance = { at: new Date("2026-11-30T10:00:02.000Z"), actor: "shopify:webhook orders/create", source: "shopify" as const, deliveryId: null };

describe("createOrders", () => {
  it("writes the order, its lines and its timeline as a read returns them", async () => {
    const sourceId = `gid://shopify/Order/${Date.now()}1`;
    const id = await createOrder(SHOP, snapshot(sourceId), write("first"), provenance);
    const order = await db().order.findUniqueOrThrow({ where: { id: id! }, include: { lines: { orderBy: { sourceLineId: "asc" } }, events: true } });
    expect(order).toMatchObject({
      shop: SHOP,
      sourceId,
      name: "#C1001",
      state: "received",
      holdReason: "awaiting payment",
      exception: null,
      channel: "online_store",
      currency: "EUR",
      totalMinor: 9_007_199_254_740_993n,
      tags: "vip,wholesale",
      shipCountry: "DE",
      cancelledAt: null,
      groupsReadSeq: 0,
      sourcingClaimedUntil: null,
    });
    expect(order.placedAt.toISOString()).toBe("2026-11-30T10:00:00.123Z");
    expect(order.sourceUpdatedAt.toISOString()).toBe("2026-11-30T10:00:01.456Z");
    expect(Math.abs(order.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(JSON.parse(order.shippingAddress ?? "null")).toEqual(ADDRESS);
    expect(order.lines.map((l) => [l.sourceLineId, l.sku, l.variantId, l.quantity, l.currentQuantity, l.unitPriceMinor])).toEqual([
      ["gid://shopify/LineItem/1", "SKU-1", "gid://shopify/ProductVariant/7", 2, 2, 1250n],
      ["gid://shopify/LineItem/2", null, null, 1, 0, 0n],
    ]);
    expect(order.events.map((e) => [e.dedupeKey, e.toState, e.at.toISOString(), e.actor])).toEqual([
      ["first", "received", "2026-11-30T10:00:02.000Z", "shopify:webhook orders/create"],
    ]);
    // Ordered, filtered and compared by date the way the admin's lists do.
    expect(await db().order.count({ where: { shop: SHOP, sourceId, placedAt: { gte: new Date("2026-11-30T10:00:00.000Z") } } })).toBe(1);
  });

  it("leaves out an order held already, and a second snapshot of one order in the same call, writing none of their lines or entries", async () => {
    const held = `gid://shopify/Order/${Date.now()}2`;
    const fresh = `gid://shopify/Order/${Date.now()}3`;
    const heldId = await createOrder(SHOP, snapshot(held), write("first"), provenance);
    expect(heldId).toEqual(expect.any(String));
    expect(await createOrder(SHOP, snapshot(held), write("second"), provenance)).toBeNull();
    const created = await createOrders(SHOP, [
      { snap: snapshot(held), write: write("third"), provenance },
      { snap: snapshot(fresh), write: write("fresh"), provenance },
      { snap: { ...snapshot(fresh), name: "#again" }, write: write("fresh again"), provenance },
    ]);
    expect([...created.keys()]).toEqual([fresh]);
    expect(await db().order.count({ where: { shop: SHOP, sourceId: held } })).toBe(1);
    expect(await db().orderLine.count({ where: { orderId: heldId! } })).toBe(2);
    expect((await db().orderEvent.findMany({ where: { orderId: heldId! } })).map((e) => e.dedupeKey)).toEqual(["first"]);
    const freshOrder = await db().order.findUniqueOrThrow({ where: { id: created.get(fresh)! }, include: { lines: true, events: true } });
    expect([freshOrder.name, freshOrder.lines.length, freshOrder.events.map((e) => e.dedupeKey)]).toEqual(["#C1001", 2, ["fresh"]]);
  });

  it("writes a whole batch of orders, each with its own lines and entries under the same dedupe keys", async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `gid://shopify/Order/${Date.now()}5${i}`);
    const created = await createOrders(
      SHOP,
      ids.map((sourceId) => ({ snap: snapshot(sourceId), write: write("received"), provenance })),
    );
    expect(created.size).toBe(30);
    const orders = await db().order.findMany({ where: { shop: SHOP, sourceId: { in: ids } }, include: { _count: { select: { lines: true, events: true } } } });
    expect(orders.map((o) => [o.id === created.get(o.sourceId), o._count.lines, o._count.events])).toEqual(ids.map(() => [true, 2, 1]));
  });
});
