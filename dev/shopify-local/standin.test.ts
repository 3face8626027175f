import { afterEach, describe, expect, it } from "vitest";
import { validateWebhookPayload } from "./payload-contract";
import { mintSessionToken } from "./session-token";
import { austin, DEMO_KEY, DEMO_SECRET, RecordingSink, standInWithShop } from "./test-helpers";

type Handle = Awaited<ReturnType<typeof standInWithShop>>;
let open: Handle[] = [];
async function shop(domain = "outfitters.myshopify.com", opts: Parameters<typeof standInWithShop>[1] = {}) {
  const h = await standInWithShop(domain, opts);
  open.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(open.map((h) => h.close()));
  open = [];
});

const LEVEL = `query Level($item: ID!, $loc: ID!) { inventoryItem(id: $item) { inventoryLevel(locationId: $loc) { quantities(names: ["available", "committed", "on_hand"]) { name quantity } } } }`;
const quantities = async (h: Handle, sku: string, location: string) => {
  const item = h.seeded.variants.find((v) => v.sku === sku)!.inventoryItemId;
  const loc = h.seeded.locations.find((l) => l.name === location)!.id;
  const r = await h.gql(LEVEL, { item, loc });
  return Object.fromEntries((r.body.data!.inventoryItem.inventoryLevel.quantities as { name: string; quantity: number }[]).map((q) => [q.name, q.quantity]));
};
const SET = (key: string) =>
  `mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "${key}") { inventoryAdjustmentGroup { changes { name delta quantityAfterChange } } userErrors { code field message } } }`;

