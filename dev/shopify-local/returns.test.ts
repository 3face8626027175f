// Shopify's returns and refunds in the stand-in: exchanges, fees, declines, reverse deliveries,
// dispositions, refunds inside returnProcess, and the refusals Shopify makes — each webhook
// checked against Shopify's JSON Schema for its topic.
import { afterAll, describe, expect, it } from "vitest";
import { validateWebhookPayload } from "./payload-contract";
import { austin, RecordingSink, standInWithShop } from "./test-helpers";

type Handle = Awaited<ReturnType<typeof standInWithShop>>;
const open: Handle[] = [];
afterAll(async () => {
  await Promise.all(open.map((h) => h.close()));
});

const ORDER = `query O($id: ID!) { order(id: $id) { lineItems(first: 10) { nodes { id sku currentQuantity } } fulfillments(first: 5) { fulfillmentLineItems(first: 5) { nodes { id quantity lineItem { sku } } } } fulfillmentOrders(first: 10) { nodes { id status fulfillmentHolds { reason } lineItems(first: 5) { nodes { sku totalQuantity } } } } transactions(first: 10) { id kind gateway amountSet { shopMoney { amount } } } } }`;
const RETURN_FIELDS = `id name status decline { reason note } returnShippingFees { amountSet { shopMoney { amount } } } exchangeLineItems(first: 5) { nodes { id quantity processedQuantity } } returnLineItems(first: 5) { nodes { id ... on ReturnLineItem { quantity processedQuantity restockingFee { percentage amountSet { shopMoney { amount } } } } } } reverseFulfillmentOrders(first: 1) { nodes { id lineItems(first: 5) { nodes { id dispositions { type quantity } } } reverseDeliveries(first: 2) { nodes { id } } } }`;
const CREATE = `mutation C($input: ReturnInput!) { returnCreate(returnInput: $input) { return { ${RETURN_FIELDS} } userErrors { code field message } } }`;
const REQUEST = `mutation R($input: ReturnRequestInput!) { returnRequest(input: $input) { return { ${RETURN_FIELDS} } userErrors { code field message } } }`;
const PROCESS = `mutation P($input: ReturnProcessInput!) { returnProcess(input: $input) { return { ${RETURN_FIELDS} } userErrors { code field message } } }`;
const REFUND = (key: string) =>
  `mutation F($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "${key}") { refund { id totalRefundedSet { shopMoney { amount } } transactions(first: 5) { nodes { gateway amountSet { shopMoney { amount } } } } } userErrors { field message } } }`;

async function shippedOrder(h: Handle, domain: string, lines: { sku: string; quantity: number }[]) {
  const a = (await h.post(`/_dev/shops/${domain}/checkout`, { lines, shippingAddress: austin, email: "ada@example.com" })).body as {
    orderId: string;
    fulfillmentOrderIds: string[];
  };
  for (const fo of a.fulfillmentOrderIds)
    await h.post(`/_dev/shops/${domain}/fulfillment-orders/${encodeURIComponent(fo)}/ship`, { company: "UPS", number: `1Z${fo.slice(-4)}` });
  const order = (await h.gql(ORDER, { id: a.orderId })).body.data!.order;
  const fulfilled = order.fulfillments.flatMap((f: { fulfillmentLineItems: { nodes: unknown[] } }) => f.fulfillmentLineItems.nodes) as {
    id: string;
    quantity: number;
    lineItem: { sku: string };
  }[];
  return { orderId: a.orderId, fulfilled, order };
}

