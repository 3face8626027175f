import { createHmac, timingSafeEqual } from "node:crypto";
import { isbot } from "isbot";
import { env } from "../../env";
import { verifyHmac } from "../../shopify/hmac";
import { knownInstalled } from "./installed-shops";
import { answerPromise, answerRates, bodyText, ROUTE_CORS } from "./promise-endpoints";

// The checkout's hot path, answered before Remix (server.ts): POST /api/promise and the
// carrier-rates callback, the token or HMAC checked here, then the route's own answer
// (promise-endpoints.ts: the body validated, the promise cached or computed — a miss from this
// process's copies of the data, promise-snapshot.ts). What is left to the Remix route: a shop this
// process has not seen (whether it has the app is read there), a bot, no token, a token this code
// is not sure about, a method other than POST. What is answered here is what the route would
// answer: same status, headers and body (test/promise-api.test.ts and test/carrier-rates.test.ts
// run their cases through both).

export type LeanRequest = { method: string; headers: Record<string, string | string[] | undefined>; body: Buffer };
export type LeanResponse = { status: number; headers: Record<string, string>; body: string };

const header = (r: LeanRequest, name: string): string | undefined => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

// authenticate.public.checkout's CORS: on errors the route's own (ROUTE_CORS); on answers the
// library's ensureCORSHeaders (only for a cross-origin request), which also exposes the re-authorize header.
const libraryCors = (r: LeanRequest): Record<string, string> => {
  const origin = header(r, "origin");
  return origin && origin !== env().SHOPIFY_APP_URL ? { ...ROUTE_CORS, "Access-Control-Expose-Headers": "X-Shopify-API-Request-Failure-Reauthorize-Url" } : {};
};
const JSON_TYPE = { "content-type": "application/json" };

/** POST /api/promise before Remix. */
export async function leanPromise(r: LeanRequest): Promise<LeanResponse | null> {
  if (r.method !== "POST") return null;
  const ua = header(r, "user-agent") ?? "";
  if (!/Shopify (POS|Mobile)\//.test(ua) && isbot(ua)) return null;
  const token = header(r, "authorization")?.replace("Bearer ", "");
  if (!token) return null;
  const checked = checkoutToken(token, env().SHOPIFY_API_SECRET, Date.now() / 1000);
  if (checked === "invalid") return { status: 401, headers: { ...ROUTE_CORS }, body: "" };
  if (checked === "unsure") return null;
  const shop = checked.dest.replace(/^https:\/\//, "").replace(/\/.*$/, "");
  const installed = knownInstalled(shop);
  if (installed === undefined) return null;
  if (!installed) return { status: 401, headers: { ...JSON_TYPE, ...ROUTE_CORS }, body: JSON.stringify({ error: "unknown shop" }) };
  const a = await answerPromise(shop, bodyText(r.body));
  return { status: a.status, headers: { ...a.headers, ...(a.cors === "route" ? ROUTE_CORS : libraryCors(r)) }, body: a.body };
}

/** POST /carrier/rates before Remix. */
export async function leanRates(r: LeanRequest): Promise<LeanResponse | null> {
  if (r.method !== "POST") return null;
  const raw = bodyText(r.body);
  if (!verifyHmac(raw, header(r, "x-shopify-hmac-sha256") ?? null, env().SHOPIFY_API_SECRET))
    return { status: 401, headers: { ...JSON_TYPE }, body: JSON.stringify({ error: "unauthorized" }) };
  const shop = header(r, "x-shopify-shop-domain") ?? "";
  const installed = knownInstalled(shop);
  if (installed === undefined) return null;
  if (!installed) return { status: 401, headers: { ...JSON_TYPE }, body: JSON.stringify({ error: "unknown shop" }) };
  return answerRates(shop, raw);
}

/**
 * The checks authenticate.public.checkout makes (Shopify's decodeSessionToken: jose's jwtVerify,
 * HS256 with the app secret, exp and nbf with 10 s of tolerance, no audience check). "invalid" for
 * what it surely rejects (a bad signature, expired, not yet valid), "unsure" for anything unusual
 * (a critical header, a claim of the wrong type, no dest) — the library decides those.
 */
const B64URL = /^[A-Za-z0-9_-]+$/;

export function checkoutToken(token: string, secret: string, nowSeconds: number): { dest: string } | "invalid" | "unsure" {
  const parts = token.split(".");
  if (parts.length !== 3) return "unsure";
  const [h, p, s] = parts as [string, string, string];
  // Node's base64url decoder skips characters jose refuses: anything but the alphabet is the library's call.
  if (!B64URL.test(h) || !B64URL.test(p) || !B64URL.test(s)) return "unsure";
  let head: { alg?: unknown; crit?: unknown; b64?: unknown };
  let claims: { exp?: unknown; nbf?: unknown; iat?: unknown; dest?: unknown };
  try {
    head = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  } catch {
    return "unsure";
  }
  if (!head || typeof head !== "object" || head.alg !== "HS256" || head.crit !== undefined || head.b64 !== undefined) return "unsure";
  const expected = createHmac("sha256", secret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) return "unsure";
  for (const c of [claims.exp, claims.nbf, claims.iat]) if (c !== undefined && typeof c !== "number") return "unsure";
  const now = Math.floor(nowSeconds);
  if (typeof claims.exp === "number" && claims.exp <= now - 10) return "invalid";
  if (typeof claims.nbf === "number" && claims.nbf > now + 10) return "invalid";
  if (typeof claims.dest !== "string" || !claims.dest) return "unsure";
  return { dest: claims.dest };
}
