import { z } from "zod/v4";
import { numericId } from "./json";

// REST-shaped order webhook payloads (orders/create, orders/updated, orders/cancelled): only the
// fields the OMS reads are declared. The order schemas drop the rest from the parsed value (they
// stay in the stored raw body): every delivery is validated on its acknowledgement, and copying
// an order's hundred-odd other fields doubled the validation's cost. The other payloads pass theirs through.

const id = numericId;
const money = z.union([z.string(), z.number()]).transform((v) => String(v));
const nullableString = z.string().nullable().optional();

export const addressSchema = z.object({
  first_name: nullableString,
  last_name: nullableString,
  name: nullableString,
  company: nullableString,
  address1: nullableString,
  address2: nullableString,
  city: nullableString,
  province: nullableString,
  province_code: nullableString,
  zip: nullableString,
  country: nullableString,
  country_code: nullableString,
  phone: nullableString,
  latitude: z.number().nullable().optional(),
  longitude: z.number().nullable().optional(),
});

export const orderLineSchema = z.object({
  id,
  admin_graphql_api_id: z.string().optional(),
  sku: nullableString,
  title: z.string(),
  name: nullableString,
  variant_id: id.nullable().optional(),
  quantity: z.number().int().nonnegative(),
  current_quantity: z.number().int().nonnegative().optional(),
  price: money,
});

export const orderPayloadSchema = z.object({
  id,
  admin_graphql_api_id: z.string().startsWith("gid://shopify/Order/"),
  name: z.string(),
  created_at: z.string().datetime({ offset: true }),
  updated_at: z.string().datetime({ offset: true }),
  cancelled_at: z.string().datetime({ offset: true }).nullable().optional(),
  cancel_reason: nullableString,
  financial_status: nullableString,
  fulfillment_status: nullableString,
  currency: z.string().length(3),
  current_total_price: money.optional(),
  total_price: money,
  email: nullableString,
  contact_email: nullableString,
  source_name: nullableString,
  tags: z.string().optional().default(""),
  customer: z.object({ first_name: nullableString, last_name: nullableString }).nullable().optional(),
  shipping_address: addressSchema.nullable().optional(),
  line_items: z.array(orderLineSchema),
  // A carrier-calculated rate's code carries the delivery promise ("standard.dp_…").
  shipping_lines: z
    .array(z.object({ code: z.string().nullish() }))
    .optional()
    .default([]),
  // Cart attributes (the delivery promise travels in one); values are strings, possibly null.
  note_attributes: z
    .array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullable() }))
    .optional()
    .default([]),
});
export type OrderPayload = z.infer<typeof orderPayloadSchema>;

export const orderEditedSchema = z
  .object({ order_edit: z.object({ id, order_id: id, committed_at: z.string().nullable().optional() }).passthrough() })
  .passthrough();

const foRef = z.object({ id: z.string().startsWith("gid://shopify/FulfillmentOrder/"), status: z.string() }).passthrough();

/** Every fulfillment_orders/* payload names at least one fulfillment order; that is all intake needs. */
export const fulfillmentOrderEventSchema = z
  .object({
    fulfillment_order: foRef.optional(),
    original_fulfillment_order: foRef.optional(),
    moved_fulfillment_order: foRef.nullable().optional(),
    remaining_fulfillment_order: foRef.nullable().optional(),
    fulfillment_order_merges: z.object({ fulfillment_order: foRef }).passthrough().optional(),
  })
  .passthrough()
  .refine((p) => Boolean(fulfillmentOrderIdOf(p)), "no fulfillment order in payload");
export type FulfillmentOrderEvent = z.infer<typeof fulfillmentOrderEventSchema>;

/** fulfillment_orders/cancellation_request_{submitted,accepted,rejected}: a fulfilment service's answer and its message. */
export const cancellationRequestSchema = z
  .object({
    fulfillment_order: z
      .object({ id: z.string().startsWith("gid://shopify/FulfillmentOrder/"), status: z.string(), request_status: z.string().optional() })
      .passthrough(),
    message: z.string().optional(),
  })
  .passthrough();

type FoRefs = {
  fulfillment_order?: { id: string };
  original_fulfillment_order?: { id: string };
  fulfillment_order_merges?: { fulfillment_order: { id: string } };
};
/** The fulfillment order a fulfillment_orders/* payload is about (its order is looked up from it). */
export function fulfillmentOrderIdOf(p: FoRefs): string | undefined {
  return p.fulfillment_order?.id ?? p.original_fulfillment_order?.id ?? p.fulfillment_order_merges?.fulfillment_order.id;
}

export const fulfillmentPayloadSchema = z
  .object({
    id,
    order_id: id,
    status: z.string(),
    shipment_status: nullableString,
    tracking_company: nullableString,
    tracking_number: nullableString,
    tracking_numbers: z.array(z.string()).optional(),
    tracking_url: nullableString,
    created_at: z.string(),
    updated_at: z.string(),
    location_id: id.nullable().optional(),
  })
  .passthrough();
export type FulfillmentPayload = z.infer<typeof fulfillmentPayloadSchema>;

export const refundPayloadSchema = z
  .object({
    id,
    order_id: id,
    created_at: z.string(),
    note: nullableString,
    admin_graphql_api_id: z.string().optional(),
    transactions: z.array(z.object({ kind: z.string(), status: z.string(), amount: money, currency: z.string().nullable().optional() }).passthrough()),
    refund_line_items: z.array(z.object({ line_item_id: id, quantity: z.number().int() }).passthrough()),
  })
  .passthrough();
export type RefundPayload = z.infer<typeof refundPayloadSchema>;

/** returns/request, approve, decline, cancel, close, reopen, update: the return's id (and its order, on most). */
export const returnPayloadSchema = z
  .object({
    id: id.optional(),
    admin_graphql_api_id: z.string(),
    // returns/update carries only what changed (no status)
    status: z.string().optional(),
    order: z.object({ id, admin_graphql_api_id: z.string() }).optional(),
    order_id: id.optional(),
  })
  .passthrough();
export type ReturnPayload = z.infer<typeof returnPayloadSchema>;

/** What the finance ledger needs of refunds/create beyond the timeline's fields. */
export const refundFinanceSchema = z
  .object({
    admin_graphql_api_id: z.string(),
    processed_at: z.string().nullable().optional(),
    created_at: z.string(),
    note: nullableString,
    return: z.object({ admin_graphql_api_id: z.string() }).passthrough().nullable().optional(),
    refund_shipping_lines: z
      .array(
        z
          .object({
            subtotal_amount_set: z
              .object({ shop_money: z.object({ amount: money, currency_code: z.string() }) })
              .passthrough()
              .optional(),
          })
          .passthrough(),
      )
      .default([]),
    transactions: z.array(
      z
        .object({ admin_graphql_api_id: z.string(), kind: z.string(), status: z.string(), gateway: z.string().nullable().optional(), amount: money })
        .passthrough(),
    ),
  })
  .passthrough();
