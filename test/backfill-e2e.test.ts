// Backfill against the dev shop: orders that exist in Shopify before the app was installed are
// imported page by page through the Admin API, with progress recorded and no page counted twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { jobs } from "~/.server/queue/definitions";
import { closeQueues, queue } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { backfillPage, startBackfill } from "~/.server/services/backfill-orders";
import type { startShopifyStandIn } from "../dev/shopify-local/server";
import { processors } from "../jobs/processors";
import { devShop } from "./helpers/dev-shop";
import { waitFor } from "./helpers/wait";

const SHOP = "backfill-outfitters.myshopify.com";

describe("order backfill against the dev shop", () => {
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;

  beforeAll(async () => {
    // 120 orders placed before the app is installed: no webhook reaches the app for them.
    ({ standIn } = await devShop(SHOP, { orders: 120 }));
  });

  afterAll(async () => {
    await closeQueues();
    await standIn.close();
  });

  it("imports every open order in pages of 50, records progress, and a repeated page changes nothing", { timeout: 150_000 }, async () => {
    const { run, started } = await startBackfill(SHOP, new Date());
    expect(started).toBe(true);
    // A second start while one runs returns the running one.
    expect((await startBackfill(SHOP, new Date())).run.id).toBe(run.id);

    // Run the first page by hand twice, as a retried job would, before the worker starts.
    expect(await backfillPage(SHOP, run.id, null, new Date())).toEqual({ imported: 50, more: true });
    // As if that run had stopped after recording its progress and before queueing the next page:
    // the retry finds the page done and queues the page the run is at.
    const next = (await db().backfillRun.findUniqueOrThrow({ where: { id: run.id } })).cursor!;
    const nextJobId = jobs.backfillPage.jobId({ shop: SHOP, runId: run.id, cursor: next });
    await (await queue("backfill-pages").getJob(nextJobId))!.remove();
    expect(await queue("backfill-pages").getJob(nextJobId)).toBeNull();
    expect(await backfillPage(SHOP, run.id, null, new Date())).toEqual({ skipped: true });
    expect(await queue("backfill-pages").getJob(nextJobId)).not.toBeNull();

    startProcessing(processors);
    const done = await waitFor(
      async () => {
        const r = await db().backfillRun.findUnique({ where: { id: run.id } });
        return r?.status === "completed" ? r : undefined;
        // (three pages through the Admin API budget: ~25 s on PostgreSQL on a loaded 2-core machine)
      },
      75_000,
      "the backfill to complete",
    );
    expect(done.imported).toBe(120);

    const orders = await waitFor(
      async () => {
        const n = await db().order.count({ where: { shop: SHOP } });
        return n === 120 ? n : undefined;
      },
      30_000,
      "120 orders in the OMS",
    );
    expect(orders).toBe(120);
    const sample = await db().order.findFirstOrThrow({ where: { shop: SHOP }, include: { groups: true, lines: true } });
    expect(sample).toMatchObject({ state: "sourced", financialStatus: "paid" });
    expect(sample.groups).toHaveLength(1);
    expect(sample.lines.map((l) => l.sku)).toEqual(["TEE-M"]);
  });
});
