import { afterEach, describe, expect, it } from "vitest";
import { validateWebhookPayload } from "./payload-contract";
import { austin, RecordingSink, smallShop, standInWithShop } from "./test-helpers";

type Handle = Awaited<ReturnType<typeof standInWithShop>>;
let open: Handle[] = [];
afterEach(async () => {
  await Promise.all(open.map((h) => h.close()));
  open = [];
});

/** The small shop plus a 3PL run by a fulfilment service, stocking TEE-M only. */
async function shopWith3pl(domain: string, sink: RecordingSink) {
  const h = await standInWithShop(domain, { sink });
  open.push(h);
  const fixture = smallShop(domain);
  fixture.locations.push({
    name: "3PL Reno",
    address: { address1: "1 Dock Rd", city: "Reno", provinceCode: "NV", countryCode: "US", zip: "89501" },
    latitude: 39.53,
    longitude: -119.81,
    fulfillmentService: true,
    rank: 1,
  } as (typeof fixture.locations)[number]);
  (fixture.products[0]!.variants[0]!.inventory as Record<string, number>)["3PL Reno"] = 5;
  const seeded = (await h.post("/_dev/shops", fixture)).body as Handle["seeded"];
  const token = String((await h.post(`/_dev/shops/${domain}/install`, {})).body.accessToken);
  const gql = (query: string, variables: Record<string, unknown> = {}) =>
    h.post("/admin/api/2026-04/graphql.json", { query, variables }, { "x-shopify-access-token": token, "x-forwarded-host": domain });
  const base = `/_dev/shops/${domain}`;
  const checkout = async (lines: { sku: string; quantity: number }[]) =>
    (await h.post(`${base}/checkout`, { lines, shippingAddress: austin, email: "a@example.com" })).body as { orderId: string; fulfillmentOrderIds: string[] };
  const LEVEL = `query L($item: ID!, $loc: ID!) { inventoryItem(id: $item) { inventoryLevel(locationId: $loc) { quantities(names: ["available", "committed"]) { name quantity } } } }`;
  const level = async (sku: string, location: string) => {
    const r = await gql(LEVEL, {
      item: seeded.variants.find((v) => v.sku === sku)!.inventoryItemId,
      loc: seeded.locations.find((l) => l.name === location)!.id,
    });
    return Object.fromEntries((r.body.data.inventoryItem.inventoryLevel.quantities as { name: string; quantity: number }[]).map((q) => [q.name, q.quantity]));
  };
  return { ...h, seeded, gql, base, checkout, level };
}

const BEGIN = `mutation B($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 10) { nodes { id sku quantity editableQuantity } } totalOutstandingSet { shopMoney { amount } } } orderEditSession { id } userErrors { field message } } }`;
const SET_QTY = `mutation S($id: ID!, $line: ID!, $q: Int!) { orderEditSetQuantity(id: $id, lineItemId: $line, quantity: $q, restock: true) { calculatedOrder { id totalOutstandingSet { shopMoney { amount } } stagedChanges(first: 5) { nodes { __typename ... on OrderStagedChangeDecrementItem { delta restock } } } } userErrors { field message } } }`;
const ADD = `mutation A($id: ID!, $variant: ID!, $q: Int!, $loc: ID) { orderEditAddVariant(id: $id, variantId: $variant, quantity: $q, locationId: $loc) { calculatedLineItem { id sku quantity } calculatedOrder { totalOutstandingSet { shopMoney { amount } } } userErrors { field message } } }`;
const COMMIT = `mutation C($id: ID!) { orderEditCommit(id: $id, notifyCustomer: false, staffNote: "OMS") { order { id lineItems(first: 10) { nodes { sku currentQuantity } } } successMessages userErrors { field message } } }`;
const CANCEL = `mutation X($id: ID!, $refund: Boolean) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, refund: $refund) { job { id done } orderCancelUserErrors { code field message } } }`;

