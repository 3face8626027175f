import { z } from "zod";

const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** The orders list's query string, parsed once at the edge. */
export const orderFiltersSchema = z.object({
  q: optional,
  channel: z.enum(["online_store", "pos", "draft", "import", "amazon", "other"]).optional().catch(undefined),
  state: optional,
  location: optional,
  exception: z.enum(["any", "none"]).optional().catch(undefined),
  from: z.coerce.date().optional().catch(undefined),
  to: z.coerce.date().optional().catch(undefined),
  after: optional,
});
export type OrderFiltersInput = z.infer<typeof orderFiltersSchema>;

export function parseOrderFilters(url: URL): OrderFiltersInput {
  return orderFiltersSchema.parse(Object.fromEntries(url.searchParams));
}
