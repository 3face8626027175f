import { z } from "zod";
import {
  fulfillmentOrderEventSchema,
  fulfillmentPayloadSchema,
  orderEditedSchema,
  orderPayloadSchema,
  refundPayloadSchema,
} from "./shopify-order-payloads";

// Payload schemas per topic. Only what the OMS reads is required; Shopify adds fields over time and
// unknown fields pass through untouched (the raw body is stored anyway).

const numericId = z.union([z.number().int(), z.string().regex(/^\d+$/)]);

export const appUninstalledSchema = z.object({ id: numericId, myshopify_domain: z.string().nullable().optional() }).passthrough();

export const shopRedactSchema = z.object({ shop_id: numericId, shop_domain: z.string() }).passthrough();

export const customersRedactSchema = z
  .object({
    shop_id: numericId,
    shop_domain: z.string(),
    customer: z.object({ id: numericId, email: z.string().nullable().optional(), phone: z.string().nullable().optional() }),
    orders_to_redact: z.array(numericId),
  })
  .passthrough();

export const customersDataRequestSchema = z
  .object({
    shop_id: numericId,
    shop_domain: z.string(),
    customer: z.object({ id: numericId, email: z.string().nullable().optional(), phone: z.string().nullable().optional() }),
    orders_requested: z.array(numericId),
    data_request: z.object({ id: numericId }),
  })
  .passthrough();

export const appScopesUpdateSchema = z
  .object({ id: numericId, previous: z.array(z.string()), current: z.array(z.string()), updated_at: z.string() })
  .passthrough();

/** Topics whose payload the OMS understands; any other topic is stored and flagged as unknown. */
export const payloadSchemas = {
  "app/uninstalled": appUninstalledSchema,
  "app/scopes_update": appScopesUpdateSchema,
  "shop/redact": shopRedactSchema,
  "customers/redact": customersRedactSchema,
  "customers/data_request": customersDataRequestSchema,
  "orders/create": orderPayloadSchema,
  "orders/updated": orderPayloadSchema,
  "orders/cancelled": orderPayloadSchema,
  "orders/edited": orderEditedSchema,
  "fulfillment_orders/order_routing_complete": fulfillmentOrderEventSchema,
  "fulfillment_orders/moved": fulfillmentOrderEventSchema,
  "fulfillment_orders/split": fulfillmentOrderEventSchema,
  "fulfillment_orders/merged": fulfillmentOrderEventSchema,
  "fulfillment_orders/placed_on_hold": fulfillmentOrderEventSchema,
  "fulfillment_orders/hold_released": fulfillmentOrderEventSchema,
  "fulfillment_orders/cancelled": fulfillmentOrderEventSchema,
  "fulfillment_orders/fulfillment_request_accepted": fulfillmentOrderEventSchema,
  "fulfillment_orders/rescheduled": fulfillmentOrderEventSchema,
  "fulfillment_orders/progress_reported": fulfillmentOrderEventSchema,
  "fulfillments/create": fulfillmentPayloadSchema,
  "fulfillments/update": fulfillmentPayloadSchema,
  "refunds/create": refundPayloadSchema,
} as const satisfies Record<string, z.ZodTypeAny>;

export type KnownTopic = keyof typeof payloadSchemas;
export const isKnownTopic = (t: string): t is KnownTopic => t in payloadSchemas;
