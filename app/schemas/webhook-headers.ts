import { z } from "zod";

/** The X-Shopify-* headers of a delivery. HMAC is checked before this runs. */
export const webhookHeadersSchema = z.object({
  topic: z.string().regex(/^[a-z_]+\/[a-z_]+$/, "not a Shopify topic"),
  shop: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/, "not a myshopify.com domain"),
  apiVersion: z.string().min(1),
  webhookId: z.string().min(1),
  eventId: z.string().min(1).nullable(),
  triggeredAt: z.coerce.date().nullable(),
});
export type WebhookHeaders = z.infer<typeof webhookHeadersSchema>;

/** What the acknowledgement reads of a request's headers: a fetch Headers, or node's (server.ts). */
export type HeaderReader = Pick<Headers, "get" | "forEach">;

export function readWebhookHeaders(h: HeaderReader) {
  return webhookHeadersSchema.safeParse({
    topic: h.get("x-shopify-topic"),
    shop: h.get("x-shopify-shop-domain"),
    apiVersion: h.get("x-shopify-api-version"),
    webhookId: h.get("x-shopify-webhook-id"),
    eventId: h.get("x-shopify-event-id"),
    triggeredAt: h.get("x-shopify-triggered-at"),
  });
}
