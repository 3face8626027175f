import { listUnqueued } from "../../db/webhook-deliveries";
import { enqueue } from "../../queue/queues";
import { batchOf } from "../record-webhook";

const PAGE = 500;

/**
 * Hands to the queue every delivery still `received` that arrived before `olderThan` (stored while
 * Redis was down, or by a process killed before it enqueued). The job id is the delivery's, so a
 * delivery already queued is not queued twice, and processing a delivery twice changes nothing.
 * `batches` (a worker starting, Redis back after an outage): a delivery of a topic handled in
 * batches asks for its shop's batch job instead (a batch takes up to 500 of the shop's backlog, and
 * a full one asks for the next), as the webhook route would have: a backlog left by a
 * restart under load is taken in as fast as it came, not one delivery at a time. The minute sweep
 * (without `batches`) stays one by one: a delivery no batch could take is still taken alone.
 */
export async function requeueUnqueuedDeliveries(olderThan: Date, opts: { batches?: boolean } = {}): Promise<number> {
  let requeued = 0;
  let after: { receivedAt: Date; id: string } | undefined;
  for (;;) {
    const page = await listUnqueued(olderThan, PAGE, after);
    for (const d of page) {
      // A batch request is made once per shop and window (requestDeliveryBatch): repeats cost nothing.
      const batch = opts.batches ? batchOf(d.topic) : undefined;
      await (batch ? batch(d.shop) : enqueue("processWebhook", { deliveryId: d.id, shop: d.shop }));
    }
    requeued += page.length;
    if (page.length < PAGE) return requeued;
    after = page[page.length - 1];
  }
}
