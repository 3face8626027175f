import { backfillBulk } from "~/.server/services/backfill-orders";
import type { Processor } from "~/.server/queue/worker";

export const backfillBulkJob: Processor<"backfillBulk"> = (p, { now }) => backfillBulk(p.shop, p.runId, p.poll, now);
