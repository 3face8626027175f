import { listUnqueued } from "../../db/webhook-deliveries";
import { enqueue } from "../../queue/queues";

const PAGE = 500;

/**
 * Hands to the queue every delivery still `received` that arrived before `olderThan` (stored while
 * Redis was down, or by a process killed before it enqueued). The job id is the delivery's, so a
 * delivery already queued is not queued twice, and processing a delivery twice changes nothing.
 */
export async function requeueUnqueuedDeliveries(olderThan: Date): Promise<number> {
  let requeued = 0;
  let after: { receivedAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listUnqueued(olderThan, PAGE, after);
    for (const d of page) await enqueue("processWebhook", { deliveryId: d.id, shop: d.shop });
    requeued += page.length;
    if (page.length < PAGE) return requeued;
    after = page[page.length - 1];
  }
}
