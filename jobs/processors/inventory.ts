import { installedShops } from "~/.server/db/shops";
import { enqueue } from "~/.server/queue/queues";
import type { Processor } from "~/.server/queue/worker";
import { flushLevelReads, syncItems } from "~/.server/services/inventory-sync";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { processInventoryDeliveries } from "~/.server/services/inventory-webhooks";

export const inventorySyncJob: Processor<"inventorySync"> = (p, { now }) => syncItems(p.shop, p.inventoryItemIds, now);

export const inventoryWebhooksJob: Processor<"inventoryWebhooks"> = (p, { now }) => processInventoryDeliveries(p.shop, now);

export const inventoryFlushJob: Processor<"inventoryFlush"> = (p, { now }) => flushLevelReads(p.shop, now);

export const inventoryReconcileJob: Processor<"inventoryReconcile"> = (p, { now, progress }) => reconcileStock(p.shop, now, progress);

/** The periodic full reconcile: one job per installed shop per period (the job id dedupes). */
export const inventoryScheduledJob: Processor<"inventoryScheduled"> = async (p, { now }) => {
  const period = Math.floor(now.getTime() / (p.everyMinutes * 60_000));
  const shops = await installedShops();
  for (const shop of shops) await enqueue("inventoryReconcile", { shop, reason: `scheduled-${period}` });
  return { shops: shops.length };
};
