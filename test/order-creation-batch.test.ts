// orders/create deliveries through the webhook route are taken in per shop and window (one
// order-creations job, not a processWebhook job each): every order created once, the deliveries
// marked processed, a delivery whose intake fails handed to a job of its own while the rest of its
// window goes on, a shop without the app keeps them flagged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { insertDelivery } from "~/.server/db/webhook-deliveries";
import { closeQueues } from "~/.server/queue/queues";
import { requeueUnqueuedDeliveries } from "~/.server/services/ops/requeue-deliveries";
import { startProcessing, type Processors } from "~/.server/queue/worker";
import { action } from "~/routes/webhooks";
import { processors } from "../jobs/processors";
import { installApp } from "./helpers/install";
import { samplePayload, webhookRequest } from "./helpers/webhook";
import { waitFor } from "./helpers/wait";

// What the intake asks for next (reading the fulfilment orders from Shopify) is only recorded here:
// order-intake and sourcing-e2e run it for real.
const syncs: string[] = [];
const ownJobs: string[] = [];
const batches: { shop: string; reason: string; deliveries: number; handedOff: number }[] = [];
const recorded: Processors = {
  ...processors,
  syncOrder: async (p) => void syncs.push(`${p.shop} ${p.orderId}`),
  processWebhook: async (p) => void ownJobs.push(p.deliveryId),
  orderCreations: async (p, ctx) => {
    const r = (await processors.orderCreations(p, ctx)) as { deliveries: number; handedOff?: number };
    batches.push({ shop: p.shop, reason: p.reason, deliveries: r.deliveries, handedOff: r.handedOff ?? 0 });
    return r;
  },
};
const post = (req: Request) => action({ request: req, params: {}, context: {} });
const sample = JSON.parse(samplePayload("orders/create")) as Record<string, unknown>;
const order = (id: number, over: Record<string, unknown> = {}) =>
  JSON.stringify({ ...sample, id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#C${id}`, cancelled_at: null, ...over });

describe("orders/create in batches", () => {
  beforeAll(() => startProcessing(recorded));
  afterAll(() => closeQueues());

  it("a backlog larger than a batch is taken in batch after batch: a full batch asks for the next at once, not in the next window", async () => {
    const shop = "create-long-backlog.myshopify.com";
    await installApp(shop);
    const receivedAt = new Date("2002-01-01T00:00:00Z");
    for (let i = 0; i < 120; i++)
      await insertDelivery(
        {
          shop,
          topic: "orders/create",
          webhookId: `long-${i}`,
          eventId: null,
          apiVersion: "2026-04",
          triggeredAt: null,
          headers: {},
          body: order(7_300_000 + i),
          status: "received",
          error: null,
        },
        new Date(receivedAt.getTime() + i),
      );
    await requeueUnqueuedDeliveries(new Date("2002-01-02T00:00:00Z"), { batches: true });
    await waitFor(async () => (await db().order.count({ where: { shop } })) === 120 || undefined, 20_000, "the backlog's orders");
    // A batch reports once it has marked its deliveries, after its orders show.
    const mine = () => batches.filter((b) => b.shop === shop && b.deliveries > 0);
    await waitFor(async () => mine().reduce((n, b) => n + b.deliveries, 0) === 120 || undefined, 10_000, "the batches' reports");
    // 50 a batch: the first asked for by the worker start (a window), each next one by the full batch before it.
    expect(mine().map((b) => b.deliveries)).toEqual([50, 50, 20]);
    expect(mine()[0]!.reason).toMatch(/^w\d+$/);
    expect(
      mine()
        .slice(1)
        .every((b) => b.reason.startsWith("after-")),
    ).toBe(true);
  });

  it("a worker starting takes in a backlog of stored orders/create deliveries by batch jobs, not a job each; the minute sweep still takes them one by one", async () => {
    const shop = "create-backlog.myshopify.com";
    await installApp(shop);
    // Stored while no worker ran and Redis did not answer: no batch was asked for. (Received long
    // ago, so that the requeue below finds this test's deliveries only.)
    const receivedAt = new Date("2001-01-01T00:00:00Z");
    const store = async (i: number, topic: string, body: string) =>
      (await insertDelivery(
        { shop, topic, webhookId: `backlog-${i}`, eventId: null, apiVersion: "2026-04", triggeredAt: null, headers: {}, body, status: "received", error: null },
        new Date(receivedAt.getTime() + i),
      ))!.id;
    const created = [
      await store(0, "orders/create", order(7_200_001)),
      await store(1, "orders/create", order(7_200_002)),
      await store(2, "orders/create", order(7_200_003)),
    ];
    const other = await store(3, "orders/updated", order(7_200_001));
    expect(await requeueUnqueuedDeliveries(new Date("2001-01-02T00:00:00Z"), { batches: true })).toBeGreaterThanOrEqual(4);
    await waitFor(async () => (await db().order.count({ where: { shop } })) === 3 || undefined, 10_000, "the backlog's orders");
    await waitFor(
      async () => (await db().webhookDelivery.count({ where: { id: { in: created }, status: "processed" } })) === 3 || undefined,
      10_000,
      "the backlog processed",
    );
    await waitFor(async () => ownJobs.includes(other) || undefined, 10_000, "the other topic's own job");
    // The orders/create deliveries went through the shop's batch; only the other topic had a job of its own.
    expect(batches.filter((b) => b.shop === shop).reduce((n, b) => n + b.deliveries, 0)).toBe(3);
    expect(ownJobs.filter((id) => created.includes(id))).toEqual([]);

    // The minute sweep (older than a minute, no batches) queues each delivery still received on its own.
    const late = await store(4, "orders/create", order(7_200_004));
    expect(await requeueUnqueuedDeliveries(new Date("2001-01-02T00:00:00Z"))).toBeGreaterThanOrEqual(1);
    await waitFor(async () => ownJobs.includes(late) || undefined, 10_000, "the swept delivery's own job");
  });

  it("takes in every new order of a window in one job, once each, and marks the deliveries processed; a failing one goes to its own job", async () => {
    const shop = "create-batch.myshopify.com";
    await installApp(shop);
    const ids = [7_100_001, 7_100_002, 7_100_003, 7_100_004];
    // Valid for the payload's schema, but its amount cannot be read as money: its intake throws.
    const bad = order(7_100_009, { total_price: "twelve", current_total_price: "twelve" });
    for (const [i, body] of [...ids.map((id) => order(id)), bad, order(ids[0]!)].entries())
      expect((await post(webhookRequest("orders/create", body, { shop, webhookId: `create-${i}` }))).status).toBe(200);

    const orders = await waitFor(
      async () => {
        const rows = await db().order.findMany({ where: { shop }, select: { sourceId: true } });
        return rows.length >= ids.length ? rows : undefined;
      },
      10_000,
      "the orders",
    );
    // The duplicate delivery of the first order (another webhook id) created nothing more.
    expect(orders.map((o) => o.sourceId).sort()).toEqual(ids.map((id) => `gid://shopify/Order/${id}`));
    const badDelivery = (await db().webhookDelivery.findMany({ where: { shop }, include: { payload: true } })).find((d) => d.payload?.body === bad)!;
    await waitFor(async () => ownJobs.includes(badDelivery.id) || undefined, 10_000, "the failing delivery's own job");
    // A batch marks its deliveries once it has taken them all in (its orders show before that).
    const deliveries = await waitFor(
      async () => {
        const rows = await db().webhookDelivery.findMany({ where: { shop }, select: { id: true, status: true } });
        return rows.filter((d) => d.id !== badDelivery.id).every((d) => d.status !== "received") ? rows : undefined;
      },
      10_000,
      "the batches to mark their deliveries",
    );
    expect(deliveries.filter((d) => d.id !== badDelivery.id).map((d) => d.status)).toEqual(Array(5).fill("processed"));
    // Left for its own job (retries, dead letter), not marked processed by the batch.
    expect(deliveries.find((d) => d.id === badDelivery.id)?.status).toBe("received");
    // Fewer jobs than deliveries, and every new order's fulfilment orders asked for.
    // (A batch's report is recorded just after it marks its deliveries.)
    const mine = () => batches.filter((b) => b.shop === shop && b.deliveries > 0);
    await waitFor(async () => mine().reduce((n, b) => n + b.deliveries, 0) === 6 || undefined, 15_000, "the batches' reports");
    expect(mine().reduce((n, b) => n + b.handedOff, 0)).toBe(1);
    expect(mine().length).toBeLessThan(6);
    await waitFor(async () => ids.every((id) => syncs.includes(`${shop} gid://shopify/Order/${id}`)) || undefined, 15_000, "the intake syncs");
  });

  it("a shop without the app keeps its new orders' deliveries, flagged not_installed, and creates nothing", async () => {
    const shop = "create-batch-uninstalled.myshopify.com";
    for (const [i, id] of [7_200_001, 7_200_002].entries())
      expect((await post(webhookRequest("orders/create", order(id), { shop, webhookId: `create-u-${i}` }))).status).toBe(200);
    await waitFor(
      async () => (await db().webhookDelivery.count({ where: { shop, status: "not_installed" } })) === 2 || undefined,
      10_000,
      "the deliveries to be flagged",
    );
    expect(await db().order.count({ where: { shop } })).toBe(0);
  });
});
