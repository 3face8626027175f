// A large shop's backfill: above BACKFILL_BULK_THRESHOLD orders, ids come from one Shopify bulk
// operation (run, polled, JSONL downloaded) instead of pages.
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { startBackfill } from "~/.server/services/backfill-orders";
import { redirectShopifyOrigin } from "~/.server/shopify/admin-origin";
import { sessionStorage } from "~/shopify.server";
import { startShopifyStandIn } from "../dev/shopify-local/server";
import { austin, smallShop } from "../dev/shopify-local/test-helpers";
import { processors } from "../jobs/processors";
import { waitFor } from "./helpers/wait";

// This file's "large shop" threshold, set before any module reads the environment.
vi.hoisted(() => {
  process.env.BACKFILL_BULK_THRESHOLD = "50";
});
const SHOP = "bulk-outfitters.myshopify.com";

describe("bulk backfill against the dev shop", () => {
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;

  beforeAll(async () => {
    standIn = await startShopifyStandIn({ apiKey: "oms-dev-api-key", apiSecret: "oms-dev-api-secret-not-for-production" });
    redirectShopifyOrigin(standIn.url, "test");
    const post = (p: string, body: unknown) => fetch(standIn.url + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const fixture = smallShop(SHOP);
    fixture.products[0]!.variants[0]!.inventory = { "Edison NJ": 500, "Dallas TX": 500, "Seattle WA": 500 };
    await post("/_dev/shops", fixture);
    for (let i = 0; i < 80; i++) await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: `b${i}@example.com` });
    const { accessToken, scope } = (await (await post(`/_dev/shops/${SHOP}/install`, {})).json()) as { accessToken: string; scope: string };
    await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken, scope }));
    startProcessing(processors);
  });

  afterAll(async () => {
    await closeQueues();
    await standIn.close();
  });

  it("switches to a bulk operation above the threshold and imports every order from its JSONL", { timeout: 90_000 }, async () => {
    const { run } = await startBackfill(SHOP, new Date());
    const done = await waitFor(async () => {
      const r = await db().backfillRun.findUnique({ where: { id: run.id } });
      return r?.status === "completed" || r?.status === "failed" ? r : undefined;
    }, 60_000, "the bulk backfill to finish");
    expect(done).toMatchObject({ status: "completed", mode: "bulk", total: 80, imported: 80, bulkOperationId: expect.stringMatching(/^gid:\/\/shopify\/BulkOperation\//) });
    const orders = await waitFor(async () => ((await db().order.count({ where: { shop: SHOP } })) === 80 ? 80 : undefined), 60_000, "80 orders");
    expect(orders).toBe(80);
  });
});
