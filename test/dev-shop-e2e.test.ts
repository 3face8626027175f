// End to end against the dev shop: a shopper's checkout on the Shopify stand-in reaches the app as
// signed webhooks over real HTTP (every delivery duplicated on purpose), the worker processes them
// and re-reads the order from the stand-in's Admin API, and the OMS holds the order exactly once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { action as webhookAction } from "~/routes/webhooks";
import type { startShopifyStandIn } from "../dev/shopify-local/server";
import { austin } from "../dev/shopify-local/test-helpers";
import { createWebhookDispatcher } from "../dev/shopify-local/webhook-dispatcher";
import { processors } from "../jobs/processors";
import { APP_SECRET, devShop } from "./helpers/dev-shop";
import { waitFor } from "./helpers/wait";

const SHOP = "e2e-outfitters.myshopify.com";

/** The app's webhook endpoint on a real port, running the same route action as server.ts. */
async function appServer() {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await webhookAction({ request: new Request(`http://localhost${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }), params: {}, context: {} });
    res.writeHead(response.status);
    res.end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe("dev shop end to end", () => {
  let app: Awaited<ReturnType<typeof appServer>>;
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;
  let dispatcher: ReturnType<typeof createWebhookDispatcher>;

  beforeAll(async () => {
    app = await appServer();
    dispatcher = createWebhookDispatcher({ appUrl: app.url, apiSecret: APP_SECRET, retryScheduleMs: [200, 400, 800], faults: { duplicateRate: 1 } });
    ({ standIn } = await devShop(SHOP, { webhookSink: dispatcher }));
    startProcessing(processors);
  });

  afterAll(async () => {
    dispatcher.close();
    await closeQueues();
    await standIn.close();
    await app.close();
  });

  it("records a shopper's order once although every webhook is delivered twice, with its fulfilment group from Shopify's routing", async () => {
    const placed = (await (
      await fetch(`${standIn.url}/_dev/shops/${SHOP}/checkout`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lines: [{ sku: "TEE-M", quantity: 1 }, { sku: "TEE-L", quantity: 1 }], shippingAddress: austin, email: "ada@example.com" }),
      })
    ).json()) as { orderId: string; name: string };

    const order = await waitFor(
      async () => {
        const o = await db().order.findUnique({ where: { shop_sourceId: { shop: SHOP, sourceId: placed.orderId } }, include: { groups: true, events: true } });
        return o && o.groups.length > 0 && o.state === "sourced" ? o : undefined;
      },
      20_000,
      "the order to be recorded and sourced",
    );
    await dispatcher.idle();

    // Shopify (the stand-in) sent orders/create twice with one webhook id; the app stored it once.
    const sent = dispatcher.deliveries().filter((d) => d.topic === "orders/create");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attempts.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(await db().webhookDelivery.count({ where: { shop: SHOP, topic: "orders/create" } })).toBe(1);
    expect(await db().order.count({ where: { shop: SHOP } })).toBe(1);

    expect(order).toMatchObject({ name: placed.name, state: "sourced", financialStatus: "paid", email: "ada@example.com" });
    expect(order.groups.map((g) => [g.locationName, g.status])).toEqual([["Dallas TX", "OPEN"]]);
    expect(order.events.filter((e) => e.kind === "received")).toHaveLength(1);
    expect(order.events.map((e) => e.toState).filter(Boolean)).toEqual(["received", "released", "sourced"]);
  });

  it("follows the warehouse and the carrier: picking, shipped with tracking, delivered — each step with its owner", { timeout: 60_000 }, async () => {
    const placed = (await (
      await fetch(`${standIn.url}/_dev/shops/${SHOP}/checkout`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "grace@example.com" }),
      })
    ).json()) as { orderId: string; fulfillmentOrderIds: string[] };
    const stateOf = async () => (await db().order.findUnique({ where: { shop_sourceId: { shop: SHOP, sourceId: placed.orderId } } }))?.state;
    const reach = (state: string) =>
      waitFor(async () => ((await stateOf()) === state ? state : undefined), 20_000, `the order to be ${state}`).catch(async (e) => {
        const d = await db().webhookDelivery.findMany({ where: { shop: SHOP }, select: { topic: true, status: true, error: true }, orderBy: { receivedAt: "desc" }, take: 6 });
        throw new Error(`${(e as Error).message}; now ${await stateOf()}; recent deliveries ${JSON.stringify(d)}; dead ${JSON.stringify(await db().deadLetter.findMany({ take: 3 }))}`);
      });
    const fo = encodeURIComponent(placed.fulfillmentOrderIds[0]!);

    await reach("sourced");
    await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders/${fo}/start`, { method: "POST" });
    await reach("picking");
    await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders/${fo}/ship`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ company: "UPS", number: "1Z999AA10123456784" }) });
    await reach("shipped");
    await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders/${fo}/deliver`, { method: "POST" });
    await reach("delivered");

    const order = await db().order.findUniqueOrThrow({ where: { shop_sourceId: { shop: SHOP, sourceId: placed.orderId } }, include: { events: { orderBy: { at: "asc" } } } });
    const transitions = order.events.filter((e) => e.kind === "transition").map((e) => `${e.toState}:${e.owner}`);
    expect(transitions).toEqual(["released:oms", "sourced:oms", "picking:location", "shipped:location", "delivered:carrier"]);
    expect(order.events.some((e) => e.kind === "fulfillment" && e.summary.includes("1Z999AA10123456784"))).toBe(true);
  });
});
