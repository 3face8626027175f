import { z } from "zod";

// What the checkout extension (and the product page) send to ask for a delivery promise.
const gid = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`), `must be a ${type} GID`);

export const promiseRequestSchema = z
  .object({
    lines: z
      .array(
        z.object({
          variantId: gid("ProductVariant"),
          quantity: z.number().int().positive().max(10_000),
          unitPriceMinor: z.number().int().nonnegative().max(1e12).optional(),
        }),
      )
      .min(1, "a cart has at least one line")
      .max(250),
    address: z.object({
      countryCode: z
        .string()
        .regex(/^[A-Za-z]{2}$/, "must be an ISO country code")
        .transform((s) => s.toUpperCase()),
      provinceCode: z
        .string()
        .max(10)
        .nullish()
        .transform((s) => (s ? s.toUpperCase() : null)),
      zip: z
        .string()
        .max(20)
        .nullish()
        .transform((s) => s ?? null),
      latitude: z.number().min(-90).max(90).nullish(),
      longitude: z.number().min(-180).max(180).nullish(),
    }),
  })
  .strict();

export type PromiseApiRequest = z.infer<typeof promiseRequestSchema>;

/** "lines.0.quantity: Expected number, received string" — the reason a 400 gives. */
export const issuesOf = (e: z.ZodError) => e.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`);

/** The `_delivery_promise` cart attribute the checkout extension (or the rate callback) attaches. */
export const PROMISE_ATTRIBUTE = "_delivery_promise";
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const attachedPromiseSchema = z
  .object({ id: z.string().min(1).max(64), m: z.string().max(40).nullish(), e: day, l: day, z: z.string().max(12).nullish() })
  .refine((p) => p.e <= p.l, "earliest after latest");
export type AttachedPromise = z.infer<typeof attachedPromiseSchema>;
