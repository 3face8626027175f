// The shop's Admin API budget, against the dev shop at a small plan rate: the app's client waits
// for the bucket instead of being throttled, retries a THROTTLED answer in place, and an inventory
// call leaves half the bucket to order work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminApiStats, adminFor } from "~/.server/shopify/admin";
import type { startShopifyStandIn } from "../dev/shopify-local/server";
import { devShop } from "./helpers/dev-shop";

const SHOP = "budget-outfitters.myshopify.com";
// nodes(ids:) is priced per id and charged per id returned (null or not): 60 points a call.
const PAGE = `#graphql
  query BudgetProbe($ids: [ID!]!) { nodes(ids: $ids) { id } }
`;
const IDS = Array.from({ length: 60 }, (_, i) => `gid://shopify/Order/${900_000 + i}`);
const probe = (graphql: Awaited<ReturnType<typeof adminFor>>) => graphql(PAGE, { variables: { ids: IDS } });

describe("Admin API budget against the dev shop", () => {
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;
  let post: (p: string, body: unknown) => Promise<Response>;

  beforeAll(async () => {
    ({ standIn, post } = await devShop(SHOP, { orders: 3 }));
    // 50 points a second, a bucket of 500: nine of these calls empty it.
    await post(`/_dev/shops/${SHOP}/throttle`, { restoreRate: 50 });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it("twelve concurrent calls that need half again the bucket all succeed, by waiting, not by failing", { timeout: 60_000 }, async () => {
    const graphql = await adminFor(SHOP);
    const before = { ...adminApiStats };
    const started = Date.now();
    const bodies = await Promise.all(Array.from({ length: 12 }, () => probe(graphql).then((r) => r.json() as Promise<{ data?: { nodes: unknown[] } }>)));
    expect(bodies.every((b) => b.data?.nodes.length === 60)).toBe(true);
    // 12 × 60 points against 500 + 50/s: the client had to wait (or retry after THROTTLED) for refills.
    expect(adminApiStats.waitedMs - before.waitedMs + (adminApiStats.throttled - before.throttled)).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThan(1_000);
  });

  it("an inventory call waits until half the bucket is back; an order call with the same need goes first", { timeout: 60_000 }, async () => {
    const orders = await adminFor(SHOP, "orders");
    const inventory = await adminFor(SHOP, "inventory");
    // Drain the bucket with order calls, then race one of each lane.
    await Promise.all(Array.from({ length: 8 }, () => probe(orders)));
    const finished: string[] = [];
    await Promise.all([probe(inventory).then(() => finished.push("inventory")), probe(orders).then(() => finished.push("orders"))]);
    expect(finished).toEqual(["orders", "inventory"]);
  });
});
