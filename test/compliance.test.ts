import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing, type Processors } from "~/.server/queue/worker";
import { action } from "~/routes/webhooks";
import { processors } from "../jobs/processors";
import { samplePayload, webhookRequest } from "./helpers/webhook";
import { installApp } from "./helpers/install";
import { waitFor } from "./helpers/wait";

const quiet: Processors = { ...processors, syncOrder: async () => undefined };
// Order webhooks create orders only for a shop with the app installed (webhooks-route.test.ts).
const post = async (topic: string, payload: unknown, shop: string) => {
  if (topic.startsWith("orders/")) await installApp(shop);
  return action({ request: webhookRequest(topic, JSON.stringify(payload), { shop }), params: {}, context: {} });
};
const settled = (shop: string) =>
  waitFor(async () => (await db().webhookDelivery.count({ where: { shop, status: "received" } })) === 0 || undefined, 10_000, "deliveries to settle");

function order(id: number, email: string) {
  const base = JSON.parse(samplePayload("orders/create"));
  return {
    ...base,
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#C${id}`,
    email,
    contact_email: email,
    cancelled_at: null,
    financial_status: "paid",
  };
}

describe("compliance webhooks", () => {
  beforeAll(() => {
    startProcessing(quiet);
  });
  afterAll(async () => {
    await closeQueues();
  });

  it("customers/data_request exports what the OMS holds about the customer", async () => {
    const shop = "gdpr-export.myshopify.com";
    await post("orders/create", order(5_100_001, "ada@example.com"), shop);
    await post("orders/create", order(5_100_002, "someone-else@example.com"), shop);
    await settled(shop);
    const request = {
      ...JSON.parse(samplePayload("customers/data_request")),
      shop_domain: shop,
      customer: { id: 1, email: "ada@example.com", phone: null },
      orders_requested: [5_100_001],
    };

    expect((await post("customers/data_request", request, shop)).status).toBe(200);
    await settled(shop);

    const stored = await db().complianceRequest.findFirstOrThrow({ where: { shop } });
    const exported = JSON.parse(stored.export ?? "{}");
    expect(stored.ordersFound).toBe(1);
    expect(exported.orders).toEqual([
      expect.objectContaining({ name: "#C5100001", email: "ada@example.com", shippingAddress: expect.objectContaining({ city: "Shippington" }) }),
    ]);
  });

  it("customers/redact removes the customer's personal data from orders and raw deliveries, keeping the commercial record", async () => {
    const shop = "gdpr-redact.myshopify.com";
    await post("orders/create", order(5_200_001, "grace@example.com"), shop);
    await post("orders/create", order(5_200_002, "other@example.com"), shop);
    await settled(shop);
    const request = {
      ...JSON.parse(samplePayload("customers/redact")),
      shop_domain: shop,
      customer: { id: 2, email: "grace@example.com", phone: null },
      orders_to_redact: [5_200_001],
    };

    expect((await post("customers/redact", request, shop)).status).toBe(200);
    await settled(shop);

    const redacted = await db().order.findFirstOrThrow({ where: { shop, name: "#C5200001" }, include: { lines: true, events: true } });
    expect(redacted).toMatchObject({ email: null, customerName: null, shippingAddress: null, totalMinor: 41495n });
    expect(redacted.redactedAt).toBeInstanceOf(Date);
    expect(redacted.lines.length).toBeGreaterThan(0);
    expect(redacted.events.map((e) => e.kind)).toContain("redaction");
    const untouched = await db().order.findFirstOrThrow({ where: { shop, name: "#C5200002" } });
    expect(untouched.email).toBe("other@example.com");
    const rawMentions = await db().webhookDelivery.count({ where: { shop, topic: "orders/create", payload: { body: { contains: "grace@example.com" } } } });
    expect(rawMentions).toBe(0);
  });

  it("shop/redact erases the shop's orders and raw deliveries", async () => {
    const shop = "gdpr-shop.myshopify.com";
    await post("orders/create", order(5_300_001, "x@example.com"), shop);
    await settled(shop);
    expect(await db().order.count({ where: { shop } })).toBe(1);

    await post("shop/redact", { shop_id: 1, shop_domain: shop }, shop);
    await waitFor(async () => (await db().shop.findUnique({ where: { domain: shop } }))?.redactedAt ?? undefined, 10_000, "shop redaction");

    expect(await db().order.count({ where: { shop } })).toBe(0);
    expect(await db().webhookDelivery.count({ where: { shop, topic: "orders/create" } })).toBe(0);
    const proof = await waitFor(
      async () => (await db().webhookDelivery.findFirst({ where: { shop, topic: "shop/redact", status: "processed" } })) ?? undefined,
      10_000,
      "shop/redact processed",
    );
    expect(proof.error).toBeNull();
    expect(await db().deadLetter.count({ where: { shop } })).toBe(0);
  });
});
