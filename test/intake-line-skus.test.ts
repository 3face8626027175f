// The intake read names a fulfilment-order line's order line by its SKU when the orders/create
// payload showed every line's SKU to be its own (a point a line less than reading the order line),
// and reads the order lines after all when a SKU names none. Against the dev shop, the app's
// webhook route and the worker, for real; the Admin API calls are observed on their way out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { adminFor } from "~/.server/shopify/admin";
import { ORDER_FULFILMENT_FOR_SYNC } from "~/.server/shopify/documents/order-sync";
import { uniqueSkus } from "~/.server/shopify/order-sync";
import { syncOrderFromShopify } from "~/.server/services/sync-order";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

const SHOP = "line-skus.myshopify.com";
type Call = { operation: string; variables: Record<string, unknown>; points: number };
const calls: Call[] = [];
const realFetch = globalThis.fetch;
let shop: Awaited<ReturnType<typeof connectedDevShop>>;

beforeAll(async () => {
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (url.includes("/graphql.json") && typeof init?.body === "string") {
      const sent = JSON.parse(init.body) as { query: string; variables?: Record<string, unknown> };
      const body = (await res.clone().json()) as { extensions?: { cost?: { actualQueryCost?: number } } };
      calls.push({
        operation: /(?:query|mutation)\s+(\w+)/.exec(sent.query)?.[1] ?? "?",
        variables: sent.variables ?? {},
        points: body.extensions?.cost?.actualQueryCost ?? 0,
      });
    }
    return res;
  };
  shop = await connectedDevShop(SHOP, {});
}, 60_000);
afterAll(async () => {
  await shop.close();
  globalThis.fetch = realFetch;
});

const readsOf = (orderId: string) => calls.filter((c) => c.operation === "OrderFulfilmentForSync" && c.variables.id === orderId);

async function groupLines(orderId: string) {
  const groups = await db().fulfillmentGroup.findMany({ where: { orderId } });
  return groups.flatMap((g) =>
    (JSON.parse(g.lines) as { lineItemId: string; sku: string | null; quantity: number }[]).map((l) => [l.sku, l.lineItemId, l.quantity]),
  );
}

/** A checkout of two lines (TEE-M, TEE-L), once the app has taken it in and read its fulfilment orders. */
async function placeTeeOrder(medium: number, large: number) {
  const placed = (await (
    await shop.post(`/_dev/shops/${SHOP}/checkout`, {
      lines: [
        { sku: "TEE-M", quantity: medium },
        { sku: "TEE-L", quantity: large },
      ],
      shippingAddress: austin,
      email: `skus-${medium}-${large}@example.com`,
    })
  ).json()) as { orderId: string };
  expect(placed.orderId).toMatch(/^gid:\/\/shopify\/Order\//);
  const order = await waitFor(async () => (await db().order.findFirst({ where: { shop: SHOP, sourceId: placed.orderId } })) ?? undefined, 20_000, "the order");
  await waitFor(async () => ((await groupLines(order.id)).length === 2 ? true : undefined), 20_000, "its fulfilment orders read");
  return { placed, order };
}

describe("the intake read's order lines", { timeout: 60_000 }, () => {
  it("are named by SKU when each line's SKU is its own: the read costs a point a line less, and every line is the right one", async () => {
    const { placed, order } = await placeTeeOrder(2, 1);

    const [read] = readsOf(placed.orderId);
    expect(read?.variables).toMatchObject({ withLineIds: false, withPageInfo: false });
    // Its pages came back short (one fulfilment order, two lines): read once, without pageInfo.
    expect(readsOf(placed.orderId).map((c) => c.variables.withPageInfo)).toEqual([false]);
    const lines = await db().orderLine.findMany({ where: { orderId: order.id } });
    const bySku = new Map(lines.map((l) => [l.sku, l.sourceLineId]));
    expect((await groupLines(order.id)).sort()).toEqual(
      [
        ["TEE-L", bySku.get("TEE-L"), 1],
        ["TEE-M", bySku.get("TEE-M"), 2],
      ].sort(),
    );
    // The same read with the order lines costs one point more for each of the two lines.
    const admin = await adminFor(SHOP);
    const pointsOf = async (variables: { withLineIds: boolean; withPageInfo: boolean }) =>
      (
        (await (await admin(ORDER_FULFILMENT_FOR_SYNC, { variables: { id: placed.orderId, withTags: false, ...variables } })).json()) as {
          extensions?: { cost?: { actualQueryCost?: number } };
        }
      ).extensions?.cost?.actualQueryCost;
    expect(await pointsOf({ withLineIds: true, withPageInfo: false })).toBe(read!.points + 2);
    // With its pages' pageInfo (the fulfilment orders' and the one fulfilment order's lines'), two more.
    expect(await pointsOf({ withLineIds: false, withPageInfo: true })).toBe(read!.points + 2);
  });

  it("are read after all when a SKU names no line (changed since the payload): the groups are still right", async () => {
    const { placed, order } = await placeTeeOrder(1, 2);
    const lines = await db().orderLine.findMany({ where: { orderId: order.id } });
    const bySku = new Map(lines.map((l) => [l.sku, l.sourceLineId]));
    const before = readsOf(placed.orderId).length;

    // The hint names TEE-M by a SKU Shopify does not show for it.
    await syncOrderFromShopify(SHOP, { orderId: placed.orderId }, "test", new Date(), "fulfilment", {
      lines: [
        { id: bySku.get("TEE-M")!, sku: "TEE-M-OLD" },
        { id: bySku.get("TEE-L")!, sku: "TEE-L" },
      ],
    });
    expect(
      readsOf(placed.orderId)
        .slice(before)
        .map((c) => c.variables.withLineIds),
    ).toEqual([false, true]);
    expect((await groupLines(order.id)).sort()).toEqual(
      [
        ["TEE-L", bySku.get("TEE-L"), 2],
        ["TEE-M", bySku.get("TEE-M"), 1],
      ].sort(),
    );
  });

  it("are named by SKU only when every line has one and no two share it", () => {
    expect(uniqueSkus([{ sku: "A" }, { sku: "B" }])).toBe(true);
    expect(uniqueSkus([{ sku: "A" }, { sku: "A" }])).toBe(false);
    expect(uniqueSkus([{ sku: "A" }, { sku: null }])).toBe(false);
    expect(uniqueSkus([{ sku: "A" }, { sku: "" }])).toBe(false);
  });
});