describe("Shopify stand-in: returns with exchanges, fees and dispositions", () => {
  it("a requested return can be declined with a reason; returns/decline is Shopify's shape", async () => {
    const sink = new RecordingSink();
    const domain = "decline.myshopify.com";
    const h = await standInWithShop(domain, { sink });
    open.push(h);
    const o = await shippedOrder(h, domain, [{ sku: "TEE-M", quantity: 1 }]);
    const ret = (await h.gql(REQUEST, { input: { orderId: o.orderId, returnLineItems: [{ fulfillmentLineItemId: o.fulfilled[0]!.id, quantity: 1 }] } })).body
      .data!.returnRequest.return;
    const DECLINE = `mutation D($input: ReturnDeclineRequestInput!) { returnDeclineRequest(input: $input) { return { status decline { reason note } } userErrors { code } } }`;
    const declined = await h.gql(DECLINE, { input: { id: ret.id, declineReason: "RETURN_PERIOD_ENDED", declineNote: "30 days have passed" } });
    expect(declined.body.data!.returnDeclineRequest).toEqual({
      return: { status: "DECLINED", decline: { reason: "RETURN_PERIOD_ENDED", note: "30 days have passed" } },
      userErrors: [],
    });
    expect((await h.gql(DECLINE, { input: { id: ret.id, declineReason: "OTHER" } })).body.data!.returnDeclineRequest.userErrors).toEqual([
      { code: "INVALID_STATE" },
    ]);
    const event = sink.events.find((e) => e.topic === "returns/decline")!;
    expect(validateWebhookPayload("returns/decline", event.payload).errors).toEqual([]);
    // A declined return gives its units back: they can be returned again.
    const again = await h.gql(REQUEST, { input: { orderId: o.orderId, returnLineItems: [{ fulfillmentLineItemId: o.fulfilled[0]!.id, quantity: 1 }] } });
    expect(again.body.data!.returnRequest.userErrors).toEqual([]);
  });

  it("an exchange: the new item is on a fulfillment order held AWAITING_RETURN_ITEMS until the return is processed; fees are shown", async () => {
    const sink = new RecordingSink();
    const domain = "exchange.myshopify.com";
    const h = await standInWithShop(domain, { sink });
    open.push(h);
    const o = await shippedOrder(h, domain, [{ sku: "TEE-M", quantity: 1 }]);
    const teeL = h.seeded.variants.find((v) => v.sku === "TEE-L")!.id;
    const created = await h.gql(CREATE, {
      input: {
        orderId: o.orderId,
        returnLineItems: [{ fulfillmentLineItemId: o.fulfilled[0]!.id, quantity: 1, restockingFee: { percentage: 10 } }],
        exchangeLineItems: [{ variantId: teeL, quantity: 1 }],
        returnShippingFee: { amount: { amount: "5.00", currencyCode: "USD" } },
      },
    });
    const ret = created.body.data!.returnCreate.return;
    expect(created.body.data!.returnCreate.userErrors).toEqual([]);
    expect(ret.status).toBe("OPEN");
    expect(ret.returnShippingFees).toEqual([{ amountSet: { shopMoney: { amount: "5.00" } } }]);
    expect(ret.returnLineItems.nodes[0].restockingFee).toEqual({ percentage: 10, amountSet: { shopMoney: { amount: "2.40" } } });
    const held = (await h.gql(ORDER, { id: o.orderId })).body.data!.order.fulfillmentOrders.nodes.find((f: { status: string }) => f.status === "ON_HOLD");
    expect(held).toMatchObject({ fulfillmentHolds: [{ reason: "AWAITING_RETURN_ITEMS" }], lineItems: { nodes: [{ sku: "TEE-L", totalQuantity: 1 }] } });

    // Label and tracking for the customer's parcel.
    const rfo = ret.reverseFulfillmentOrders.nodes[0];
    const delivery = await h.gql(
      `mutation D($id: ID!, $lines: [ReverseDeliveryLineItemInput!]!) { reverseDeliveryCreateWithShipping(reverseFulfillmentOrderId: $id, reverseDeliveryLineItems: $lines, trackingInput: { number: "RET123", url: "https://track.example/RET123" }, labelInput: { fileUrl: "https://labels.example/RET123.pdf" }) { reverseDelivery { deliverable { ... on ReverseDeliveryShippingDeliverable { tracking { number } label { publicFileUrl } } } } userErrors { code } } }`,
      { id: rfo.id, lines: [{ reverseFulfillmentOrderLineItemId: rfo.lineItems.nodes[0].id, quantity: 1 }] },
    );
    expect(delivery.body.data!.reverseDeliveryCreateWithShipping).toEqual({
      reverseDelivery: { deliverable: { tracking: { number: "RET123" }, label: { publicFileUrl: "https://labels.example/RET123.pdf" } } },
      userErrors: [],
    });

    // Received damaged: no restock; the exchange is processed and its hold released; the return closes.
    const dallas = h.seeded.locations.find((l) => l.name === "Dallas TX")!.id;
    const processed = await h.gql(PROCESS, {
      input: {
        returnId: ret.id,
        returnLineItems: [
          {
            id: ret.returnLineItems.nodes[0].id,
            quantity: 1,
            dispositions: [{ reverseFulfillmentOrderLineItemId: rfo.lineItems.nodes[0].id, quantity: 1, locationId: dallas, dispositionType: "NOT_RESTOCKED" }],
          },
        ],
        exchangeLineItems: [{ id: ret.exchangeLineItems.nodes[0].id, quantity: 1 }],
      },
    });
    expect(processed.body.data!.returnProcess.userErrors).toEqual([]);
    expect(processed.body.data!.returnProcess.return.status).toBe("CLOSED");
    expect(processed.body.data!.returnProcess.return.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].dispositions).toEqual([
      { type: "NOT_RESTOCKED", quantity: 1 },
    ]);
    const after = (await h.gql(ORDER, { id: o.orderId })).body.data!.order.fulfillmentOrders.nodes.find(
      (f: { lineItems: { nodes: { sku: string }[] } }) => f.lineItems.nodes[0]!.sku === "TEE-L",
    );
    expect(after.status).toBe("OPEN");
    for (const t of [
      "returns/approve",
      "returns/close",
      "fulfillment_orders/placed_on_hold",
      "fulfillment_orders/hold_released",
      "reverse_fulfillment_orders/dispose",
      "reverse_deliveries/attach_deliverable",
    ]) {
      const e = sink.events.find((x) => x.topic === t);
      expect(e, t).toBeDefined();
      expect(validateWebhookPayload(t, e!.payload).errors, t).toEqual([]);
    }
  });

  it("partial return of a split shipment; already-returned units and unfulfilled lines are refused; the refund in returnProcess is capped", async () => {
    const sink = new RecordingSink();
    const domain = "split.myshopify.com";
    const h = await standInWithShop(domain, { sink });
    open.push(h);
    // TEE-L only at Dallas (3), SHELL-M only at Seattle: two shipments.
    const o = await shippedOrder(h, domain, [
      { sku: "TEE-L", quantity: 2 },
      { sku: "SHELL-M", quantity: 1 },
    ]);
    expect(o.fulfilled).toHaveLength(2);
    const shell = o.fulfilled.find((f) => f.lineItem.sku === "SHELL-M")!;
    const created = (await h.gql(CREATE, { input: { orderId: o.orderId, returnLineItems: [{ fulfillmentLineItemId: shell.id, quantity: 1 }] } })).body.data!
      .returnCreate;
    expect(created.userErrors).toEqual([]);
    const twice = await h.gql(CREATE, { input: { orderId: o.orderId, returnLineItems: [{ fulfillmentLineItemId: shell.id, quantity: 1 }] } });
    expect(twice.body.data!.returnCreate.userErrors[0]).toMatchObject({
      code: "LESS_THAN_OR_EQUAL_TO",
      field: ["returnInput", "returnLineItems", "0", "quantity"],
    });
    const ret = created.return;
    const sale = o.order.transactions.find((t: { kind: string }) => t.kind === "SALE");
    const line = {
      id: ret.returnLineItems.nodes[0].id,
      quantity: 1,
      dispositions: [
        {
          reverseFulfillmentOrderLineItemId: ret.reverseFulfillmentOrders.nodes[0].lineItems.nodes[0].id,
          quantity: 1,
          locationId: h.seeded.locations.find((l) => l.name === "Seattle WA")!.id,
          dispositionType: "RESTOCKED",
        },
      ],
    };
    const over = await h.gql(PROCESS, {
      input: {
        returnId: ret.id,
        returnLineItems: [line],
        financialTransfer: { issueRefund: { orderTransactions: [{ transactionAmount: { amount: "500.00", currencyCode: "USD" }, parentId: sale.id }] } },
      },
    });
    expect(over.body.data!.returnProcess.userErrors[0]).toMatchObject({
      code: "INVALID",
      message: "Refund amount $500.00 is greater than net payment received $177.95",
    });
    const ok = await h.gql(PROCESS, {
      input: {
        returnId: ret.id,
        returnLineItems: [line],
        financialTransfer: { issueRefund: { orderTransactions: [{ transactionAmount: { amount: "120.00", currencyCode: "USD" }, parentId: sale.id }] } },
      },
    });
    expect(ok.body.data!.returnProcess.userErrors).toEqual([]);
    const refund = sink.events.find((e) => e.topic === "refunds/create")!;
    expect(validateWebhookPayload("refunds/create", refund.payload).errors).toEqual([]);
    expect((refund.payload as { return: { admin_graphql_api_id: string } }).return.admin_graphql_api_id).toBe(ret.id);
  });

  it("refundCreate: shipping and store credit; above net payment refused with both numbers unless allowOverRefunding", async () => {
    const sink = new RecordingSink();
    const domain = "refunds.myshopify.com";
    const h = await standInWithShop(domain, { sink });
    open.push(h);
    const o = await shippedOrder(h, domain, [{ sku: "TEE-M", quantity: 2 }]); // 48.00 + 9.95
    const line = o.order.lineItems.nodes[0].id;
    const first = await h.gql(REFUND("a"), {
      input: {
        orderId: o.orderId,
        refundLineItems: [{ lineItemId: line, quantity: 1, restockType: "NO_RESTOCK" }],
        shipping: { fullRefund: true },
        transactions: [{ orderId: o.orderId, amount: "23.95", gateway: "bogus", kind: "REFUND" }],
        refundMethods: [{ storeCreditRefund: { amount: { amount: "10.00", currencyCode: "USD" } } }],
      },
    });
    expect(first.body.data!.refundCreate.userErrors).toEqual([]);
    expect(first.body.data!.refundCreate.refund.totalRefundedSet.shopMoney.amount).toBe("33.95");
    expect(first.body.data!.refundCreate.refund.transactions.nodes.map((t: { gateway: string }) => t.gateway)).toEqual(["bogus", "shopify_store_credit"]);
    const shippingTwice = await h.gql(REFUND("b"), {
      input: { orderId: o.orderId, shipping: { amount: "1.00" }, transactions: [{ orderId: o.orderId, amount: "1.00", gateway: "bogus", kind: "REFUND" }] },
    });
    expect(shippingTwice.body.data!.refundCreate.userErrors[0].message).toMatch(/refundable shipping amount \$0\.00/);
    const over = await h.gql(REFUND("c"), {
      input: { orderId: o.orderId, transactions: [{ orderId: o.orderId, amount: "30.00", gateway: "bogus", kind: "REFUND" }] },
    });
    expect(over.body.data!.refundCreate.userErrors).toEqual([
      { field: ["transactions"], message: "Refund amount $30.00 is greater than net payment received $24.00" },
    ]);
    const allowed = await h.gql(REFUND("d"), {
      input: { orderId: o.orderId, allowOverRefunding: true, transactions: [{ orderId: o.orderId, amount: "30.00", gateway: "bogus", kind: "REFUND" }] },
    });
    expect(allowed.body.data!.refundCreate.userErrors).toEqual([]);
    const events = sink.events.filter((e) => e.topic === "refunds/create");
    expect(events).toHaveLength(2);
    expect(events.map((e) => validateWebhookPayload("refunds/create", e.payload).errors)).toEqual([[], []]);
    expect((events[0]!.payload as { refund_shipping_lines: unknown[] }).refund_shipping_lines).toHaveLength(1);
  });
});