describe("Shopify stand-in: Admin GraphQL", () => {
  it("rejects a document that does not match the 2026-04 schema, without running it", async () => {
    const h = await shop();
    const r = await h.gql("{ shop { name notAField } }");
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors).toEqual([
      expect.objectContaining({ message: "Field 'notAField' doesn't exist on type 'Shop'", extensions: expect.objectContaining({ code: "undefinedField" }) }),
    ]);
  });

  it("answers 401 for a missing token, an unknown token, or another shop's token", async () => {
    const h = await shop();
    const other = await shop("other.myshopify.com");
    expect((await h.post("/admin/api/2026-04/graphql.json", { query: "{ shop { name } }" }, { "x-forwarded-host": "outfitters.myshopify.com" })).status).toBe(
      401,
    );
    expect((await h.gql("{ shop { name } }", {}, { token: "shpat_nope" })).status).toBe(401);
    expect((await other.gql("{ shop { name } }", {}, { token: h.token, shop: "other.myshopify.com" })).status).toBe(401);
  });

  it("puts extensions.cost on every response, refuses documents over 1,000 points, charges the actual cost, and throttles an empty bucket", async () => {
    let now = Date.parse("2026-11-23T00:00:00Z");
    const h = await shop("slow.myshopify.com", { now: () => new Date(now), restoreRatePerSecond: 10 });
    const ok = await h.gql("{ shop { name } }");
    expect(ok.body.extensions.cost).toMatchObject({
      requestedQueryCost: 1,
      actualQueryCost: 1,
      throttleStatus: { maximumAvailable: 100, currentlyAvailable: 99, restoreRate: 10 },
    });

    const huge = await h.gql("{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { sku } } } } }");
    expect(huge.body.errors[0].extensions.code).toBe("MAX_COST_EXCEEDED");

    // Requested 2 + 50 nodes, but the shop has no orders: only what was returned is charged.
    const page = await h.gql("{ orders(first: 50) { nodes { id } } }");
    expect(page.body.extensions.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: 1 });
    expect(page.body.extensions.cost.throttleStatus.currentlyAvailable).toBe(98);

    const codes: string[] = [];
    for (let i = 0; i < 100; i++) codes.push((await h.gql("{ shop { name } }")).body.errors?.[0]?.extensions.code ?? "OK");
    expect(codes.filter((c) => c === "OK")).toHaveLength(98);
    expect(codes.at(-1)).toBe("THROTTLED");
    now += 1_000; // ten points come back each second
    expect((await h.gql("{ shop { name } }")).body.errors).toBeUndefined();
  });

  it("filters orders by an id range (`id:>=…`, `id:<=…`), as Shopify's search syntax does, in a query and in a bulk query", async () => {
    const h = await shop();
    const ids: string[] = [];
    for (const sku of ["TEE-M", "TEE-L", "TEE-M"]) {
      const placed = await h.post(`/_dev/shops/outfitters.myshopify.com/checkout`, {
        lines: [{ sku, quantity: 1 }],
        shippingAddress: austin,
        email: "id@example.com",
      });
      ids.push(String(placed.body.orderId));
    }
    const n = ids.map((id) => Number(id.slice(id.lastIndexOf("/") + 1)));
    const found = async (q: string) =>
      ((await h.gql("query($q: String) { orders(first: 10, query: $q) { nodes { id } } }", { q })).body.data.orders.nodes as { id: string }[]).map((o) => o.id);
    expect(await found(`id:>=${n[1]} id:<=${n[2]}`)).toEqual(ids.slice(1));
    expect(await found(`id:${n[0]}`)).toEqual([ids[0]]);
    expect(await found(`id:<${n[0]}`)).toEqual([]);
    const bulk = await h.gql("mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }", {
      q: `{ orders(query: "id:>=${n[1]}") { edges { node { id } } } }`,
    });
    expect(bulk.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
  });

  it("finds an inventory level by the id inventory_levels/update names (location, item as a parameter), null for none", async () => {
    const h = await shop();
    const item = h.seeded.variants[0]!.inventoryItemId;
    const loc = h.seeded.locations[0]!.id;
    const num = (g: string) => g.slice(g.lastIndexOf("/") + 1);
    const id = `gid://shopify/InventoryLevel/${num(loc)}?inventory_item_id=${num(item)}`;
    const r = await h.gql(
      `query L($ids: [ID!]!) { nodes(ids: $ids) { ... on InventoryLevel { id location { id } item { id } quantities(names: ["available", "on_hand"]) { name quantity } } } }`,
      { ids: [id, `gid://shopify/InventoryLevel/${num(loc)}?inventory_item_id=999999`] },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.nodes[0]).toMatchObject({ id, location: { id: loc }, item: { id: item } });
    expect(r.body.data.nodes[0].quantities.map((q: { name: string }) => q.name)).toEqual(["available", "on_hand"]);
    expect(r.body.data.nodes[1]).toBeNull();
    // nodes(ids:) is priced per id asked for; no more than was asked for is charged.
    expect(r.body.extensions.cost).toMatchObject({ requestedQueryCost: 2 * (1 + 1 + 1 + 1), actualQueryCost: 1 + 1 + 1 + 1 + 2 });
  });

  it("requires @idempotent on 2026-04 inventory mutations, applies a repeated key once, and refuses a reused key with other input", async () => {
    const h = await shop();
    const item = h.seeded.variants.find((v) => v.sku === "TEE-M")!.inventoryItemId;
    const loc = h.seeded.locations.find((l) => l.name === "Edison NJ")!.id;
    const input = (quantity: number) => ({
      reason: "correction",
      name: "available",
      quantities: [{ inventoryItemId: item, locationId: loc, quantity, changeFromQuantity: null }],
    });

    const missing = await h.gql(`mutation Set($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { message } } }`, {
      input: input(7),
    });
    expect(missing.body.errors[0].message).toMatch(/@idempotent directive is required/);

    const first = await h.gql(SET("key-1"), { input: input(7) });
    const again = await h.gql(SET("key-1"), { input: input(7) });
    expect(first.body.data!.inventorySetQuantities.userErrors).toEqual([]);
    expect(again.body.data).toEqual(first.body.data);
    expect((await quantities(h, "TEE-M", "Edison NJ")).available).toBe(7);

    const mismatch = await h.gql(SET("key-1"), { input: input(3) });
    expect(mismatch.body.data!.inventorySetQuantities.userErrors[0].code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect((await quantities(h, "TEE-M", "Edison NJ")).available).toBe(7);
  });

  it("compare-and-swap: a stale changeFromQuantity fails, and omitting it is refused", async () => {
    const h = await shop();
    const item = h.seeded.variants.find((v) => v.sku === "TEE-M")!.inventoryItemId;
    const loc = h.seeded.locations.find((l) => l.name === "Dallas TX")!.id;
    const stale = await h.gql(SET("cas-1"), {
      input: { reason: "correction", name: "available", quantities: [{ inventoryItemId: item, locationId: loc, quantity: 4, changeFromQuantity: 9 }] },
    });
    expect(stale.body.data!.inventorySetQuantities.userErrors).toEqual([expect.objectContaining({ code: "CHANGE_FROM_QUANTITY_STALE" })]);
    const omitted = await h.gql(SET("cas-2"), {
      input: { reason: "correction", name: "available", quantities: [{ inventoryItemId: item, locationId: loc, quantity: 4 }] },
    });
    expect(omitted.body.data!.inventorySetQuantities.userErrors).toEqual([expect.objectContaining({ code: "COMPARE_QUANTITY_REQUIRED" })]);
    const fresh = await h.gql(SET("cas-3"), {
      input: { reason: "correction", name: "available", quantities: [{ inventoryItemId: item, locationId: loc, quantity: 4, changeFromQuantity: 10 }] },
    });
    expect(fresh.body.data!.inventorySetQuantities.inventoryAdjustmentGroup.changes).toEqual([{ name: "available", delta: -6, quantityAfterChange: 4 }]);
  });
});

