import { z } from "zod";
import type { StaffAction } from "~/domain/staff/actions";

// The order page's change forms, validated once at the edge.
const key = z.string().min(8).max(200);
const line = z.string().startsWith("gid://shopify/LineItem/");

export const changeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("cancel-order"), key }),
  z.object({ intent: z.literal("cancel-line"), key, lineItemId: line, quantity: z.coerce.number().int().min(1).max(10_000) }),
  z.object({
    intent: z.literal("change-address"),
    key,
    address1: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(100),
    provinceCode: z.string().trim().min(1).max(10),
    zip: z.string().trim().min(1).max(20),
    countryCode: z.string().trim().length(2).toUpperCase(),
  }),
  z.object({
    intent: z.literal("substitute"),
    key,
    lineItemId: line,
    variantId: z.string().startsWith("gid://shopify/ProductVariant/"),
    quantity: z.coerce.number().int().min(1).max(10_000),
    customerAgreed: z.literal("yes").optional(),
  }),
  z.object({ intent: z.literal("wait-for-stock"), key, lineItemId: line }),
]);
export type ChangeForm = z.infer<typeof changeSchema>;

/** The staff action each change is: what requireStaffAction checks and audits. */
export const STAFF_ACTION_OF = {
  "cancel-order": "order.cancel",
  "cancel-line": "order.edit",
  "change-address": "order.change_address",
  substitute: "order.substitute",
  "wait-for-stock": "exceptions.work",
} as const satisfies Record<ChangeForm["intent"], StaffAction>;
