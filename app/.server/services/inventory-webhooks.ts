import { inventoryLevelIds, inventoryLevelUpdateSchema } from "~/schemas/webhook-payloads";
import { requestLevelReadUnlessEcho, requestLevelReadsUnlessEcho, type LevelKey } from "../db/stock";
import { markReceivedDeliveries, pendingDeliveriesOf, type StoredDelivery } from "../db/webhook-deliveries";
import { enqueueForWindow } from "../queue/queues";
import { requestFlush } from "./inventory-sync";
import { parseJsonExact } from "~/schemas/json";

/** How long after a push its own inventory_levels/update is recognised as the echo. */
const ECHO_WINDOW_MS = 60_000;
/**
 * inventory_levels/update comes about twice per order (the checkout's commit, a move's) plus the
 * echo of every push: the deliveries a shop stores within a window of this length are handled by
 * one job (one read of them, one statement for their read requests, one to mark them), not one job each.
 */
const BATCH_WINDOW_MS = 250;
/** Deliveries one batch handles before it hands the rest to the next window. */
const BATCH_SIZE = 500;

/** Asks for the shop's next inventory-delivery batch (the webhook route, for each inventory_levels/update it stores). */
export const requestInventoryDeliveryBatch = (shop: string) => enqueueForWindow("inventoryWebhooks", BATCH_WINDOW_MS, (window) => ({ shop, reason: window }));

/**
 * inventory_levels/update: something changed a level (a checkout, a fulfilment, the WMS, or the
 * OMS's own push). Re-read the item and push, except for the echo of our own push — the level's
 * available is exactly what the push left there — which would cost an Admin API read to learn
 * nothing (about 40 % of the inventory budget under load, bench/inventory-push.ts). One delivery
 * (a replay, or the requeue of one never queued); the route's deliveries come in batches below.
 */
export async function handleInventoryLevelWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const r = reportedBy(d);
  const requested = await requestLevelReadUnlessEcho(d.shop, r, r.available, new Date(now.getTime() - ECHO_WINDOW_MS), now);
  if (!requested) return "echo of the OMS's own push";
  await requestFlush(d.shop);
  return "level read requested";
}

/**
 * The inventory-webhooks job: the shop's stored inventory_levels/update deliveries, oldest first,
 * handled together as `handleInventoryLevelWebhook` handles one — read requests for the levels
 * named (unless all a level's changes are echoes), then the deliveries marked processed (each only
 * while still received: a replay or another batch that took it first is left alone). Like one by
 * one: a shop without the app keeps them, flagged not_installed; a body that no longer parses
 * (validated when stored, so only after a schema change) is rejected with the reason.
 */
export async function processInventoryDeliveries(
  shop: string,
  now: Date,
): Promise<{ deliveries: number; levelsRequested: number; rejected: number; notInstalled: number; more: boolean }> {
  const { deliveries, more } = await pendingDeliveriesOf(shop, "inventory_levels/update", BATCH_SIZE);
  const report = { deliveries: deliveries.length, levelsRequested: 0, rejected: 0, notInstalled: 0, more };
  if (!deliveries.length) return report;
  if (more) await requestInventoryDeliveryBatch(shop);
  if (!deliveries[0]!.installed) {
    report.notInstalled = await markReceivedDeliveries(
      deliveries.map((d) => d.id),
      "not_installed",
      now,
      "the app is not installed on this shop (never installed, or uninstalled): nothing was created",
    );
    return report;
  }
  const reported: (LevelKey & { available: number | null })[] = [];
  const handled: string[] = [];
  for (const d of deliveries) {
    try {
      reported.push(reportedBy(d));
      handled.push(d.id);
    } catch (e) {
      report.rejected += await markReceivedDeliveries(
        [d.id],
        "rejected",
        now,
        `payload does not match ${d.topic}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  report.levelsRequested = await requestLevelReadsUnlessEcho(shop, reported, new Date(now.getTime() - ECHO_WINDOW_MS), now);
  await markReceivedDeliveries(handled, "processed", now);
  if (report.levelsRequested) await requestFlush(shop);
  return report;
}

/** The level a delivery names and the available it reports there. */
function reportedBy(d: StoredDelivery): LevelKey & { available: number | null } {
  const payload = inventoryLevelUpdateSchema.parse(parseJsonExact(d.body));
  return { ...inventoryLevelIds(payload), available: payload.available ?? null };
}
