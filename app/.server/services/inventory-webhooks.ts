import { inventoryLevelIds, inventoryLevelUpdateSchema } from "~/schemas/webhook-payloads";
import { requestLevelReadUnlessEcho, requestLevelReadsUnlessEcho, type LevelReportIn } from "../db/stock";
import type { StoredDelivery } from "../db/webhook-deliveries";
import { processDeliveryBatch, requestDeliveryBatch, requestNextDeliveryBatch, type BatchReport } from "./delivery-batches";
import { requestFlush } from "./inventory-sync";
import { parseJsonExact } from "~/schemas/json";

/** How long after a push its own inventory_levels/update is recognised as the echo. */
const ECHO_WINDOW_MS = 60_000;
/**
 * inventory_levels/update comes about twice per order (the checkout's commit, a move's) plus the
 * echo of every push: the deliveries a shop stores within a window of this length are handled by
 * one job (one read of them, one statement for their read requests, one to mark them), not one job each.
 */

/** Asks for the shop's next inventory-delivery batch (the webhook route, for each inventory_levels/update it stores). */
export const requestInventoryDeliveryBatch = (shop: string) => requestDeliveryBatch("inventoryWebhooks", shop);

/**
 * inventory_levels/update: something changed a level (a checkout, a fulfilment, the WMS, or the
 * OMS's own push). Re-read the item and push, except for the echo of our own push — the level's
 * available is exactly what the push left there — which would cost an Admin API read to learn
 * nothing (about 40 % of the inventory budget under load, bench/inventory-push.ts). One delivery
 * (a replay, or the requeue of one never queued); the route's deliveries come in batches below.
 */
export async function handleInventoryLevelWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const r = reportedBy(d);
  const requested = await requestLevelReadUnlessEcho(d.shop, r, new Date(now.getTime() - ECHO_WINDOW_MS), now);
  if (!requested) return "echo of the OMS's own push";
  await requestFlush(d.shop);
  return "level read requested";
}

/**
 * The inventory-webhooks job: the window's stored inventory_levels/update deliveries of a shop
 * (processDeliveryBatch), handled together as `handleInventoryLevelWebhook` handles one: read
 * requests for the levels named, in one statement, unless every change reported at a level is an echo.
 */
export async function processInventoryDeliveries(shop: string, now: Date): Promise<BatchReport & { levelsRequested: number }> {
  let levelsRequested = 0;
  const report = await processDeliveryBatch(
    shop,
    ["inventory_levels/update"],
    now,
    (after) => requestNextDeliveryBatch("inventoryWebhooks", shop, after),
    reportedBy,
    async (parsed) => {
      levelsRequested = await requestLevelReadsUnlessEcho(
        shop,
        parsed.map((p) => p.value),
        new Date(now.getTime() - ECHO_WINDOW_MS),
        now,
      );
    },
  );
  if (levelsRequested) await requestFlush(shop);
  return { ...report, levelsRequested };
}

/** The level a delivery names, the available it reports there and Shopify's time of it (null if the payload has none or an unreadable one). */
function reportedBy(d: StoredDelivery): LevelReportIn {
  const payload = inventoryLevelUpdateSchema.parse(parseJsonExact(d.body));
  const t = payload.updated_at ? new Date(payload.updated_at) : null;
  return { ...inventoryLevelIds(payload), available: payload.available ?? null, updatedAt: t && !Number.isNaN(t.getTime()) ? t : null };
}
