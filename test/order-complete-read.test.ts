// Complete reads: an order with more lines and fulfilment orders than one page of each holds is
// read to the end (every connection followed by its cursor), so nothing is dropped and no stock
// is released for groups a truncated read would not have seen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues } from "~/.server/queue/queues";
import { syncOrderFromShopify } from "~/.server/services/sync-order";
import { austin } from "../dev/shopify-local/test-helpers";
import { devShop } from "./helpers/dev-shop";

const SHOP = "complete-read.myshopify.com";
const LOCATIONS = 8;
const LINES = 120;
// Eight warehouses across the US, each the only one stocking its products (forty at the first, so
// its fulfilment order has more lines than one page): no location can ship the whole order, so
// Shopify's routing gives every location its own fulfilment order.
const cities = [
  ["Edison", "NJ", "08817", 40.52, -74.41],
  ["Dallas", "TX", "75201", 32.78, -96.8],
  ["Seattle", "WA", "98101", 47.61, -122.34],
  ["Denver", "CO", "80202", 39.74, -104.99],
  ["Atlanta", "GA", "30303", 33.75, -84.39],
  ["Chicago", "IL", "60601", 41.88, -87.63],
  ["Phoenix", "AZ", "85004", 33.45, -112.07],
  ["Boston", "MA", "02108", 42.36, -71.06],
] as const;

const warehouseOf = (product: number) => {
  const [city, province] = cities[product < 40 ? 0 : 1 + (product % (LOCATIONS - 1))]!;
  return `${city} ${province}`;
};

describe("complete reads of a large order", { timeout: 120_000 }, () => {
  let standIn: Awaited<ReturnType<typeof devShop>>["standIn"];
  let post: Awaited<ReturnType<typeof devShop>>["post"];

  beforeAll(async () => {
    ({ standIn, post } = await devShop(SHOP, {
      tweak: (fixture) => {
        fixture.locations = cities.map(([city, provinceCode, zip, latitude, longitude]) => ({
          name: `${city} ${provinceCode}`,
          address: { address1: "1 Main St", city, provinceCode, countryCode: "US", zip },
          latitude,
          longitude,
        }));
        fixture.products = Array.from({ length: LINES }, (_, i) => ({
          title: `Part ${i}`,
          variants: [{ sku: `PART-${String(i).padStart(3, "0")}`, price: "5.00", inventory: { [warehouseOf(i)]: 10 } }],
        })) as never;
      },
    }));
  });
  afterAll(async () => {
    await closeQueues();
    await standIn.close();
  });

  it(`an order of ${LINES} lines in ${LOCATIONS} fulfilment orders is synced completely, and nothing it holds is released`, async () => {
    const placed = await post(`/_dev/shops/${SHOP}/checkout`, {
      lines: Array.from({ length: LINES }, (_, i) => ({ sku: `PART-${String(i).padStart(3, "0")}`, quantity: 2 })),
      shippingAddress: austin,
      email: "bulk@example.com",
    });
    expect(placed.status).toBe(200);
    const { orderId: sourceId } = (await placed.json()) as { orderId: string };

    // The whole order, then its fulfilment side again (the read after a fulfillment_orders/* event).
    await syncOrderFromShopify(SHOP, { orderId: sourceId }, "test", new Date(), "order");
    await syncOrderFromShopify(SHOP, { orderId: sourceId }, "test", new Date(), "fulfilment");

    const order = await db().order.findFirstOrThrow({ where: { shop: SHOP, sourceId }, include: { lines: true, groups: true } });
    expect(order.lines).toHaveLength(LINES);
    expect(order.groups).toHaveLength(LOCATIONS);
    const groupLines = order.groups.flatMap((g) => JSON.parse(g.lines) as { remaining: number }[]);
    expect(groupLines).toHaveLength(LINES);
    expect(Math.max(...order.groups.map((g) => (JSON.parse(g.lines) as unknown[]).length))).toBe(40);
    expect(groupLines.reduce((n, l) => n + l.remaining, 0)).toBe(2 * LINES);
    // Every unit is reserved where Shopify placed it, and no reservation was ever given back.
    const movements = await db().stockMovement.findMany({ where: { shop: SHOP, reference: order.id } });
    expect(movements.filter((m) => m.kind === "reserve").reduce((n, m) => n + m.reservedDelta, 0)).toBe(2 * LINES);
    expect(movements.filter((m) => m.kind !== "reserve")).toEqual([]);
  });

  // The first read asks for no pageInfo (a page shorter than its first is the last): one fulfilment
  // order with more lines than its first page holds is read again with it, and to the end.
  it("an order in one fulfilment order with more lines than a page is read to the end", async () => {
    const placed = await post(`/_dev/shops/${SHOP}/checkout`, {
      lines: Array.from({ length: 30 }, (_, i) => ({ sku: `PART-${String(i).padStart(3, "0")}`, quantity: 1 })),
      shippingAddress: austin,
      email: "thirty@example.com",
    });
    expect(placed.status).toBe(200);
    const { orderId: sourceId } = (await placed.json()) as { orderId: string };
    for (const mode of ["order", "fulfilment"] as const) {
      await syncOrderFromShopify(SHOP, { orderId: sourceId }, "test", new Date(), mode);
      const order = await db().order.findFirstOrThrow({ where: { shop: SHOP, sourceId }, include: { lines: true, groups: true } });
      expect(order.lines).toHaveLength(30);
      expect(order.groups).toHaveLength(1);
      expect((JSON.parse(order.groups[0]!.lines) as unknown[]).length).toBe(30);
    }
  });
});
