// The returns reads follow every connection to its end: an order whose fulfilment lines, returns,
// return lines and reverse fulfilment order lines each span more than one page is read whole from
// the stand-in over HTTP (which pages connections by cursor, as Shopify does).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminGraphql } from "~/.server/shopify/admin";
import { fetchReturnables, openReturn, readReturn } from "~/.server/shopify/returns";
import { startShopifyStandIn } from "../dev/shopify-local/server";
import { austin, DEMO_KEY, DEMO_SECRET } from "../dev/shopify-local/test-helpers";

const SHOP = "returns-paging.myshopify.com";
const LINES = 55; // more than one page of every connection the returns reads ask for (at most 50 a page)

describe("returns reads of an order larger than one page", { timeout: 60_000 }, () => {
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;
  let graphql: AdminGraphql;
  let orderId: string;
  const post = async (p: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(standIn.url + p, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    return (await r.json()) as Record<string, unknown>;
  };

  beforeAll(async () => {
    standIn = await startShopifyStandIn({ apiKey: DEMO_KEY, apiSecret: DEMO_SECRET });
    const skus = Array.from({ length: LINES }, (_, i) => `SKU-${String(i).padStart(2, "0")}`);
    await post("/_dev/shops", {
      domain: SHOP,
      name: "Paging Outfitters",
      locations: [
        {
          name: "Dallas TX",
          address: { address1: "200 Commerce St", city: "Dallas", provinceCode: "TX", countryCode: "US", zip: "75201" },
          latitude: 32.78,
          longitude: -96.8,
        },
      ],
      products: [{ title: "Many Things", variants: skus.map((sku) => ({ sku, price: "10.00", inventory: { "Dallas TX": 5 } })) }],
    });
    const token = String((await post(`/_dev/shops/${SHOP}/install`, {})).accessToken);
    graphql = (async (query: string, opts?: { variables?: Record<string, unknown> }) =>
      fetch(`${standIn.url}/admin/api/2026-04/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token, "x-forwarded-host": SHOP },
        body: JSON.stringify({ query, variables: opts?.variables ?? {} }),
      })) as unknown as AdminGraphql;
    const placed = (await post(`/_dev/shops/${SHOP}/checkout`, {
      lines: skus.map((sku) => ({ sku, quantity: 2 })),
      shippingAddress: austin,
      email: "ada@example.com",
    })) as { orderId: string; fulfillmentOrderIds: string[] };
    orderId = placed.orderId;
    for (const fo of placed.fulfillmentOrderIds)
      await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo)}/ship`, { company: "UPS", number: "1Z000001" });
  });
  afterAll(() => standIn.close());

  it("given 55 fulfilled lines and 6 returns, when the returnables, a return and a new return are read, then nothing is cut off", async () => {
    const before = (await fetchReturnables(graphql, orderId))!;
    expect(before.fulfilled).toHaveLength(LINES);
    expect(new Set(before.fulfilled.map((f) => f.sku)).size).toBe(LINES);

    // One return of every line (returnCreate: open, with its reverse fulfilment order) ...
    const big = await openReturn(graphql, "create", {
      orderId,
      lines: before.fulfilled.map((f) => ({ fulfillmentLineItemId: f.fulfillmentLineItemId, quantity: 1, restockingFeePercent: 0, note: null })),
      exchange: [],
      shippingFee: null,
    });
    if (!big.ok) throw new Error(big.message);
    expect(big.ret.returnLineItems.nodes).toHaveLength(LINES);
    expect(big.ret.reverseFulfillmentOrders.nodes[0]!.lineItems.nodes).toHaveLength(LINES);
    // ... and five more of one unit each: six returns, more than the first page of an order's returns.
    for (const f of before.fulfilled.slice(0, 5)) {
      const small = await openReturn(graphql, "request", {
        orderId,
        lines: [{ fulfillmentLineItemId: f.fulfillmentLineItemId, quantity: 1, restockingFeePercent: 0, note: null }],
        exchange: [],
        shippingFee: null,
      });
      if (!small.ok) throw new Error(small.message);
    }

    const read = (await readReturn(graphql, big.ret.id))!;
    expect(read.returnLineItems.nodes).toHaveLength(LINES);
    expect(new Set(read.returnLineItems.nodes.map((l) => l.id)).size).toBe(LINES);
    expect(read.reverseFulfillmentOrders.nodes[0]!.lineItems.nodes).toHaveLength(LINES);
    expect(read.returnLineItems.pageInfo.hasNextPage).toBe(false);

    const after = (await fetchReturnables(graphql, orderId))!;
    const returned = before.fulfilled.map((f) => after.returned.get(f.fulfillmentLineItemId) ?? 0);
    expect(returned).toEqual(before.fulfilled.map((_, i) => (i < 5 ? 2 : 1)));
  });
});
