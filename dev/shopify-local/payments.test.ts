import { afterEach, describe, expect, it } from "vitest";
import { validateWebhookPayload } from "./payload-contract";
import { mintSessionToken } from "./session-token";
import { austin, DEMO_KEY, DEMO_SECRET, RecordingSink, standInWithShop } from "./test-helpers";

type Handle = Awaited<ReturnType<typeof standInWithShop>>;
let open: Handle[] = [];
async function shop(domain: string, opts: Parameters<typeof standInWithShop>[1] = {}) {
  const h = await standInWithShop(domain, opts);
  open.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(open.map((h) => h.close()));
  open = [];
});

const ORDER = `query O($id: ID!) { order(id: $id) { displayFinancialStatus capturable sourceName totalCapturableSet { shopMoney { amount } }
  transactions(first: 10) { id kind status gateway authorizationExpiresAt multiCapturable manuallyCapturable amountSet { shopMoney { amount } } parentTransaction { id } }
  risk { recommendation assessments { riskLevel facts { description sentiment } } }
  paymentTerms { paymentTermsType paymentTermsName dueInDays overdue paymentSchedules(first: 1) { nodes { dueAt completedAt } } }
  retailLocation { name }
  lineItems(first: 5) { nodes { sellingPlan { name sellingPlanId } } }
  fulfillmentOrders(first: 5) { nodes { id status fulfillAt deliveryMethod { methodType } } } } }`;
const CAPTURE = `mutation C($input: OrderCaptureInput!) { orderCapture(input: $input) { transaction { id kind amountSet { shopMoney { amount } } parentTransaction { id } } userErrors { field message } } }`;
const checkout = (h: Handle, extras: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  h.post(`/_dev/shops/${h.seeded.locations.length ? "" : ""}${domainOf(h)}/checkout`, {
    lines: [{ sku: "TEE-M", quantity: 2 }],
    shippingAddress: austin,
    email: "ada@example.com",
    extras,
    ...more,
  });
const domainOf = (h: Handle) => (h as unknown as { domain: string }).domain;

async function withDomain(domain: string, opts: Parameters<typeof standInWithShop>[1] = {}) {
  const h = await shop(domain, opts);
  Object.assign(h, { domain });
  return h;
}

describe("stand-in: payments (manual capture, orderCapture, authorisation expiry)", () => {
  it("a manual-capture checkout is authorised with an expiry; orderCapture captures per shipment, refuses more than is left", async () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const h = await withDomain("capture.myshopify.com", { now: () => new Date(now) });
    const placed = await checkout(h, { payment: { gateway: "manual_capture", authorizationHours: 72 } });
    const id = placed.body.orderId as string;
    let o = (await h.gql(ORDER, { id })).body.data.order;
    expect(o).toMatchObject({ displayFinancialStatus: "AUTHORIZED", capturable: true, totalCapturableSet: { shopMoney: { amount: "57.95" } } });
    const auth = o.transactions[0];
    expect(auth).toMatchObject({
      kind: "AUTHORIZATION",
      gateway: "manual_capture",
      authorizationExpiresAt: "2026-12-04T10:00:00.000Z",
      multiCapturable: true,
      manuallyCapturable: true,
    });

    const first = await h.gql(CAPTURE, { input: { id, parentTransactionId: auth.id, amount: "24.00", currency: "USD" } });
    expect(first.body.data.orderCapture).toMatchObject({
      transaction: { kind: "CAPTURE", amountSet: { shopMoney: { amount: "24.00" } }, parentTransaction: { id: auth.id } },
      userErrors: [],
    });
    o = (await h.gql(ORDER, { id })).body.data.order;
    expect(o).toMatchObject({ displayFinancialStatus: "PARTIALLY_PAID", totalCapturableSet: { shopMoney: { amount: "33.95" } } });

    const over = await h.gql(CAPTURE, { input: { id, parentTransactionId: auth.id, amount: "40.00" } });
    expect(over.body.data.orderCapture).toEqual({
      transaction: null,
      userErrors: [{ field: ["input", "amount"], message: "Amount $40.00 exceeds the capturable amount $33.95" }],
    });
    const wrongParent = await h.gql(CAPTURE, { input: { id, parentTransactionId: first.body.data.orderCapture.transaction.id, amount: "1.00" } });
    expect(wrongParent.body.data.orderCapture.userErrors[0].field).toEqual(["input", "parentTransactionId"]);

    const rest = await h.gql(CAPTURE, { input: { id, parentTransactionId: auth.id, amount: "33.95", finalCapture: true } });
    expect(rest.body.data.orderCapture.userErrors).toEqual([]);
    expect((await h.gql(ORDER, { id })).body.data.order).toMatchObject({ displayFinancialStatus: "PAID", capturable: false });

    // A second order's authorisation lapses: nothing can be captured after its expiry.
    const late = await checkout(h, { payment: { gateway: "manual_capture", authorizationHours: 1 } });
    const lateAuth = (await h.gql(ORDER, { id: late.body.orderId })).body.data.order.transactions[0];
    now += 2 * 3_600_000;
    const expired = await h.gql(CAPTURE, { input: { id: late.body.orderId, parentTransactionId: lateAuth.id, amount: "1.00" } });
    expect(expired.body.data.orderCapture.userErrors).toEqual([
      { field: ["input", "parentTransactionId"], message: "The authorization has expired and can no longer be captured" },
    ]);
  });

  it("orderCapture is refused on a cancelled order, but a capture at the gateway still lands (what the OMS must detect)", async () => {
    const h = await withDomain("cancelled-capture.myshopify.com");
    const placed = await checkout(h, { payment: { gateway: "manual_capture" } });
    const id = placed.body.orderId as string;
    const auth = (await h.gql(ORDER, { id })).body.data.order.transactions[0];
    expect((await h.post(`/_dev/shops/cancelled-capture.myshopify.com/orders/${encodeURIComponent(id)}/cancel`, {})).status).toBe(200);
    const refused = await h.gql(CAPTURE, { input: { id, parentTransactionId: auth.id, amount: "1.00" } });
    expect(refused.body.data.orderCapture.userErrors).toEqual([{ field: ["input", "id"], message: "Cannot capture payment on a cancelled order" }]);
    expect((await h.post(`/_dev/shops/cancelled-capture.myshopify.com/orders/${encodeURIComponent(id)}/gateway-capture`, {})).status).toBe(200);
    const o = (await h.gql(ORDER, { id })).body.data.order;
    expect(o.transactions.map((t: { kind: string }) => t.kind)).toEqual(["AUTHORIZATION", "CAPTURE"]);
    expect(o.displayFinancialStatus).toBe("PAID");
  });
});

