import { latestBackfill } from "../../db/backfills";
import { jobsInProgress } from "../../queue/job-progress";

const LABELS: Record<string, string> = {
  "inventory-reconcile": "Full inventory reconcile",
  "backfill-page": "Order backfill",
  "backfill-bulk": "Order backfill (bulk)",
  "sync-order": "Order re-sync",
  "sourcing-what-if": "Sourcing what-if",
  "resync-orders": "Re-read open orders from Shopify",
};

/**
 * Long work in progress for a shop, each with the progress its job reported (bull job.progress):
 * the full inventory reconcile, the order backfill (the run's share imported), resyncs queued by
 * replays, the sourcing what-if and the resync of open orders (started in the admin).
 */
export async function longWork(shop: string) {
  const [reconcile, pages, bulk, whatIf, resync, backfill] = await Promise.all([
    jobsInProgress("inventory-reconcile", ["inventory-reconcile"]),
    jobsInProgress("backfill-pages", ["backfill-page"]),
    jobsInProgress("backfill-bulk", ["backfill-bulk"]),
    jobsInProgress("sourcing-what-if", ["sourcing-what-if"]),
    jobsInProgress("resync-orders", ["resync-orders"]),
    latestBackfill(shop),
  ]);
  const mine = [...reconcile, ...pages, ...bulk, ...whatIf, ...resync].filter((j) => j.data.shop === shop);
  const rows = mine.map((j) => ({ id: j.id, label: LABELS[j.name] ?? j.name, state: j.state, progress: j.progress }));
  if (backfill && backfill.status === "running" && !rows.some((r) => r.label.startsWith("Order backfill"))) {
    const total = (backfill as { total?: number | null }).total ?? null;
    rows.push({ id: backfill.id, label: "Order backfill", state: "active", progress: total ? Math.round((100 * backfill.imported) / total) : 0 });
  }
  return rows;
}
