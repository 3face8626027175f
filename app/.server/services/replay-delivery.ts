import { resetForReplay, setDeliveryStatus } from "../db/webhook-deliveries";
import { enqueue } from "../queue/queues";
import { validateBody } from "./record-webhook";

export type ReplayOutcome = { kind: "queued" } | { kind: "still-invalid"; reason: string } | { kind: "not-found" };

/**
 * Runs a stored delivery again, as it was received. Its body is re-validated against today's
 * schemas first: a delivery rejected by a schema that has since been fixed now goes through.
 */
export async function replayDelivery(shop: string, id: string): Promise<ReplayOutcome> {
  const d = await resetForReplay(id, shop);
  if (!d) return { kind: "not-found" };
  const problem = validateBody(d.topic, d.body);
  if (problem) {
    await setDeliveryStatus(d.id, "rejected", problem);
    return { kind: "still-invalid", reason: problem };
  }
  await setDeliveryStatus(d.id, "received", null);
  await enqueue("processWebhook", { deliveryId: d.id, shop }, { jobId: `delivery-${d.id}-replay-${d.attempts + 1}` });
  return { kind: "queued" };
}