describe("stand-in: kinds of order", () => {
  it("risk, payment terms, a selling plan with a later fulfilment date (SCHEDULED, opened by fulfillmentOrderOpen)", async () => {
    const h = await withDomain("kinds.myshopify.com");
    const risky = await checkout(h, { risk: { level: "HIGH", facts: [{ description: "Billing address far from IP", sentiment: "NEGATIVE" }] } });
    expect((await h.gql(ORDER, { id: risky.body.orderId })).body.data.order.risk).toEqual({
      recommendation: "CANCEL",
      assessments: [{ riskLevel: "HIGH", facts: [{ description: "Billing address far from IP", sentiment: "NEGATIVE" }] }],
    });

    const b2b = await checkout(h, { paymentTerms: { type: "NET", dueInDays: 30 } });
    const terms = (await h.gql(ORDER, { id: b2b.body.orderId })).body.data.order;
    expect(terms).toMatchObject({
      displayFinancialStatus: "PENDING",
      sourceName: "shopify_draft_order",
      paymentTerms: { paymentTermsType: "NET", paymentTermsName: "Net 30", dueInDays: 30, overdue: false },
    });
    expect((await h.post(`/_dev/shops/kinds.myshopify.com/orders/${encodeURIComponent(b2b.body.orderId)}/pay`, {})).status).toBe(200);
    expect((await h.gql(ORDER, { id: b2b.body.orderId })).body.data.order).toMatchObject({
      displayFinancialStatus: "PAID",
      paymentTerms: { paymentSchedules: { nodes: [{ completedAt: expect.any(String) }] } },
    });

    const pre = await checkout(h, { sellingPlan: { name: "Pre-order: ships Jan 15", fulfillAt: "2027-01-15T00:00:00Z" } });
    const preOrder = (await h.gql(ORDER, { id: pre.body.orderId })).body.data.order;
    expect(preOrder.lineItems.nodes[0].sellingPlan).toMatchObject({
      name: "Pre-order: ships Jan 15",
      sellingPlanId: expect.stringMatching(/^gid:\/\/shopify\/SellingPlan\//),
    });
    const fo = preOrder.fulfillmentOrders.nodes[0];
    expect(fo).toMatchObject({ status: "SCHEDULED", fulfillAt: "2027-01-15T00:00:00Z" });
    const OPEN = `mutation Open($id: ID!) { fulfillmentOrderOpen(id: $id) { fulfillmentOrder { status } userErrors { field message } } }`;
    expect((await h.gql(OPEN, { id: fo.id })).body.data.fulfillmentOrderOpen).toEqual({ fulfillmentOrder: { status: "OPEN" }, userErrors: [] });
    expect((await h.gql(OPEN, { id: fo.id })).body.data.fulfillmentOrderOpen.userErrors).toEqual([
      { field: ["id"], message: "Fulfillment order is not in a state that can be opened." },
    ]);
  });

  it("a POS sale is paid and fulfilled at the counter; a pickup is prepared (ready for pickup) and then picked up", async () => {
    const sink = new RecordingSink();
    const h = await withDomain("counter.myshopify.com", { sink });
    const sale = await h.post("/_dev/shops/counter.myshopify.com/pos-sale", { lines: [{ sku: "TEE-M", quantity: 1 }], location: "Dallas TX" });
    const pos = (await h.gql(ORDER, { id: sale.body.orderId })).body.data.order;
    expect(pos).toMatchObject({
      sourceName: "pos",
      displayFinancialStatus: "PAID",
      retailLocation: { name: "Dallas TX" },
      fulfillmentOrders: { nodes: [{ status: "CLOSED", deliveryMethod: { methodType: "RETAIL" } }] },
    });
    const created = sink.events.find((e) => e.topic === "orders/create")!;
    expect(created.payload).toMatchObject({ source_name: "pos", fulfillment_status: "fulfilled", financial_status: "paid" });
    expect(validateWebhookPayload("orders/create", created.payload).errors).toEqual([]);

    const pickup = await checkout(h, {}, { pickupLocation: "Seattle WA" });
    const foId = pickup.body.fulfillmentOrderIds[0];
    const PREP = `mutation P($input: FulfillmentOrderLineItemsPreparedForPickupInput!) { fulfillmentOrderLineItemsPreparedForPickup(input: $input) { userErrors { code field message } } }`;
    expect(
      (await h.gql(PREP, { input: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: foId }] } })).body.data.fulfillmentOrderLineItemsPreparedForPickup
        .userErrors,
    ).toEqual([]);
    const ready = sink.events.find((e) => e.topic === "fulfillment_orders/line_items_prepared_for_pickup")!;
    expect(validateWebhookPayload(ready.topic, ready.payload).errors).toEqual([]);
    // A shipped order cannot be "prepared for pickup".
    const shipped = await checkout(h, {});
    const bad = await h.gql(PREP, { input: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: shipped.body.fulfillmentOrderIds[0] }] } });
    expect(bad.body.data.fulfillmentOrderLineItemsPreparedForPickup.userErrors).toEqual([expect.objectContaining({ code: "FULFILLMENT_ORDER_INVALID" })]);
  });
});

