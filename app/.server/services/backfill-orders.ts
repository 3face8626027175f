import { advanceBackfill, completeBackfill, createBackfill, failBackfill, findBackfill, findRunningBackfill, switchToBulk } from "../db/backfills";
import { env } from "../env";
import { NonRetriableError } from "../errors";
import { enqueue } from "../queue/queues";
import { adminFor } from "../shopify/admin";
import { bulkOperationState, countOrders, readBulkResult, startOrderIdsBulkQuery } from "../shopify/bulk";
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
  if (!run || run.status !== "running") return { skipped: true };
  if (run.cursor !== cursor) {
    // This page is done (a repeat, or the retry of a run that stopped after recording it but before
    // queueing the next): the page the run is at is queued — a no-op while its job exists (one id
    // per run and cursor) — so a run never stays "running" with nothing left to run it.
    if (run.mode === "pages" && run.cursor !== null) await enqueue("backfillPage", { shop, runId, cursor: run.cursor });
    return { skipped: true };
  }
  const graphql = await adminFor(shop, "background");
  const search = backfillQuery(run.startedAt);
  if (cursor === null && run.mode === "pages") {
    // A large shop is read in one bulk operation instead of thousands of pages.
    const total = await countOrders(graphql, search);
    if (total > env().BACKFILL_BULK_THRESHOLD) {
      const started = await startOrderIdsBulkQuery(graphql, search);
      if ("error" in started) throw new Error(`bulk backfill could not start: ${started.error}`);
      await switchToBulk(runId, started.id, total);
      await enqueue("backfillBulk", { shop, runId, poll: 1 }, { delayMs: 1_000 });
      return { bulk: started.id, total };
    }
  }
  const page = await fetchOrderIdPage(graphql, search, cursor);
  for (const orderId of page.ids) {
    await enqueue("syncOrder", { shop, orderId, reason: `backfill-${runId}`, via: "backfill" });
  }
  if (await advanceBackfill(runId, cursor, page.next, page.ids.length, now)) {
    if (page.next) await enqueue("backfillPage", { shop, runId, cursor: page.next });
  }
  return { imported: page.ids.length, more: Boolean(page.next) };
}

const MAX_POLLS = 720; // an hour at the 5-second ceiling

/** Waits for the run's bulk operation, then queues a sync for every order id it returned. */
export async function backfillBulk(shop: string, runId: string, poll: number, now: Date) {
  const run = await findBackfill(runId);
  if (!run || run.status !== "running" || run.mode !== "bulk" || !run.bulkOperationId) return { skipped: true };
  const graphql = await adminFor(shop, "background");
  const state = await bulkOperationState(graphql, run.bulkOperationId);
  if (!state) throw new NonRetriableError(`bulk operation ${run.bulkOperationId} is gone`);
  if (state.status === "CREATED" || state.status === "RUNNING") {
    if (poll >= MAX_POLLS) {
      await failBackfill(runId, "bulk operation did not finish within an hour", now);
      return { failed: true };
    }
    await enqueue("backfillBulk", { shop, runId, poll: poll + 1 }, { delayMs: Math.min(5_000, 500 * poll) });
    return { waiting: state.status };
  }
  if (state.status !== "COMPLETED") {
    await failBackfill(runId, `bulk operation ${state.status.toLowerCase()}${state.errorCode ? ` (${state.errorCode})` : ""}`, now);
    return { failed: true };
  }
  const rows = state.url ? await readBulkResult(state.url) : [];
  for (const row of rows) await enqueue("syncOrder", { shop, orderId: row.id, reason: `backfill-${runId}`, via: "backfill" });
  await completeBackfill(runId, rows.length, now);
  return { imported: rows.length };
}