describe("Shopify stand-in: order editing (calculated order, staged changes, commit)", () => {
  it("stages a quantity change, shows the refund owed, commits once, and announces schema-valid webhooks", async () => {
    const sink = new RecordingSink();
    const h = await shopWith3pl("edit-a.myshopify.com", sink);
    const o = await h.checkout([{ sku: "TEE-L", quantity: 3 }]);
    const begun = (await h.gql(BEGIN, { id: o.orderId })).body.data.orderEditBegin;
    expect(begun.userErrors).toEqual([]);
    const calc = begun.calculatedOrder;
    expect(calc.totalOutstandingSet.shopMoney.amount).toBe("0.00");
    const line = calc.lineItems.nodes[0];
    expect(line).toMatchObject({ sku: "TEE-L", quantity: 3, editableQuantity: 3 });

    const staged = (await h.gql(SET_QTY, { id: calc.id, line: line.id, q: 1 })).body.data.orderEditSetQuantity;
    expect(staged.userErrors).toEqual([]);
    expect(staged.calculatedOrder.totalOutstandingSet.shopMoney.amount).toBe("-48.00");
    expect(staged.calculatedOrder.stagedChanges.nodes).toEqual([{ __typename: "OrderStagedChangeDecrementItem", delta: 2, restock: true }]);
    // Nothing changes before the commit.
    expect(await h.level("TEE-L", "Dallas TX")).toEqual({ available: 0, committed: 3 });

    const committed = (await h.gql(COMMIT, { id: calc.id })).body.data.orderEditCommit;
    expect(committed.userErrors).toEqual([]);
    expect(committed.order.lineItems.nodes).toEqual([{ sku: "TEE-L", currentQuantity: 1 }]);
    expect(committed.successMessages).toContain("Refund owed: 48.00 USD");
    expect(await h.level("TEE-L", "Dallas TX")).toEqual({ available: 2, committed: 1 });
    // A replayed commit changes nothing.
    expect((await h.gql(COMMIT, { id: calc.id })).body.data.orderEditCommit.userErrors[0].message).toMatch(/does not exist|already been committed/);
    expect(await h.level("TEE-L", "Dallas TX")).toEqual({ available: 2, committed: 1 });
    const edited = sink.events.filter((e) => e.topic === "orders/edited");
    expect(edited).toHaveLength(1);
    expect(validateWebhookPayload("orders/edited", edited[0]!.payload).errors).toEqual([]);
    expect((edited[0]!.payload as { order_edit: { line_items: { removals: unknown[] } } }).order_edit.line_items.removals).toHaveLength(1);
  });

  it("adds another variant at a chosen location: committed there, the amount to collect is shown", async () => {
    const sink = new RecordingSink();
    const h = await shopWith3pl("edit-b.myshopify.com", sink);
    const o = await h.checkout([{ sku: "TEE-M", quantity: 1 }]);
    const calc = (await h.gql(BEGIN, { id: o.orderId })).body.data.orderEditBegin.calculatedOrder;
    const shell = h.seeded.variants.find((v) => v.sku === "SHELL-M")!.id;
    const seattle = h.seeded.locations.find((l) => l.name === "Seattle WA")!.id;
    const added = (await h.gql(ADD, { id: calc.id, variant: shell, q: 1, loc: seattle })).body.data.orderEditAddVariant;
    expect(added.userErrors).toEqual([]);
    expect(added.calculatedLineItem).toMatchObject({ sku: "SHELL-M", quantity: 1 });
    expect(added.calculatedOrder.totalOutstandingSet.shopMoney.amount).toBe("120.00");
    const dup = (await h.gql(ADD, { id: calc.id, variant: shell, q: 1, loc: seattle })).body.data.orderEditAddVariant;
    expect(dup.userErrors[0]).toMatchObject({ field: ["variantId"] });
    expect((await h.gql(COMMIT, { id: calc.id })).body.data.orderEditCommit.successMessages).toContain("Amount to collect: 120.00 USD");
    expect(await h.level("SHELL-M", "Seattle WA")).toEqual({ available: 1, committed: 1 });
    expect(sink.events.some((e) => e.topic === "fulfillment_orders/order_routing_complete" && JSON.stringify(e.payload).includes("open"))).toBe(true);
  });

  it("refuses what Shopify refuses: below the fulfilled quantity, a cancelled order, an unknown calculated order", async () => {
    const sink = new RecordingSink();
    const h = await shopWith3pl("edit-c.myshopify.com", sink);
    const o = await h.checkout([{ sku: "TEE-L", quantity: 2 }]);
    await h.post(`${h.base}/fulfillment-orders/${encodeURIComponent(o.fulfillmentOrderIds[0]!)}/ship`, {});
    const calc = (await h.gql(BEGIN, { id: o.orderId })).body.data.orderEditBegin.calculatedOrder;
    const below = (await h.gql(SET_QTY, { id: calc.id, line: calc.lineItems.nodes[0].id, q: 1 })).body.data.orderEditSetQuantity;
    expect(below.userErrors).toEqual([{ field: ["quantity"], message: "Quantity can't be less than the fulfilled quantity (2)." }]);
    expect((await h.gql(COMMIT, { id: "gid://shopify/CalculatedOrder/1" })).body.data.orderEditCommit.userErrors[0].field).toEqual(["id"]);
    const p = await h.checkout([{ sku: "TEE-M", quantity: 1 }]);
    await h.post(`${h.base}/orders/${encodeURIComponent(p.orderId)}/cancel`, {});
    expect((await h.gql(BEGIN, { id: p.orderId })).body.data.orderEditBegin.userErrors[0].message).toMatch(/canceled/);
  });

  it("the /_dev edit control goes through the mutations and takes a plain order number", async () => {
    const sink = new RecordingSink();
    const h = await shopWith3pl("edit-d.myshopify.com", sink);
    const o = await h.checkout([{ sku: "TEE-L", quantity: 3 }]);
    const number = o.orderId.split("/").pop()!;
    const r = await h.post(`${h.base}/orders/${number}/edit`, { sku: "TEE-L", quantity: 2 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ currentQuantity: 2 });
    expect(sink.events.filter((e) => e.topic === "orders/edited")).toHaveLength(1);
  });
});

