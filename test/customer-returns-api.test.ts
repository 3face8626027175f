// /api/customer-returns (the customer-returns extension's route) against the dev shop: the customer
// account session token decides who is asking (401 when forged, expired or without a customer), a
// malformed request is a 400 with the reasons, someone else's order is a 404, and a request creates
// one requested return in Shopify (returnRequest) however often it is submitted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { forgetCustomerRequests } from "~/.server/db/customer-returns";
import { action, loader } from "~/routes/api.customer-returns";
import { mintCheckoutToken } from "../dev/shopify-local/session-token";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { APP_KEY, APP_SECRET } from "./helpers/dev-shop";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "customer-returns.myshopify.com";
const URL_ = "http://localhost/api/customer-returns";

/** The token a customer account UI extension's shopify.sessionToken.get() returns (sub: the signed-in customer). */
const token = (customerId: string | undefined, o: { shop?: string; secret?: string; now?: Date; ttl?: number } = {}) =>
  mintCheckoutToken({ shop: o.shop ?? SHOP, apiKey: APP_KEY, apiSecret: o.secret ?? APP_SECRET, now: o.now ?? new Date(), ttlSeconds: o.ttl, customerId });
const headers = (auth: string | null) => ({
  "content-type": "application/json",
  origin: "https://extensions.shopifycdn.com",
  ...(auth ? { authorization: `Bearer ${auth}` } : {}),
});
const get = (orderId: string, auth: string | null) =>
  loader({ request: new Request(`${URL_}?orderId=${encodeURIComponent(orderId)}`, { headers: headers(auth) }), params: {}, context: {} });
const submit = (body: unknown, auth: string | null) =>
  action({
    request: new Request(URL_, { method: "POST", headers: headers(auth), body: typeof body === "string" ? body : JSON.stringify(body) }),
    params: {},
    context: {},
  });

