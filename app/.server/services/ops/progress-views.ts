import { latestBackfill } from "../../db/backfills";
import { jobsInProgress } from "../../queue/job-progress";

const LABELS: Record<string, string> = {
  "inventory-reconcile": "Full inventory reconcile",
  "backfill-page": "Order backfill",
  "backfill-bulk": "Order backfill (bulk)",
  "sync-order": "Order re-sync",
};

/**
 * Long work in progress for a shop, each with the progress its job reported (bull job.progress):
 * the full inventory reconcile, the order backfill (the run's share imported), resyncs queued by
 * replays. The sourcing what-if runs inside its request and has no job to follow.
 */
export async function longWork(shop: string) {
  const [reconcile, pages, bulk, backfill] = await Promise.all([
    jobsInProgress("inventory-reconcile", ["inventory-reconcile"]),
    jobsInProgress("backfill-pages", ["backfill-page"]),
    jobsInProgress("backfill-bulk", ["backfill-bulk"]),
    latestBackfill(shop),
  ]);
  const mine = [...reconcile, ...pages, ...bulk].filter((j) => j.data.shop === shop);
  const rows = mine.map((j) => ({ id: j.id, label: LABELS[j.name] ?? j.name, state: j.state, progress: j.progress }));
  if (backfill && backfill.status === "running" && !rows.some((r) => r.label.startsWith("Order backfill"))) {
    const total = (backfill as { total?: number | null }).total ?? null;
    rows.push({ id: backfill.id, label: "Order backfill", state: "active", progress: total ? Math.round((100 * backfill.imported) / total) : 0 });
  }
  return rows;
}
