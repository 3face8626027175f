import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { listOrderLocations, listOrders } from "~/.server/db/order-queries";

const shop = "list.myshopify.com";

describe("orders list (keyset pagination and filters)", () => {
  beforeAll(async () => {
    // 23 orders; five share one instant so pages must break ties by id without skipping or repeating.
    const base = Date.parse("2026-10-01T00:00:00Z");
    for (let i = 0; i < 23; i++) {
      const placedAt = new Date(i < 5 ? base : base + i * 60_000);
      await db().order.create({
        data: {
          shop,
          channel: i % 3 === 0 ? "amazon" : "online_store",
          sourceId: `gid://shopify/Order/${800 + i}`,
          name: `#${800 + i}`,
          state: i % 4 === 0 ? "on_hold" : "released",
          exception: i === 7 ? "ILLEGAL_TRANSITION" : null,
          currency: "USD",
          totalMinor: 100n,
          email: `buyer${i}@example.com`,
          placedAt,
          sourceUpdatedAt: placedAt,
        },
      });
    }
    await db().order.create({
      data: {
        shop: "someone-else.myshopify.com",
        channel: "online_store",
        sourceId: "gid://shopify/Order/1",
        name: "#800",
        state: "released",
        currency: "USD",
        totalMinor: 1n,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });
  });

  it("walks every order exactly once, newest first, across pages of 4 (ties included)", async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 20; guard++) {
      const page = await listOrders(shop, {}, { take: 4, after });
      seen.push(...page.items.map((o) => o.name));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    expect(seen[0]).toBe("#822");
    expect(seen.slice(-5).sort()).toEqual(["#800", "#801", "#802", "#803", "#804"]);
  });

  it("filters by channel, state, exception and date, and never shows another shop's orders", async () => {
    const amazon = await listOrders(shop, { channel: "amazon" }, { take: 50 });
    expect(amazon.items.map((o) => o.channel)).toEqual(Array(8).fill("amazon"));
    expect((await listOrders(shop, { state: "on_hold" }, { take: 50 })).items).toHaveLength(6);
    expect((await listOrders(shop, { exception: "any" }, { take: 50 })).items.map((o) => o.name)).toEqual(["#807"]);
    const range = await listOrders(shop, { from: new Date("2026-10-01T00:10:00Z"), to: new Date("2026-10-01T00:13:00Z") }, { take: 50 });
    expect(range.items.map((o) => o.name)).toEqual(["#812", "#811", "#810"]);
    const all = await listOrders(shop, {}, { take: 100 });
    expect(all.items.every((o) => o.name !== "#800" || o.channel === "amazon")).toBe(true);
    expect(all.items).toHaveLength(23);
  });

  it("filters by the location an order's fulfillment group is assigned to", async () => {
    const order = await db().order.findFirstOrThrow({ where: { shop, name: "#810" } });
    await db().fulfillmentGroup.create({
      data: {
        orderId: order.id,
        sourceId: "gid://shopify/FulfillmentOrder/1",
        locationId: "gid://shopify/Location/7",
        locationName: "Reno NV",
        status: "OPEN",
        lines: "[]",
      },
    });
    expect((await listOrders(shop, { location: "gid://shopify/Location/7" }, { take: 50 })).items.map((o) => o.name)).toEqual(["#810"]);
    expect(await listOrderLocations(shop)).toEqual([{ id: "gid://shopify/Location/7", name: "Reno NV" }]);
    expect(await listOrderLocations("someone-else.myshopify.com")).toEqual([]);
  });

  it("finds an order by name (with or without #), by email, or by Shopify id", async () => {
    expect((await listOrders(shop, { q: "#815" }, { take: 5 })).items.map((o) => o.name)).toEqual(["#815"]);
    expect((await listOrders(shop, { q: "815" }, { take: 5 })).items.map((o) => o.name)).toEqual(["#815"]);
    expect((await listOrders(shop, { q: "BUYER3@example.com" }, { take: 5 })).items.map((o) => o.name)).toEqual(["#803"]);
    expect((await listOrders(shop, { q: "gid://shopify/Order/820" }, { take: 5 })).items.map((o) => o.name)).toEqual(["#820"]);
  });
});