describe("/api/customer-returns (customer account session token)", { timeout: 60_000 }, () => {
  let standIn: Shop["standIn"];
  let post: Shop["post"];
  let close: Shop["close"];
  let order: { gid: string; id: string; customer: string };

  beforeAll(async () => {
    ({ standIn, post, close } = await connectedDevShop(SHOP, {}));
    const placed = (await (
      await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "returner@example.com" })
    ).json()) as { orderId: string; fulfillmentOrderIds: string[] };
    await waitFor(
      async () =>
        (await db().fulfillmentGroup.count({ where: { order: { shop: SHOP, sourceId: placed.orderId } } })) >= placed.fulfillmentOrderIds.length || undefined,
      20_000,
      "the order's fulfilment groups",
    );
    for (const fo of placed.fulfillmentOrderIds)
      await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo)}/ship`, { company: "UPS", number: `1Z${fo.slice(-6)}` });
    const row = await waitFor(
      async () => (await db().order.findFirst({ where: { shop: SHOP, sourceId: placed.orderId } })) ?? undefined,
      20_000,
      "the order in the OMS",
    );
    const customer = standIn.store.get(SHOP)!.orders.get(Number(placed.orderId.split("/").pop()))!.customer!;
    order = { gid: placed.orderId, id: row.id, customer: `gid://shopify/Customer/${customer.id}` };
  });
  afterAll(() => close());

  it("401 without a token, with a forged or expired one, without a signed-in customer, and for a shop without the app", async () => {
    expect((await get(order.gid, null)).status).toBe(401);
    expect((await get(order.gid, token(order.customer, { secret: "not-the-app-secret" }))).status).toBe(401);
    expect((await get(order.gid, token(order.customer, { now: new Date(Date.now() - 3_600_000), ttl: 300 }))).status).toBe(401);
    expect((await get(order.gid, "not.a.jwt")).status).toBe(401);
    expect((await get(order.gid, token(undefined))).status).toBe(401);
    const unknown = await submit({}, token(order.customer, { shop: `never-installed-${Date.now()}.myshopify.com` }));
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*"); // the extension can read the refusal
    expect(await db().customerReturnRequest.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("answers the CORS preflight", async () => {
    const res = await loader({
      request: new Request(URL_, { method: "OPTIONS", headers: { origin: "https://extensions.shopifycdn.com" } }),
      params: {},
      context: {},
    }).catch((r: Response) => r);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it.each([
    ["not JSON", "{lines:", "body: not JSON"],
    ["no lines", { requestKey: "key-000001", orderId: "gid://shopify/Order/1", lines: [], reason: "unwanted" }, "lines: choose at least one item"],
    [
      "a quantity as text",
      {
        requestKey: "key-000001",
        orderId: "gid://shopify/Order/1",
        lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", quantity: "2" }],
        reason: "unwanted",
      },
      "lines.0.quantity: Expected number, received string",
    ],
    [
      "an unknown reason",
      {
        requestKey: "key-000001",
        orderId: "gid://shopify/Order/1",
        lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", quantity: 1 }],
        reason: "because",
      },
      "reason: Invalid enum value",
    ],
    [
      "a numeric order id",
      { requestKey: "key-000001", orderId: 1, lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", quantity: 1 }], reason: "unwanted" },
      "orderId: Expected string, received number",
    ],
    [
      "an unknown field",
      {
        requestKey: "key-000001",
        orderId: "gid://shopify/Order/1",
        lines: [{ fulfillmentLineItemId: "gid://shopify/FulfillmentLineItem/1", quantity: 1 }],
        reason: "unwanted",
        refund: "now",
      },
      "body: Unrecognized key(s) in object: 'refund'",
    ],
  ])("400 with the reason for %s", async (_, body, reason) => {
    const res = await submit(body, token(order.customer));
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; reasons: string[] };
    expect(answer.error).toBe("malformed");
    expect(answer.reasons.some((r) => r.startsWith(reason))).toBe(true);
  });

  it("400 for a GET without an order GID; 404 for an order that is not the customer's", async () => {
    expect((await get("1234", token(order.customer))).status).toBe(400);
    expect((await get(order.gid, token("gid://shopify/Customer/999999"))).status).toBe(404);
    expect((await get("gid://shopify/Order/999999999", token(order.customer))).status).toBe(404);
  });

  it("200: the customer sees what they can return, asks for one unit back with a reason, once however often the request is sent", async () => {
    const view = await get(order.gid, token(order.customer));
    expect(view.status).toBe(200);
    const returnable = (await view.json()) as {
      orderName: string;
      lines: { fulfillmentLineItemId: string; title: string; returnable: number }[];
      reasons: string[];
    };
    expect(returnable.lines).toEqual([expect.objectContaining({ returnable: 2 })]);
    expect(returnable.reasons).toContain("size_too_small");
    const line = returnable.lines[0]!.fulfillmentLineItemId;

    // Someone else's order: nothing created.
    const stranger = await submit(
      { requestKey: "stranger-0001", orderId: order.gid, lines: [{ fulfillmentLineItemId: line, quantity: 1 }], reason: "unwanted" },
      token("gid://shopify/Customer/999999"),
    );
    expect(stranger.status).toBe(404);

    const body = {
      requestKey: "req-customer-0001",
      orderId: order.gid,
      lines: [{ fulfillmentLineItemId: line, quantity: 1 }],
      reason: "size_too_small",
      note: "Runs small",
    };
    // A double tap: two submits at once, and one more after.
    const [a, b] = await Promise.all([submit(body, token(order.customer)), submit(body, token(order.customer))]);
    const c = await submit(body, token(order.customer));
    const answers = await Promise.all(
      [a, b, c].map(async (r) => ({ status: r.status, body: (await r.json()) as { status?: string; returnId?: string; error?: string } })),
    );
    expect(answers.every((x) => x.status < 500)).toBe(true);
    const created = answers.filter((x) => x.status === 200);
    expect(created.length).toBeGreaterThanOrEqual(2); // the first and the later one (a concurrent twin may be told in_progress)
    expect(answers.filter((x) => x.status !== 200).every((x) => x.status === 409 && x.body.error === "in_progress")).toBe(true);
    expect(new Set(created.map((x) => x.body.returnId)).size).toBe(1);
    const returnId = created[0]!.body.returnId!;

    const ret = await db().returnCase.findUniqueOrThrow({ where: { id: returnId }, include: { lines: true } });
    expect(ret).toMatchObject({
      shop: SHOP,
      orderId: order.id,
      status: "requested",
      reason: "Size too small: Runs small",
      requestedBy: `customer:${order.customer.split("/").pop()}`,
    });
    expect(ret.lines.map((l) => l.quantity)).toEqual([1]);
    expect(await db().returnCase.count({ where: { shop: SHOP, orderId: order.id } })).toBe(1);
    // Shopify has exactly one return, requested.
    const shopifyOrder = standIn.store.get(SHOP)!;
    const returns = [...shopifyOrder.returns.values()].filter((r) => `gid://shopify/Order/${r.orderId}` === order.gid);
    expect(returns.map((r) => r.status)).toEqual(["REQUESTED"]);

    // What is left: one unit; asking for two is refused in words (422), not a 5xx.
    const left = (await (await get(order.gid, token(order.customer))).json()) as { lines: { returnable: number }[] };
    expect(left.lines).toEqual([expect.objectContaining({ returnable: 1 })]);
    const tooMany = await submit({ ...body, requestKey: "req-customer-0002", lines: [{ fulfillmentLineItemId: line, quantity: 2 }] }, token(order.customer));
    expect(tooMany.status).toBe(422);
    expect(await tooMany.json()).toMatchObject({ error: "refused", message: "only 1 of that line can still be returned (asked for 2)" });
    expect(await db().customerReturnRequest.count({ where: { shop: SHOP } })).toBe(1); // the refused one gave its key back

    // customers/redact forgets the customer's requests (by the numeric id Shopify's payload carries).
    await forgetCustomerRequests(SHOP, order.customer.split("/").pop()!);
    expect(await db().customerReturnRequest.count({ where: { shop: SHOP } })).toBe(0);
  });
});
