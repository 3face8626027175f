import { cancellationRequestSchema } from "~/schemas/shopify-order-payloads";
import type { StoredDelivery } from "../../db/webhook-deliveries";
import { continueCancellation } from "./cancel";

/** fulfillment_orders/cancellation_request_{accepted,rejected}: the answer a waiting cancel needs. */
export async function handleCancellationAnswer(d: StoredDelivery, now: Date): Promise<string> {
  const p = cancellationRequestSchema.parse(JSON.parse(d.body));
  return continueCancellation(d.shop, p.fulfillment_order.id, d.topic.endsWith("_accepted"), p.message || null, now);
}
