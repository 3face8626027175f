// The resync of a shop's open orders, started from the Orders page: a job that re-reads each open
// order from the dev shop through the Admin API and reports its progress, which the admin's progress
// card (GET /app/progress) and the Orders page show.
import "@shopify/shopify-api/adapters/node";
import { RequestType, setUpValidRequest, USER_ID } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { env } from "~/.server/env";
import { closeQueues, queue } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { startBackfill } from "~/.server/services/backfill-orders";
import { action as ordersAction, loader as ordersLoader } from "~/routes/app.orders._index";
import { loader as progressLoader } from "~/routes/app.progress";
import type { startShopifyStandIn } from "../dev/shopify-local/server";
import { processors } from "../jobs/processors";
import { devShop } from "./helpers/dev-shop";
import { shopSettled, waitFor } from "./helpers/wait";

const STORE = "resync-outfitters";
const SHOP = `${STORE}.myshopify.com`;
const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();
const UA = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" };
const authed = (path: string, init?: RequestInit) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: STORE, apiKey: APP_KEY, apiSecretKey: APP_SECRET },
    new Request(`http://localhost:3000${path}`, { ...init, headers: UA }),
  );
// The progress card's rows for the resync (the backfill that imported the orders has its own).
const progressRows = async () =>
  (await progressLoader({ request: await authed("/app/progress"), params: {}, context: {} })).work.filter(
    (w) => w.label === "Re-read open orders from Shopify",
  );

describe("resync of open orders", () => {
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;

  beforeAll(async () => {
    // Four orders in the dev shop, imported by a backfill (no webhooks reach the app); then the
    // worker stops, so the resync below is seen waiting before it runs.
    ({ standIn } = await devShop(SHOP, { orders: 4 }));
    startProcessing(processors);
    await startBackfill(SHOP, new Date());
    await waitFor(async () => ((await db().order.count({ where: { shop: SHOP } })) === 4 ? true : undefined), 30_000, "4 orders imported");
    // This shop's jobs only: other test files of the run share the queues (one prefix per run).
    await shopSettled(SHOP);
    await closeQueues();
  });

  afterAll(async () => {
    await closeQueues();
    await standIn.close();
  });

  it("starts from the Orders page, shows the job's progress, and re-reads every open order", { timeout: 60_000 }, async () => {
    // Given the OMS's copy of every order has drifted (a missed update): a stale e-mail, an old snapshot time.
    await db().order.updateMany({ where: { shop: SHOP }, data: { email: "stale@example.com", sourceUpdatedAt: new Date("2000-01-01T00:00:00Z") } });

    // When a staff member asks for a resync (no worker yet): the job waits, at 0%.
    const started = await ordersAction({
      request: await authed("/app/orders", { method: "POST", body: new URLSearchParams({ intent: "resync" }) }),
      params: {},
      context: {},
    });
    expect(started).toMatchObject({ ok: true, message: "Re-reading the open orders from Shopify." });
    const jobId = (started as { jobId: string }).jobId;
    expect(await progressRows()).toEqual([{ id: jobId, label: "Re-read open orders from Shopify", state: "waiting", progress: 0 }]);
    // A second click while it waits is the same job.
    expect(
      await ordersAction({
        request: await authed("/app/orders", { method: "POST", body: new URLSearchParams({ intent: "resync" }) }),
        params: {},
        context: {},
      }),
    ).toMatchObject({ message: "A resync is already running.", jobId });

    // The progress the job reports is what the card and the page read.
    await (await queue("resync-orders").getJob(jobId))!.progress(40);
    expect((await progressRows())[0]).toMatchObject({ id: jobId, progress: 40 });
    expect((await ordersLoader({ request: await authed("/app/orders"), params: {}, context: {} })).resync).toMatchObject({
      id: jobId,
      state: "waiting",
      progress: 40,
    });

    // Then the worker runs it to 100% and every order is read again from Shopify.
    startProcessing(processors);
    const done = await waitFor(
      async () => {
        const r = (await ordersLoader({ request: await authed("/app/orders"), params: {}, context: {} })).resync;
        return r?.state === "completed" ? r : undefined;
      },
      45_000,
      "the resync to complete",
    );
    expect(done).toMatchObject({ id: jobId, progress: 100, result: { orders: 4, synced: 4, failed: [] } });
    const orders = await db().order.findMany({ where: { shop: SHOP } });
    expect(orders.map((o) => o.email).sort()).toEqual(["buyer0@example.com", "buyer1@example.com", "buyer2@example.com", "buyer3@example.com"]);
    expect(await progressRows()).toEqual([]);
    // Audited with the staff member who asked.
    expect(await db().auditEvent.findMany({ where: { shop: SHOP, subject: "orders-resync" } })).toEqual([
      expect.objectContaining({ actor: `user:${USER_ID}` }),
    ]);
  });
});
