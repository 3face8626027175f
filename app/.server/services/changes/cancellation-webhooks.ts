import { cancellationRequestSchema } from "~/schemas/shopify-order-payloads";
import type { StoredDelivery } from "../../db/webhook-deliveries";
import { handleFulfillmentOrderWebhook } from "../order-webhooks";
import { continueCancellation } from "./cancel";

const NOTHING_WAITING = new Set(["no cancellation waiting", "fulfilment order not known", "order not known"]);

/**
 * fulfillment_orders/cancellation_request_{accepted,rejected}: the answer a waiting cancel needs.
 * An answer to a request the OMS did not make (sent from Shopify admin) is a fulfilment-order
 * change like any other: the order's fulfilment side is read again.
 */
export async function handleCancellationAnswer(d: StoredDelivery, now: Date): Promise<string> {
  const p = cancellationRequestSchema.parse(JSON.parse(d.body));
  const r = await continueCancellation(d.shop, p.fulfillment_order.id, d.topic.endsWith("_accepted"), p.message || null, now);
  return NOTHING_WAITING.has(r) ? handleFulfillmentOrderWebhook(d) : r;
}
