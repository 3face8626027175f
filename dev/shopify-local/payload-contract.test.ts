import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { validateWebhookPayload } from "./payload-contract";
import { austin, RecordingSink, standInWithShop } from "./test-helpers";

const samples = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../contracts/shopify/webhooks");
function sampleTopics(dir = samples, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith("_")) return [];
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sampleTopics(full, `${prefix}${name}/`);
    return name.endsWith(".json") ? [`${prefix}${name.slice(0, -5)}`] : [];
  });
}

describe("webhook JSON Schemas (the contract the stand-in's payloads are checked against)", () => {
  it("accept the topics' own example payloads, except four whose examples contradict their own schemas", () => {
    const failing = sampleTopics().filter((t) => !validateWebhookPayload(t, JSON.parse(readFileSync(path.join(samples, `${t}.json`), "utf8"))).valid);
    // Known mismatches between Shopify's example payloads and the schemas published for them; none
    // of these topics is one the stand-in sends. Listed so a new mismatch fails the test.
    expect(failing).toEqual(["inventory_items/create", "inventory_items/update", "order_transactions/create", "products/update"]);
  });

  it("reject a payload with a wrong type in a required field, and an unknown topic", () => {
    const order = JSON.parse(readFileSync(path.join(samples, "orders/create.json"), "utf8"));
    expect(validateWebhookPayload("orders/create", { ...order, line_items: "none" }).valid).toBe(false);
    expect(validateWebhookPayload("orders/create", { ...order, id: undefined }).valid).toBe(false);
    expect(validateWebhookPayload("orders/nonsense", order)).toEqual({ valid: false, errors: ["no JSON Schema for topic orders/nonsense"] });
  });
});

describe("the stand-in's webhook payloads validate against Shopify's JSON Schemas", () => {
  let handle: Awaited<ReturnType<typeof standInWithShop>> | undefined;
  afterEach(async () => handle?.close());

  it("for checkout, fulfilment, delivery, cancellation, refunds, holds, moves and stock changes", async () => {
    const sink = new RecordingSink();
    handle = await standInWithShop("contract.myshopify.com", { sink });
    const h = handle;
    const shop = "/_dev/shops/contract.myshopify.com";
    const a = (await h.post(`${shop}/checkout`, { lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "a@example.com" })).body as {
      orderId: string;
      fulfillmentOrderIds: string[];
    };
    const fo = encodeURIComponent(a.fulfillmentOrderIds[0]!);
    await h.post(`${shop}/fulfillment-orders/${fo}/start`, {});
    await h.post(`${shop}/fulfillment-orders/${fo}/ship`, { company: "UPS", number: "1Z1" });
    await h.post(`${shop}/fulfillment-orders/${fo}/deliver`, {});
    await h.gql(`mutation R($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "k1") { userErrors { message } } }`, {
      input: { orderId: a.orderId, transactions: [{ orderId: a.orderId, amount: "5.00", gateway: "bogus", kind: "REFUND" }] },
    });
    const b = (await h.post(`${shop}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: "b@example.com" })).body as {
      orderId: string;
      fulfillmentOrderIds: string[];
    };
    const hold = await h.gql(
      `mutation H($id: ID!) { fulfillmentOrderHold(id: $id, fulfillmentHold: { reason: INVENTORY_OUT_OF_STOCK, handle: "oms" }) { userErrors { message } } }`,
      { id: b.fulfillmentOrderIds[0] },
    );
    expect(hold.body.data.fulfillmentOrderHold.userErrors).toEqual([]);
    await h.gql(`mutation R($id: ID!) { fulfillmentOrderReleaseHold(id: $id) { userErrors { message } } }`, { id: b.fulfillmentOrderIds[0] });
    const move = await h.gql(`mutation M($id: ID!, $to: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $to) { userErrors { message } } }`, {
      id: b.fulfillmentOrderIds[0],
      to: h.seeded.locations.find((l) => l.name === "Edison NJ")!.id,
    });
    expect(move.body.data.fulfillmentOrderMove.userErrors).toEqual([]);
    await h.post(`${shop}/orders/${encodeURIComponent(b.orderId)}/cancel`, {});
    await h.post(`${shop}/inventory/adjust`, { sku: "TEE-M", location: "Seattle WA", delta: 5 });
    await h.post(`${shop}/uninstall`, {});

    const topics = new Set(sink.events.map((e) => e.topic));
    for (const t of [
      "orders/create",
      "orders/updated",
      "orders/cancelled",
      "fulfillments/create",
      "fulfillments/update",
      "refunds/create",
      "fulfillment_orders/order_routing_complete",
      "fulfillment_orders/placed_on_hold",
      "fulfillment_orders/hold_released",
      "fulfillment_orders/moved",
      "fulfillment_orders/progress_reported",
      "inventory_levels/update",
      "app/uninstalled",
    ]) {
      expect(topics, t).toContain(t);
    }
    const problems = sink.events
      .map((e) => ({ topic: e.topic, result: validateWebhookPayload(e.topic, JSON.parse(JSON.stringify(e.payload))) }))
      .filter((r) => !r.result.valid)
      .map((r) => `${r.topic}: ${r.result.errors.slice(0, 5).join("; ")}`);
    expect(problems).toEqual([]);
  });
});