describe("Shopify stand-in: orderCancel", () => {
  it("restocks, refunds what was paid once, and a second cancel is an INVALID userError", async () => {
    const sink = new RecordingSink();
    const h = await shopWith3pl("cancel-a.myshopify.com", sink);
    const o = await h.checkout([{ sku: "TEE-L", quantity: 2 }]);
    const first = (await h.gql(CANCEL, { id: o.orderId, refund: true })).body.data.orderCancel;
    expect(first.orderCancelUserErrors).toEqual([]);
    expect(first.job.id).toMatch(/^gid:\/\/shopify\/Job\//);
    expect(await h.level("TEE-L", "Dallas TX")).toEqual({ available: 3, committed: 0 });
    const again = (await h.gql(CANCEL, { id: o.orderId, refund: true })).body.data.orderCancel;
    expect(again.orderCancelUserErrors).toEqual([{ code: "INVALID", field: ["orderId"], message: "Order has already been cancelled." }]);
    const refunds = sink.events.filter((e) => e.topic === "refunds/create");
    expect(refunds).toHaveLength(1);
    expect(validateWebhookPayload("refunds/create", refunds[0]!.payload).errors).toEqual([]);
    expect(validateWebhookPayload("orders/cancelled", sink.events.find((e) => e.topic === "orders/cancelled")!.payload).errors).toEqual([]);
    expect((await h.gql(CANCEL, { id: "gid://shopify/Order/1" })).body.data.orderCancel.orderCancelUserErrors[0].code).toBe("NOT_FOUND");
  });
});

describe("Shopify stand-in: cancellation requests to a fulfilment service", () => {
  const SUBMIT = `mutation R($id: ID!) { fulfillmentOrderSubmitCancellationRequest(id: $id, message: "Customer cancelled") { fulfillmentOrder { id status requestStatus } userErrors { field message } } }`;

  it("the order cannot be cancelled while the service holds accepted work; accepted → closed with a replacement, then the cancel works", async () => {
    const sink = new RecordingSink();
    const h = await shopWith3pl("fs-a.myshopify.com", sink);
    const o = await h.checkout([{ sku: "TEE-M", quantity: 1 }]);
    const fo = o.fulfillmentOrderIds[0]!;
    await h.post(`${h.base}/fulfillment-orders/${encodeURIComponent(fo)}/start`, {});
    expect((await h.gql(CANCEL, { id: o.orderId })).body.data.orderCancel.orderCancelUserErrors[0]).toMatchObject({
      code: "INVALID",
      message: expect.stringMatching(/request cancellation first/),
    });
    const submitted = (await h.gql(SUBMIT, { id: fo })).body.data.fulfillmentOrderSubmitCancellationRequest;
    expect(submitted).toEqual({ fulfillmentOrder: { id: fo, status: "IN_PROGRESS", requestStatus: "CANCELLATION_REQUESTED" }, userErrors: [] });
    expect((await h.gql(SUBMIT, { id: fo })).body.data.fulfillmentOrderSubmitCancellationRequest.userErrors[0].message).toMatch(/already been submitted/);
    const answered = await h.post(`${h.base}/fulfillment-orders/${fo.split("/").pop()}/cancellation-request/accept`, { message: "Not picked yet" });
    expect(answered.body).toMatchObject({ status: "CLOSED", requestStatus: "CANCELLATION_ACCEPTED" });
    expect((await h.gql(CANCEL, { id: o.orderId })).body.data.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(await h.level("TEE-M", "3PL Reno")).toEqual({ available: 5, committed: 0 });
    for (const topic of ["fulfillment_orders/cancellation_request_submitted", "fulfillment_orders/cancellation_request_accepted"]) {
      const e = sink.events.find((x) => x.topic === topic)!;
      expect(validateWebhookPayload(topic, e.payload).errors).toEqual([]);
    }
  });

  it("rejected → the service keeps working; a merchant-managed location takes no cancellation request", async () => {
    const sink = new RecordingSink();
    const h = await shopWith3pl("fs-b.myshopify.com", sink);
    const o = await h.checkout([{ sku: "TEE-M", quantity: 1 }]);
    const fo = o.fulfillmentOrderIds[0]!;
    await h.post(`${h.base}/fulfillment-orders/${encodeURIComponent(fo)}/start`, {});
    await h.gql(SUBMIT, { id: fo });
    const answered = await h.post(`${h.base}/fulfillment-orders/${encodeURIComponent(fo)}/cancellation-request/reject`, { message: "Already packed" });
    expect(answered.body).toMatchObject({ status: "IN_PROGRESS", requestStatus: "CANCELLATION_REJECTED" });
    const rejected = sink.events.find((x) => x.topic === "fulfillment_orders/cancellation_request_rejected")!;
    expect(validateWebhookPayload(rejected.topic, rejected.payload).errors).toEqual([]);
    const local = await h.checkout([{ sku: "TEE-L", quantity: 1 }]);
    expect((await h.gql(SUBMIT, { id: local.fulfillmentOrderIds[0] })).body.data.fulfillmentOrderSubmitCancellationRequest.userErrors[0].message).toMatch(
      /only be sent to fulfillment services/,
    );
  });
});
