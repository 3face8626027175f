import { quoteIds, rateRequestSchema } from "~/schemas/carrier-rates";
import { issuesOf, promiseRequestSchema } from "~/schemas/promise-api";
import { carrierRates } from "./carrier-rates";
import { quoteAnswer, unavailable } from "./quote-promise";

// What POST /api/promise and POST /carrier/rates answer once the caller is checked (the session
// token or the HMAC, and that the shop has the app): the body read, validated and answered. One
// code path for both ways in: the Remix routes (app/routes/api.promise.tsx, carrier.rates.tsx)
// and the lean path before Remix (lean-promise.ts), which differ only in how they check the caller.

export type EndpointAnswer = { status: number; headers: Record<string, string>; body: string };

const JSON_TYPE = "application/json";

/** The route's own CORS headers (on its refusals), which Shopify's checkout sandbox needs to read them. */
export const ROUTE_CORS = { "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Headers": "Authorization, Content-Type" };

/** A request body as text, as the Fetch API's request.text() reads it (UTF-8, byte order marks dropped). */
export function bodyText(body: Uint8Array): string {
  const bytes = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body;
  return decoder.decode(bytes);
}
const decoder = new TextDecoder();

/**
 * POST /api/promise for `shop`. `cors` says whose CORS headers the answer takes: the route's own
 * (a refusal) or the checkout library's (a promise, which the library also marks as its answer).
 */
export async function answerPromise(shop: string, raw: string): Promise<EndpointAnswer & { cors: "route" | "library" }> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { status: 400, headers: { "content-type": JSON_TYPE }, body: JSON.stringify({ error: "malformed", reasons: ["body: not JSON"] }), cors: "route" };
  }
  const parsed = promiseRequestSchema.safeParse(body);
  if (!parsed.success)
    return {
      status: 400,
      headers: { "content-type": JSON_TYPE },
      body: JSON.stringify({ error: "malformed", reasons: issuesOf(parsed.error) }),
      cors: "route",
    };

  const now = new Date();
  try {
    const { json, cache } = await quoteAnswer(shop, parsed.data, now);
    return { status: 200, headers: { "content-type": JSON_TYPE, "x-promise-cache": cache }, body: json, cors: "library" };
  } catch (e) {
    // The database or Redis failed: an honest "no date" rather than a 5xx the checkout would show as an error.
    console.error("promise failed", e);
    return {
      status: 200,
      headers: { "content-type": JSON_TYPE, "x-promise-cache": "error" },
      body: JSON.stringify(unavailable("dp_unavailable", now, "promise unavailable")),
      cors: "library",
    };
  }
}

/** POST /carrier/rates for `shop`: rates whose dates are the delivery promise, or none — never a wrong date, never a 5xx. */
export async function answerRates(shop: string, raw: string): Promise<EndpointAnswer> {
  let body: unknown;
  try {
    body = JSON.parse(quoteIds(raw));
  } catch {
    return { status: 400, headers: { "content-type": JSON_TYPE }, body: JSON.stringify({ error: "malformed", reasons: ["body: not JSON"] }) };
  }
  const parsed = rateRequestSchema.safeParse(body);
  if (!parsed.success)
    return {
      status: 400,
      headers: { "content-type": JSON_TYPE },
      body: JSON.stringify({ error: "malformed", reasons: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`) }),
    };
  let rates: Awaited<ReturnType<typeof carrierRates>> = [];
  try {
    rates = await carrierRates(shop, parsed.data, new Date());
  } catch (e) {
    console.error("carrier rates failed", e);
  }
  return { status: 200, headers: { "content-type": JSON_TYPE }, body: JSON.stringify({ rates }) };
}
