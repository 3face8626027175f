// /api/customer-returns: what the customer-returns extension may send.
import { z } from "zod";

export const CUSTOMER_REASONS = ["size_too_small", "size_too_large", "unwanted", "not_as_described", "wrong_item", "defective", "other"] as const;
export const orderGidSchema = z.string().regex(/^gid:\/\/shopify\/Order\/\d+$/, "must be an Order GID");

export const customerReturnRequestSchema = z
  .object({
    /** One per submit the customer makes (the extension makes it when the form opens): a retried submit is the same request. */
    requestKey: z
      .string()
      .min(8)
      .max(100)
      .regex(/^[\w-]+$/, "letters, digits, - and _ only"),
    orderId: orderGidSchema,
    lines: z
      .array(
        z
          .object({
            fulfillmentLineItemId: z.string().regex(/^gid:\/\/shopify\/FulfillmentLineItem\/\d+$/, "must be a FulfillmentLineItem GID"),
            quantity: z.number().int().positive().max(1000),
          })
          .strict(),
      )
      .min(1, "choose at least one item")
      .max(100),
    reason: z.enum(CUSTOMER_REASONS),
    note: z.string().trim().max(500).nullish(),
  })
  .strict();
export type CustomerReturnRequestBody = z.infer<typeof customerReturnRequestSchema>;
