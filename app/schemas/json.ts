import { z } from "zod/v4";

/**
 * JSON.parse that keeps integers above 2^53 exact: Shopify's numeric ids (orders, line items,
 * customers…) exceed it, and as JSON numbers two of them can round to the same value. Such an
 * integer is returned as its digits (a string). Every id schema accepts digits, so past parsing an
 * id is a string.
 *
 * This runs on every webhook acknowledgement, so it avoids a reviver (which V8 calls for every
 * value, with its source text: ≈ 0.4 ms for an orders/create body): such integers are quoted in
 * the text first, then it is parsed once. Quoting never makes invalid JSON valid: a number and a
 * string are valid in the same places, except as an object's key, and a run followed by a colon is
 * left alone.
 */
export function parseJsonExact(text: string): unknown {
  return JSON.parse(quoteUnsafeIntegers(text));
}

/**
 * The text with every integer number above 2^53 (outside strings, not part of a fraction or an
 * exponent) in quotes. Candidates are runs of 16+ digits; whether one sits in a string follows from
 * the unescaped quotes before it, counted only up to the candidates.
 */
function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let copied = 0;
  let inString = false;
  let scanned = 0;
  for (const m of text.matchAll(LONG_DIGITS)) {
    const at = m.index;
    for (let q = text.indexOf('"', scanned); q !== -1 && q < at; q = text.indexOf('"', q + 1)) if (!escaped(text, q)) inString = !inString;
    scanned = at + m[0].length;
    if (inString) continue;
    const digits = m[0];
    const before = at > 0 ? text.charCodeAt(at - 1) : 32;
    const after = scanned < text.length ? text.charCodeAt(scanned) : 32;
    if (NOT_A_NUMBER_START.has(before) || after === 46 /* . */ || after === 101 /* e */ || after === 69 /* E */) continue;
    if (text.charCodeAt(afterSpace(text, scanned)) === 58 /* : */) continue;
    if (digits.charCodeAt(digits[0] === "-" ? 1 : 0) === 48 /* 0 */ || Number.isSafeInteger(Number(digits))) continue;
    out += `${text.slice(copied, at)}"${digits}"`;
    copied = scanned;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const LONG_DIGITS = /-?\d{16,}/g;
// Before a whole number: not a digit, a decimal point, an exponent or a sign (those make it part of
// another number).
const NOT_A_NUMBER_START = new Set([..."0123456789.eE+-"].map((c) => c.charCodeAt(0)));

/** The index of the first character at or after `i` that is not JSON whitespace. */
function afterSpace(text: string, i: number): number {
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  return i;
}

function escaped(text: string, quote: number): boolean {
  let n = 0;
  for (let i = quote - 1; i >= 0 && text.charCodeAt(i) === 92 /* \\ */; i--) n++;
  return n % 2 === 1;
}

/**
 * A Shopify numeric id, always as its decimal digits. A JSON number is accepted only while exact
 * (a rounded id would name another record); larger ones arrive as digits from parseJsonExact.
 */
export const numericId = z
  .union([z.number().int().refine(Number.isSafeInteger, "an id above 2^53 read as a JSON number has been rounded"), z.string().regex(/^\d+$/)])
  .transform((v) => String(v));
