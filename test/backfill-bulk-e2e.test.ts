// A large shop's backfill: above BACKFILL_BULK_THRESHOLD orders, ids come from one Shopify bulk
// operation (run, polled, JSONL downloaded) instead of pages.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { startBackfill } from "~/.server/services/backfill-orders";
import type { startShopifyStandIn } from "../dev/shopify-local/server";
import { processors } from "../jobs/processors";
import { devShop } from "./helpers/dev-shop";
import { waitFor } from "./helpers/wait";

// This file's "large shop" threshold, set before any module reads the environment.
vi.hoisted(() => {
  process.env.BACKFILL_BULK_THRESHOLD = "50";
});
const SHOP = "bulk-outfitters.myshopify.com";

describe("bulk backfill against the dev shop", () => {
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;

  beforeAll(async () => {
    ({ standIn } = await devShop(SHOP, { orders: 80 }));
    startProcessing(processors);
  });

  afterAll(async () => {
    await closeQueues();
    await standIn.close();
  });

  it("switches to a bulk operation above the threshold and imports every order from its JSONL", { timeout: 90_000 }, async () => {
    const { run } = await startBackfill(SHOP, new Date());
    const done = await waitFor(
      async () => {
        const r = await db().backfillRun.findUnique({ where: { id: run.id } });
        return r?.status === "completed" || r?.status === "failed" ? r : undefined;
      },
      60_000,
      "the bulk backfill to finish",
    );
    expect(done).toMatchObject({
      status: "completed",
      mode: "bulk",
      total: 80,
      imported: 80,
      bulkOperationId: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\//),
    });
    const orders = await waitFor(async () => ((await db().order.count({ where: { shop: SHOP } })) === 80 ? 80 : undefined), 60_000, "80 orders");
    expect(orders).toBe(80);
  });
});
