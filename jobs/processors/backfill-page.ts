import { findBackfill } from "~/.server/db/backfills";
import { backfillPage } from "~/.server/services/backfill-orders";
import type { Processor } from "~/.server/queue/worker";

export const backfillPageJob: Processor<"backfillPage"> = async (p, { now, progress }) => {
  const result = await backfillPage(p.shop, p.runId, p.cursor, now);
  // The run's share imported so far is this job's progress (the admin's progress bar reads it).
  const run = await findBackfill(p.runId);
  if (run && "total" in run && typeof run.total === "number" && run.total > 0) await progress?.((100 * run.imported) / run.total);
  return result;
};