describe("Shopify stand-in: Shopify's own behaviour", () => {
  it("checkout routes the whole order to the closest location that has all of it and commits the stock", async () => {
    const sink = new RecordingSink();
    const h = await shop("route.myshopify.com", { sink });
    const placed = await h.post("/_dev/shops/route.myshopify.com/checkout", {
      lines: [
        { sku: "TEE-M", quantity: 1 },
        { sku: "TEE-L", quantity: 2 },
      ],
      shippingAddress: austin,
      email: "ada@example.com",
    });
    expect(placed.status).toBe(200);
    // Edison has no TEE-L and Seattle none at all; Dallas has both and is closest to Austin anyway.
    const state = (await (await fetch(`${h.url}/_dev/shops/route.myshopify.com/state`)).json()) as { fulfillmentOrders: { location: string }[] };
    expect(state.fulfillmentOrders.map((f) => f.location)).toEqual(["Dallas TX"]);
    expect(await quantities(h, "TEE-L", "Dallas TX")).toEqual({ available: 1, committed: 2, on_hand: 3 });
    const topics = sink.events.map((e) => e.topic);
    expect(topics[0]).toBe("orders/create");
    expect(topics).toContain("fulfillment_orders/order_routing_complete");
    expect(new Set(sink.events.map((e) => e.eventId)).size).toBe(1);
  });

  it("local pickup: the order is fulfilled at the chosen store, which must have the items, and cannot be moved away", async () => {
    const h = await shop();
    const none = await h.post("/_dev/shops/outfitters.myshopify.com/checkout", {
      lines: [{ sku: "SHELL-M", quantity: 1 }],
      shippingAddress: austin,
      email: "a@example.com",
      pickupLocation: "Dallas TX",
    });
    expect(none.status).toBe(422);
    expect(none.body.code).toBe("OUT_OF_STOCK");
    const r = await h.post("/_dev/shops/outfitters.myshopify.com/checkout", {
      lines: [{ sku: "TEE-M", quantity: 1 }],
      shippingAddress: austin,
      email: "a@example.com",
      pickupLocation: "Seattle WA",
    });
    expect(r.status).toBe(200);
    const fo = await h.gql(
      `query F($id: ID!) { fulfillmentOrder(id: $id) { assignedLocation { name } deliveryMethod { methodType } supportedActions { action } } }`,
      { id: r.body.fulfillmentOrderIds[0] },
    );
    expect(fo.body.data.fulfillmentOrder).toMatchObject({ assignedLocation: { name: "Seattle WA" }, deliveryMethod: { methodType: "PICK_UP" } });
    expect(fo.body.data.fulfillmentOrder.supportedActions.map((a: { action: string }) => a.action)).not.toContain("MOVE");
    // Selecting `code`: a refusal is a userError with a code of the real enum (here none), not a GraphQL error.
    const move = await h.gql(`mutation M($id: ID!, $to: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $to) { userErrors { message code } } }`, {
      id: r.body.fulfillmentOrderIds[0],
      to: h.seeded.locations.find((l) => l.name === "Dallas TX")!.id,
    });
    expect(move.body.errors).toBeUndefined();
    expect(move.body.data.fulfillmentOrderMove.userErrors).toEqual([{ message: expect.stringMatching(/pickup/), code: null }]);
  });

  it("refuses a checkout nothing can ship, as Shopify refuses to oversell a tracked item", async () => {
    const h = await shop();
    const r = await h.post("/_dev/shops/outfitters.myshopify.com/checkout", {
      lines: [{ sku: "SHELL-M", quantity: 3 }],
      shippingAddress: austin,
      email: "a@example.com",
    });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe("OUT_OF_STOCK");
  });

  it("fulfilling takes committed and on_hand down; a closed fulfillment order cannot be moved; cancelling releases stock", async () => {
    const h = await shop();
    const a = (
      await h.post("/_dev/shops/outfitters.myshopify.com/checkout", { lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "a@example.com" })
    ).body as { fulfillmentOrderIds: string[]; orderId: string };
    await h.post(`/_dev/shops/outfitters.myshopify.com/fulfillment-orders/${encodeURIComponent(a.fulfillmentOrderIds[0]!)}/ship`, {
      company: "UPS",
      number: "1Z999",
    });
    expect(await quantities(h, "TEE-M", "Dallas TX")).toEqual({ available: 8, committed: 0, on_hand: 8 });

    const move = await h.gql(
      `mutation Move($id: ID!, $to: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $to) { movedFulfillmentOrder { id } userErrors { field message } } }`,
      {
        id: a.fulfillmentOrderIds[0],
        to: h.seeded.locations.find((l) => l.name === "Edison NJ")!.id,
      },
    );
    expect(move.body.data!.fulfillmentOrderMove).toEqual({
      movedFulfillmentOrder: null,
      userErrors: [{ field: ["id"], message: "Cannot move a fulfillment order with status closed." }],
    });

    const b = (
      await h.post("/_dev/shops/outfitters.myshopify.com/checkout", { lines: [{ sku: "TEE-M", quantity: 3 }], shippingAddress: austin, email: "b@example.com" })
    ).body as { orderId: string };
    expect((await quantities(h, "TEE-M", "Dallas TX")).committed).toBe(3);
    const cancel = await h.gql(`mutation C($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true) { orderCancelUserErrors { message } } }`, {
      id: b.orderId,
    });
    expect(cancel.body.data!.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(await quantities(h, "TEE-M", "Dallas TX")).toEqual({ available: 8, committed: 0, on_hand: 8 });
  });

  it("refuses a refund above what was paid", async () => {
    const h = await shop();
    const a = (
      await h.post("/_dev/shops/outfitters.myshopify.com/checkout", { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: "a@example.com" })
    ).body as { orderId: string };
    const refund = (amount: string, key: string) =>
      h.gql(`mutation R($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "${key}") { refund { id } userErrors { field message } } }`, {
        input: { orderId: a.orderId, transactions: [{ orderId: a.orderId, amount, gateway: "bogus", kind: "REFUND" }] },
      });
    const tooMuch = await refund("50.00", "r1"); // paid 24.00 + 9.95 shipping
    expect(tooMuch.body.data!.refundCreate.userErrors[0].message).toMatch(/greater than net payment received \$33\.95/);
    expect((await refund("20.00", "r2")).body.data!.refundCreate.userErrors).toEqual([]);
    expect((await refund("20.00", "r3")).body.data!.refundCreate.userErrors[0].message).toMatch(/\$13\.95/);
  });
});

describe("Shopify stand-in: auth", () => {
  it("exchanges a valid session token for an offline token the Admin API accepts, and rejects a forged one", async () => {
    const h = await shop();
    const exchange = (subject: string) =>
      h.post(
        "/admin/oauth/access_token",
        {
          client_id: DEMO_KEY,
          client_secret: DEMO_SECRET,
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: subject,
          subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
          requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
          expiring: "1",
        },
        { "x-forwarded-host": "outfitters.myshopify.com" },
      );
    const forged = await exchange(mintSessionToken({ shop: "outfitters.myshopify.com", apiKey: DEMO_KEY, apiSecret: "wrong-secret", now: new Date() }));
    expect(forged.status).toBe(400);
    const otherShop = await exchange(mintSessionToken({ shop: "someone-else.myshopify.com", apiKey: DEMO_KEY, apiSecret: DEMO_SECRET, now: new Date() }));
    expect(otherShop.status).toBe(400);
    const good = await exchange(mintSessionToken({ shop: "outfitters.myshopify.com", apiKey: DEMO_KEY, apiSecret: DEMO_SECRET, now: new Date() }));
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ access_token: expect.stringMatching(/^shpat_/), expires_in: 3600, refresh_token: expect.any(String) });
    expect((await h.gql("{ shop { name } }", {}, { token: String(good.body.access_token) })).body.data).toEqual({ shop: { name: "Test Outfitters" } });
  });
});

