import { backfillPage } from "~/.server/services/backfill-orders";
import type { Processor } from "~/.server/queue/worker";

export const backfillPageJob: Processor<"backfillPage"> = (p, { now }) => backfillPage(p.shop, p.runId, p.cursor, now);
