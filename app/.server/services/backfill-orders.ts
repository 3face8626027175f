import { advanceBackfill, createBackfill, findBackfill, findRunningBackfill } from "../db/backfills";
import { enqueue } from "../queue/queues";
import { adminFor } from "../shopify/admin";
import { fetchOrderIdPage } from "../shopify/order-sync";

const DAY = 24 * 60 * 60 * 1000;

/**
 * Which orders a backfill imports: every order still open, and everything from the last 60 days
 * (Shopify's default read_orders window; older ones need read_all_orders).
 */
export function backfillQuery(now: Date): string {
  const since = new Date(now.getTime() - 60 * DAY).toISOString().slice(0, 10);
  return `status:open OR created_at:>=${since}`;
}

/** Starts a backfill unless one is already running for the shop (then that one is returned). */
export async function startBackfill(shop: string, now: Date) {
  const running = await findRunningBackfill(shop);
  if (running) return { run: running, started: false };
  const run = await createBackfill(shop, now);
  await enqueue("backfillPage", { shop, runId: run.id, cursor: null });
  return { run, started: true };
}

/**
 * One page: read 50 order ids from the Admin API, queue a sync for each (idempotent per run and
 * order), record progress, queue the next page. A crash anywhere repeats this page, never skips one.
 */
export async function backfillPage(shop: string, runId: string, cursor: string | null, now: Date) {
  const run = await findBackfill(runId);
  if (!run || run.status !== "running" || run.cursor !== cursor) return { skipped: true };
  const graphql = await adminFor(shop);
  const page = await fetchOrderIdPage(graphql, backfillQuery(run.startedAt), cursor);
  for (const orderId of page.ids) {
    await enqueue("syncOrder", { shop, orderId, reason: `backfill-${runId}`, via: "backfill" });
  }
  if (await advanceBackfill(runId, cursor, page.next, page.ids.length, now)) {
    if (page.next) await enqueue("backfillPage", { shop, runId, cursor: page.next });
  }
  return { imported: page.ids.length, more: Boolean(page.next) };
}
