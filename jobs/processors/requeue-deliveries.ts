import type { Processor } from "~/.server/queue/worker";
import { requeueUnqueuedDeliveries } from "~/.server/services/ops/requeue-deliveries";

/**
 * The safety net for deliveries stored but never queued: once a minute, those older than a minute.
 * (When Redis itself was down, the worker queues them as soon as it answers again: jobs/run-worker.ts.)
 */
export const requeueDeliveriesJob: Processor<"requeueDeliveries"> = async (payload, { now }) => {
  const requeued = await requeueUnqueuedDeliveries(new Date(now.getTime() - payload.olderThanSeconds * 1000));
  return { requeued };
};
