// inventory_levels/update deliveries through the webhook route are handled in batches per shop
// (one job per window): read requests for the levels they name, unless every change reported at a
// level is the echo of the OMS's own push; the deliveries marked processed; a shop without the app
// keeps them flagged; a replay of one goes through the single-delivery path and changes nothing more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { markPushed, observeOnHand, pendingLevelReads } from "~/.server/db/stock";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing, type Processors } from "~/.server/queue/worker";
import { replayDelivery } from "~/.server/services/replay-delivery";
import { processInventoryDeliveries } from "~/.server/services/inventory-webhooks";
import { action } from "~/routes/webhooks";
import { processors } from "../jobs/processors";
import { installApp } from "./helpers/install";
import { webhookRequest } from "./helpers/webhook";
import { waitFor } from "./helpers/wait";

// The flush reads Shopify: here it only records that it was asked for (inventory-e2e runs it for real).
const flushes: string[] = [];
const batches: { shop: string; deliveries: number }[] = [];
// A batch job waits here until the test has stored what it means to be one window: which deliveries
// share a 250 ms window must not depend on how fast the machine posts them.
let storing: Promise<void> = Promise.resolve();
const recorded: Processors = {
  ...processors,
  inventoryFlush: async (p) => void flushes.push(p.shop),
  inventoryWebhooks: async (p, ctx) => {
    await storing;
    const r = await processors.inventoryWebhooks(p, ctx);
    batches.push({ shop: p.shop, deliveries: (r as { deliveries: number }).deliveries });
    return r;
  },
};
const post = (req: Request) => action({ request: req, params: {}, context: {} });
const level = (item: number, location: number, available: number | null) =>
  JSON.stringify({
    inventory_item_id: item,
    location_id: location,
    available,
    updated_at: "2026-12-01T10:00:00-05:00",
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${location}?inventory_item_id=${item}`,
  });
const settled = (shop: string) =>
  waitFor(async () => (await db().webhookDelivery.count({ where: { shop, status: "received" } })) === 0 || undefined, 10_000, "deliveries to settle");

describe("inventory_levels/update in batches", () => {
  beforeAll(() => startProcessing(recorded));
  afterAll(() => closeQueues());

  it("asks for one read per level changed, none for a level whose every change is the echo of the OMS's push, and marks every delivery processed", async () => {
    const shop = "inv-batch.myshopify.com";
    await installApp(shop);
    const echoed = { inventoryItemId: "gid://shopify/InventoryItem/71", locationId: "gid://shopify/Location/3" };
    await observeOnHand(shop, echoed.inventoryItemId, echoed.locationId, "ECHO", 9, new Date());
    await markPushed(shop, [{ ...echoed, available: 6, heldBack: 3 }], new Date());
    const sent = [level(71, 3, 6), level(72, 3, 4), level(72, 3, 3), level(73, 4, null), level(71, 3, 6)];
    let stored = () => {};
    storing = new Promise((resolve) => (stored = resolve));
    for (const [i, body] of sent.entries())
      expect((await post(webhookRequest("inventory_levels/update", body, { shop, webhookId: `inv-${i}` }))).status).toBe(200);
    stored();
    await settled(shop);
    const deliveries = await db().webhookDelivery.findMany({ where: { shop }, include: { payload: true } });
    expect(deliveries.map((d) => d.status)).toEqual(Array(5).fill("processed"));
    // Item 72 changed twice: one request. Item 71's changes are both the push's echo: none.
    expect((await pendingLevelReads(shop, 10)).map((r) => [r.inventoryItemId, r.locationId, r.version]).sort()).toEqual([
      ["gid://shopify/InventoryItem/72", "gid://shopify/Location/3", 1],
      ["gid://shopify/InventoryItem/73", "gid://shopify/Location/4", 1],
    ]);
    // Fewer jobs than deliveries (five stored within one window), and the flush asked for.
    const mine = () => batches.filter((b) => b.shop === shop && b.deliveries > 0);
    await waitFor(async () => mine().reduce((n, b) => n + b.deliveries, 0) === 5 || undefined, 15_000, "the batches' reports");
    expect(mine().length).toBeLessThan(5);
    await waitFor(async () => flushes.includes(shop) || undefined, 15_000, "the flush");

    // A replay of a processed delivery (from the deliveries page) goes through the one-delivery path: one more request at its level.
    const replayed = deliveries.find((d) => d.payload?.body === sent[1])!;
    expect(await replayDelivery(shop, replayed.id)).toEqual({ kind: "queued" });
    await waitFor(
      async () => (await pendingLevelReads(shop, 10)).find((r) => r.inventoryItemId === "gid://shopify/InventoryItem/72")?.version === 2 || undefined,
      10_000,
      "the replay's request",
    );
  });

  it("a shop without the app keeps its deliveries, flagged not_installed, and asks for nothing", async () => {
    const shop = "inv-batch-uninstalled.myshopify.com";
    expect((await post(webhookRequest("inventory_levels/update", level(81, 5, 2), { shop, webhookId: "u-1" }))).status).toBe(200);
    await settled(shop);
    expect(await db().webhookDelivery.findMany({ where: { shop }, select: { status: true } })).toEqual([{ status: "not_installed" }]);
    expect(await pendingLevelReads(shop, 10)).toEqual([]);
  });

  it("a window with nothing stored does nothing", async () => {
    const shop = "inv-batch-empty.myshopify.com";
    await installApp(shop);
    expect(await processInventoryDeliveries(shop, new Date())).toMatchObject({ deliveries: 0, levelsRequested: 0 });
  });
});