describe("Shopify stand-in: routing mutations, imports and metafields", () => {
  const FO_LINES = `query F($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id status assignedLocation { name } lineItems(first: 5) { nodes { id sku remainingQuantity } } } } } }`;

  it("splits a fulfillment order, merges it back, and reroutes it within the allowed locations", async () => {
    const h = await shop();
    const a = (
      await h.post("/_dev/shops/outfitters.myshopify.com/checkout", { lines: [{ sku: "TEE-M", quantity: 3 }], shippingAddress: austin, email: "a@example.com" })
    ).body as { orderId: string; fulfillmentOrderIds: string[] };
    const fo = a.fulfillmentOrderIds[0]!;
    const lines = (await h.gql(FO_LINES, { id: a.orderId })).body.data!.order.fulfillmentOrders.nodes[0].lineItems.nodes;

    const tooMany = await h.gql(
      `mutation S($s: [FulfillmentOrderSplitInput!]!) { fulfillmentOrderSplit(fulfillmentOrderSplits: $s) { userErrors { code } } }`,
      { s: [{ fulfillmentOrderId: fo, fulfillmentOrderLineItems: [{ id: lines[0].id, quantity: 4 }] }] },
    );
    expect(tooMany.body.data!.fulfillmentOrderSplit.userErrors).toEqual([{ code: "GREATER_THAN" }]);
    const split = await h.gql(
      `mutation S($s: [FulfillmentOrderSplitInput!]!) { fulfillmentOrderSplit(fulfillmentOrderSplits: $s) { fulfillmentOrderSplits { fulfillmentOrder { id } remainingFulfillmentOrder { id } } userErrors { code } } }`,
      { s: [{ fulfillmentOrderId: fo, fulfillmentOrderLineItems: [{ id: lines[0].id, quantity: 1 }] }] },
    );
    const result = split.body.data!.fulfillmentOrderSplit.fulfillmentOrderSplits[0];
    const after = (await h.gql(FO_LINES, { id: a.orderId })).body.data!.order.fulfillmentOrders.nodes;
    expect(after.map((f: { lineItems: { nodes: { remainingQuantity: number }[] } }) => f.lineItems.nodes[0]!.remainingQuantity)).toEqual([1, 2]);

    const merged = await h.gql(
      `mutation M($i: [FulfillmentOrderMergeInput!]!) { fulfillmentOrderMerge(fulfillmentOrderMergeInputs: $i) { fulfillmentOrderMerges { fulfillmentOrder { id } } userErrors { message } } }`,
      { i: [{ mergeIntents: [{ fulfillmentOrderId: result.fulfillmentOrder.id }, { fulfillmentOrderId: result.remainingFulfillmentOrder.id }] }] },
    );
    expect(merged.body.data!.fulfillmentOrderMerge.userErrors).toEqual([]);

    const seattle = h.seeded.locations.find((l) => l.name === "Seattle WA")!.id;
    const rerouted = await h.gql(
      `mutation R($ids: [ID!]!, $inc: [ID!]) { fulfillmentOrdersReroute(fulfillmentOrderIds: $ids, includedLocationIds: $inc) { movedFulfillmentOrders { assignedLocation { name } } userErrors { code } } }`,
      { ids: [result.fulfillmentOrder.id], inc: [seattle] },
    );
    expect(rerouted.body.data!.fulfillmentOrdersReroute).toEqual({ movedFulfillmentOrders: [{ assignedLocation: { name: "Seattle WA" } }], userErrors: [] });
    expect(await quantities(h, "TEE-M", "Seattle WA")).toMatchObject({ available: 7, committed: 3 });
    expect(await quantities(h, "TEE-M", "Dallas TX")).toMatchObject({ available: 10, committed: 0 });
  });

  it("imports an order with orderCreate (announcing orders/create) and sets metafields with compare-and-set", async () => {
    const sink = new RecordingSink();
    const h = await shop("imports.myshopify.com", { sink });
    const variant = h.seeded.variants.find((v) => v.sku === "TEE-M")!.id;
    const created = await h.gql(
      `mutation C($o: OrderCreateOrderInput!) { orderCreate(order: $o, options: { inventoryBehaviour: DECREMENT_OBEYING_POLICY }) { order { id sourceName } userErrors { code message } } }`,
      {
        o: {
          lineItems: [{ variantId: variant, quantity: 1 }],
          sourceName: "amazon",
          sourceIdentifier: "111-2223334-5556667",
          financialStatus: "PAID",
          shippingAddress: { address1: "1 Main", city: "Austin", provinceCode: "TX", countryCode: "US", zip: "78701" },
        },
      },
    );
    expect(created.body.data!.orderCreate).toMatchObject({ order: { sourceName: "amazon" }, userErrors: [] });
    expect(sink.events.map((e) => e.topic)).toContain("orders/create");
    // Found again by the marketplace's id (Shopify's search terms source_identifier and source_name, values quoted or not).
    const found = async (q: string) =>
      ((await h.gql("query($q: String) { orders(first: 10, query: $q) { nodes { id } } }", { q })).body.data.orders.nodes as { id: string }[]).map((o) => o.id);
    const id = created.body.data!.orderCreate.order.id;
    expect(await found(`source_identifier:"111-2223334-5556667" source_name:"amazon"`)).toEqual([id]);
    expect(await found(`source_identifier:111-2223334-5556667`)).toEqual([id]);
    expect(await found(`source_identifier:"111-2223334-5556668"`)).toEqual([]);
    expect(await found(`source_identifier:"111-2223334-5556667" source_name:web`)).toEqual([]);

    const set = (value: string, compareDigest?: string | null) =>
      h.gql(`mutation S($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { value compareDigest } userErrors { code } } }`, {
        m: [
          {
            ownerId: created.body.data!.orderCreate.order.id,
            namespace: "$app",
            key: "routing",
            type: "json",
            value,
            ...(compareDigest !== undefined ? { compareDigest } : {}),
          },
        ],
      });
    const first = await set('{"v":1}', null);
    expect(first.body.data!.metafieldsSet.userErrors).toEqual([]);
    expect((await set('{"v":2}', null)).body.data!.metafieldsSet.userErrors).toEqual([{ code: "STALE_OBJECT" }]);
    expect((await set('{"v":2}', first.body.data!.metafieldsSet.metafields[0].compareDigest)).body.data!.metafieldsSet.userErrors).toEqual([]);
  });
});

