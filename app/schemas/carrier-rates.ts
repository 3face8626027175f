import { z } from "zod";

// Shopify's carrier-service rate request (REST shape). Ids arrive as JSON numbers that can exceed
// 2^53: the raw body's variant_id/product_id are quoted before parsing (quoteIds).
const place = z
  .object({
    country: z.string().length(2),
    postal_code: z.string().nullish(),
    province: z.string().nullish(),
    city: z.string().nullish(),
    latitude: z.number().nullish(),
    longitude: z.number().nullish(),
  })
  .passthrough();

export const rateRequestSchema = z.object({
  rate: z.object({
    origin: place.partial().passthrough(),
    destination: place,
    items: z
      .array(
        z
          .object({
            variant_id: z.string().regex(/^\d+$/).nullish(),
            quantity: z.number().int().positive(),
            price: z.number().int().nonnegative(),
            requires_shipping: z.boolean().optional(),
          })
          .passthrough(),
      )
      .min(1),
    currency: z.string().length(3),
    locale: z.string().optional(),
  }),
});
export type RateRequest = z.infer<typeof rateRequestSchema>;

/** "variant_id": 12345678901234567890 → "variant_id": "12345678901234567890" (before JSON.parse). */
export const quoteIds = (raw: string) => raw.replace(/"(variant_id|product_id)"\s*:\s*(\d+)/g, '"$1":"$2"');
