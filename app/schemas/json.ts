import { z } from "zod";

/**
 * JSON.parse that keeps integers above 2^53 exact: Shopify's numeric ids (orders, line items,
 * customers…) exceed it, and as JSON numbers two of them can round to the same value. Such an
 * integer is returned as its digits (a string), read from the source text (the reviver's
 * `context.source`, Node 22+). Every id schema accepts digits, so past parsing an id is a string.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value !== "number" || Number.isSafeInteger(value) || !Number.isInteger(value)) return value;
    if (context?.source === undefined) throw new Error("an integer above 2^53 cannot be read exactly without JSON.parse source access (Node 22+)");
    return /^-?\d+$/.test(context.source) ? context.source : value;
  });
}

/**
 * A Shopify numeric id, always as its decimal digits. A JSON number is accepted only while exact
 * (a rounded id would name another record); larger ones arrive as digits from parseJsonExact.
 */
export const numericId = z
  .union([z.number().int().refine(Number.isSafeInteger, "an id above 2^53 read as a JSON number has been rounded"), z.string().regex(/^\d+$/)])
  .transform((v) => String(v));