describe("Shopify stand-in: returns", () => {
  const FULFILLED = `query F($id: ID!) { order(id: $id) { fulfillments(first: 5) { fulfillmentLineItems(first: 5) { nodes { id quantity } } } } }`;
  const REQUEST = `mutation R($input: ReturnRequestInput!) { returnRequest(input: $input) { return { id status returnLineItems(first: 5) { nodes { id ... on ReturnLineItem { quantity } } } reverseFulfillmentOrders(first: 1) { nodes { lineItems(first: 5) { nodes { id } } } } } userErrors { code message } } }`;

  it("request → approve → process with a restock, never more than was fulfilled", async () => {
    const sink = new RecordingSink();
    const h = await shop("returns.myshopify.com", { sink });
    const a = (
      await h.post("/_dev/shops/returns.myshopify.com/checkout", { lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "a@example.com" })
    ).body as { orderId: string; fulfillmentOrderIds: string[] };
    const unfulfilled = await h.gql(REQUEST, {
      input: {
        orderId: a.orderId,
        returnLineItems: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", quantity: 1, returnReason: "SIZE_TOO_SMALL" }],
      },
    });
    expect(unfulfilled.body.data!.returnRequest.userErrors[0].code).toBe("NOT_FOUND");

    await h.post(`/_dev/shops/returns.myshopify.com/fulfillment-orders/${encodeURIComponent(a.fulfillmentOrderIds[0]!)}/ship`, {
      company: "UPS",
      number: "1Z2",
    });
    const fli = (await h.gql(FULFILLED, { id: a.orderId })).body.data!.order.fulfillments[0].fulfillmentLineItems.nodes[0];
    const tooMany = await h.gql(REQUEST, {
      input: { orderId: a.orderId, returnLineItems: [{ fulfillmentLineItemId: fli.id, quantity: 3, returnReason: "SIZE_TOO_SMALL" }] },
    });
    expect(tooMany.body.data!.returnRequest.userErrors[0].code).toBe("LESS_THAN_OR_EQUAL_TO");

    const requested = await h.gql(REQUEST, {
      input: { orderId: a.orderId, returnLineItems: [{ fulfillmentLineItemId: fli.id, quantity: 2, returnReason: "SIZE_TOO_SMALL" }] },
    });
    const ret = requested.body.data!.returnRequest.return;
    expect(ret.status).toBe("REQUESTED");
    const approve = `mutation A($id: ID!) { returnApproveRequest(input: { id: $id }) { return { status } userErrors { code } } }`;
    expect((await h.gql(approve, { id: ret.id })).body.data!.returnApproveRequest).toEqual({ return: { status: "OPEN" }, userErrors: [] });
    expect((await h.gql(approve, { id: ret.id })).body.data!.returnApproveRequest.userErrors).toEqual([{ code: "INVALID_STATE" }]);

    const before = Number((await quantities(h, "TEE-M", "Dallas TX")).available);
    const processed = await h.gql(
      `mutation P($input: ReturnProcessInput!) { returnProcess(input: $input) { return { status } userErrors { code message } } }`,
      {
        input: {
          returnId: ret.id,
          returnLineItems: [
            {
              id: ret.returnLineItems.nodes[0].id,
              quantity: 2,
              dispositions: [
                {
                  reverseFulfillmentOrderLineItemId: ret.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].id,
                  quantity: 2,
                  locationId: h.seeded.locations.find((l) => l.name === "Dallas TX")!.id,
                  dispositionType: "RESTOCKED",
                },
              ],
            },
          ],
        },
      },
    );
    expect(processed.body.data!.returnProcess).toEqual({ return: { status: "CLOSED" }, userErrors: [] });
    expect((await quantities(h, "TEE-M", "Dallas TX")).available).toBe(before + 2);
    const returnEvents = sink.events.filter((e) => e.topic.startsWith("returns/"));
    expect(returnEvents.map((e) => e.topic)).toEqual(["returns/request", "returns/approve", "returns/close"]);
    expect(returnEvents.map((e) => validateWebhookPayload(e.topic, e.payload).errors)).toEqual([[], [], []]);
  });
});

