import { queue } from "~/.server/queue/queues";
import { jobs } from "~/.server/queue/definitions";

/** Repeating jobs. bull keys repeats by name + cron, so re-registering on every start is harmless. */
export async function registerSchedules(): Promise<void> {
  const def = jobs.requeueDeliveries;
  await queue(def.queue).add(def.name, { olderThanSeconds: 60 }, { repeat: { every: 60_000 }, jobId: def.jobId({ olderThanSeconds: 60 }) });
}
