import { listUnqueued } from "~/.server/db/webhook-deliveries";
import { enqueue } from "~/.server/queue/queues";
import type { Processor } from "~/.server/queue/worker";

/** Deliveries stored while Redis was unreachable are queued here; the job id makes this idempotent. */
export const requeueDeliveriesJob: Processor<"requeueDeliveries"> = async (payload, { now }) => {
  const stale = await listUnqueued(new Date(now.getTime() - payload.olderThanSeconds * 1000), 500);
  for (const d of stale) await enqueue("processWebhook", { deliveryId: d.id, shop: d.shop });
  return { requeued: stale.length };
};