describe("Shopify stand-in: order edits", () => {
  it("follows Shopify's rules: not below the fulfilled quantity; removed units release committed stock; orders/edited is schema-valid", async () => {
    const sink = new RecordingSink();
    const h = await shop("edits.myshopify.com", { sink });
    const base = "/_dev/shops/edits.myshopify.com";
    const a = (await h.post(`${base}/checkout`, { lines: [{ sku: "TEE-M", quantity: 3 }], shippingAddress: austin, email: "a@example.com" })).body as {
      orderId: string;
    };
    const edit = (quantity: number) => h.post(`${base}/orders/${encodeURIComponent(a.orderId)}/edit`, { sku: "TEE-M", quantity });
    expect((await edit(1)).status).toBe(200);
    expect(await quantities(h, "TEE-M", "Dallas TX")).toMatchObject({ available: 9, committed: 1 });
    const edited = sink.events.find((e) => e.topic === "orders/edited")!;
    expect(validateWebhookPayload("orders/edited", edited.payload).errors).toEqual([]);
    expect((await edit(1)).status).toBe(422); // nothing to change
    const b = (await h.post(`${base}/checkout`, { lines: [{ sku: "TEE-L", quantity: 2 }], shippingAddress: austin, email: "b@example.com" })).body as {
      orderId: string;
      fulfillmentOrderIds: string[];
    };
    await h.post(`${base}/fulfillment-orders/${encodeURIComponent(b.fulfillmentOrderIds[0]!)}/ship`, {});
    const below = await h.post(`${base}/orders/${encodeURIComponent(b.orderId)}/edit`, { sku: "TEE-L", quantity: 1 });
    expect(below.status).toBe(422);
    expect(below.body.error).toMatch(/less than the fulfilled quantity \(2\)/);
  });
});
