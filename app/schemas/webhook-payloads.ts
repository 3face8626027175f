import { z } from "zod/v4";
import { numericId } from "./json";
import {
  cancellationRequestSchema,
  fulfillmentOrderEventSchema,
  fulfillmentPayloadSchema,
  orderEditedSchema,
  orderPayloadSchema,
  refundPayloadSchema,
  returnPayloadSchema,
} from "./shopify-order-payloads";

// Payload schemas per topic. Only what the OMS reads is required; Shopify adds fields over time and
// unknown fields pass through untouched (the raw body is stored anyway).

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

/**
 * inventory_levels/update carries ids only worth trusting from admin_graphql_api_id: numeric ids
 * above 2^53 lose precision in JSON, the GID keeps the exact item id as a parameter.
 */
export const inventoryLevelUpdateSchema = z
  .object({
    inventory_item_id: numericId,
    location_id: numericId,
    available: z.number().int().nullable().optional(),
    updated_at: z.string().nullable().optional(),
    admin_graphql_api_id: z.string().regex(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+/),
  })
  .passthrough();

/** The exact item and location GIDs of an inventory_levels/* payload. */
export function inventoryLevelIds(p: z.infer<typeof inventoryLevelUpdateSchema>): { inventoryItemId: string; locationId: string } {
  const m = /^gid:\/\/shopify\/InventoryLevel\/(\d+)\?inventory_item_id=(\d+)/.exec(p.admin_graphql_api_id)!;
  return { inventoryItemId: `gid://shopify/InventoryItem/${m[2]}`, locationId: `gid://shopify/Location/${m[1]}` };
}

/** orders/risk_assessment_changed: Shopify (or a risk app) assessed the order again; the order is re-read for it. */
export const riskAssessmentChangedSchema = z
  .object({
    risk_level: z.string().nullable(),
    order_id: z.union([z.number(), z.string()]).nullable(),
    admin_graphql_api_order_id: z.string().startsWith("gid://shopify/Order/").nullable(),
  })
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
  "orders/risk_assessment_changed": riskAssessmentChangedSchema,
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
  "fulfillment_orders/cancellation_request_submitted": cancellationRequestSchema,
  "fulfillment_orders/cancellation_request_accepted": cancellationRequestSchema,
  "fulfillment_orders/cancellation_request_rejected": cancellationRequestSchema,
  "fulfillment_orders/line_items_prepared_for_pickup": fulfillmentOrderEventSchema,
  "fulfillment_orders/scheduled_fulfillment_order_ready": fulfillmentOrderEventSchema,
  "fulfillments/create": fulfillmentPayloadSchema,
  "fulfillments/update": fulfillmentPayloadSchema,
  "refunds/create": refundPayloadSchema,
  "returns/request": returnPayloadSchema,
  "returns/approve": returnPayloadSchema,
  "returns/decline": returnPayloadSchema,
  "returns/cancel": returnPayloadSchema,
  "returns/close": returnPayloadSchema,
  "returns/reopen": returnPayloadSchema,
  "returns/update": returnPayloadSchema,
  "inventory_levels/update": inventoryLevelUpdateSchema,
} as const satisfies Record<string, z.ZodType>;

export type KnownTopic = keyof typeof payloadSchemas;
export const isKnownTopic = (t: string): t is KnownTopic => t in payloadSchemas;
