import { openShopifyOrderIds } from "../../db/order-queries";
import { recordAudit } from "../../db/promise";
import { jobs } from "../../queue/definitions";
import { latestJobFor } from "../../queue/job-progress";
import { enqueue } from "../../queue/queues";
import { syncOrderFromShopify } from "../sync-order";

export type ResyncResult = { orders: number; synced: number; failed: string[] };

/**
 * Starts a resync of the shop's open orders (a job: resyncOrders), audited with the staff member
 * who asked. A second click while one is queued or running is the same job (one per minute).
 */
export async function startResync(shop: string, actor: string, now: Date) {
  const runId = `m${Math.floor(now.getTime() / 60_000)}`;
  const running = await latestJobFor("resync-orders", jobs.resyncOrders.name, shop);
  if (running && (running.state === "active" || running.state === "waiting")) return { jobId: running.id, started: false };
  await enqueue("resyncOrders", { shop, runId, actor });
  await recordAudit(shop, { at: now, actor, subject: "orders-resync", summary: "Re-read the open orders from Shopify", data: { runId } });
  return { jobId: jobs.resyncOrders.jobId({ shop, runId, actor }), started: true };
}

/**
 * Re-reads every open Shopify order of the shop through the order sync (the same read and apply a
 * webhook's sync does, so it is idempotent), reporting progress as the share of orders read. An
 * order Shopify no longer has, or that fails to read, is named in the result and the rest go on.
 */
export async function resyncOpenOrders(shop: string, now: Date, progress?: (percent: number) => Promise<unknown>): Promise<ResyncResult> {
  const ids = await openShopifyOrderIds(shop);
  const failed: string[] = [];
  let synced = 0;
  for (const [i, orderId] of ids.entries()) {
    try {
      await syncOrderFromShopify(shop, { orderId }, "resync", now);
      synced++;
    } catch (e) {
      failed.push(`${orderId}: ${e instanceof Error ? e.message : String(e)}`);
    }
    await progress?.((100 * (i + 1)) / ids.length);
  }
  await progress?.(100);
  return { orders: ids.length, synced, failed };
}

/** The shop's latest resync: running with its progress, or done with what it read. */
export async function resyncRun(shop: string) {
  const j = await latestJobFor("resync-orders", jobs.resyncOrders.name, shop);
  return j ? { id: j.id, state: j.state, progress: j.progress, result: (j.result as ResyncResult | null) ?? null } : null;
}