describe("stand-in: staff users", () => {
  it("an online token's associated user says whether the staff member owns the store", async () => {
    const h = await withDomain("staffed.myshopify.com");
    await h.post("/_dev/shops/staffed.myshopify.com/staff", {
      users: [
        { id: 11, firstName: "Olga", lastName: "Owner", email: "olga@example.com", accountOwner: true },
        { id: 12, firstName: "Sam", lastName: "Support", email: "sam@example.com" },
      ],
    });
    const exchange = async (userId: number) => {
      const subject = mintSessionToken({ shop: "staffed.myshopify.com", apiKey: DEMO_KEY, apiSecret: DEMO_SECRET, userId, now: new Date() });
      const r = await fetch(`${h.url}/admin/oauth/access_token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-host": "staffed.myshopify.com" },
        body: new URLSearchParams({
          client_id: DEMO_KEY,
          client_secret: DEMO_SECRET,
          grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
          subject_token: subject,
          subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
          requested_token_type: "urn:shopify:params:oauth:token-type:online-access-token",
        }),
      });
      return (await r.json()) as { associated_user: { id: number; account_owner: boolean; email: string } };
    };
    expect((await exchange(11)).associated_user).toMatchObject({ id: 11, account_owner: true, email: "olga@example.com" });
    expect((await exchange(12)).associated_user).toMatchObject({ id: 12, account_owner: false });
  });
});
