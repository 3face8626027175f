// Session tokens as Shopify admin and App Bridge issue them: HS256 JWTs signed with the app secret.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

const b64url = (s: string | Buffer) => Buffer.from(s).toString("base64url");

export function mintSessionToken(o: { shop: string; apiKey: string; apiSecret: string; userId?: number; now: Date; ttlSeconds?: number }): string {
  const iat = Math.floor(o.now.getTime() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({
      iss: `https://${o.shop}/admin`,
      dest: `https://${o.shop}`,
      aud: o.apiKey,
      sub: String(o.userId ?? 1),
      exp: iat + (o.ttlSeconds ?? 60),
      nbf: iat,
      iat,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", o.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

export type SessionClaims = { iss: string; dest: string; aud: string; sub?: string; exp: number; nbf: number };

/** Verifies signature, algorithm, audience and time window (5 s of clock leeway, as Shopify's libraries allow). */
export function verifySessionToken(token: string, apiKey: string, apiSecret: string, now: Date): SessionClaims | { error: string } {
  const parts = token.split(".");
  if (parts.length !== 3) return { error: "malformed token" };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: SessionClaims;
  try {
    header = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
  } catch {
    return { error: "malformed token" };
  }
  if (header.alg !== "HS256") return { error: "unsupported algorithm" };
  const expected = createHmac("sha256", apiSecret).update(`${h}.${p}`).digest();
  const given = Buffer.from(s, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { error: "signature mismatch" };
  const t = now.getTime() / 1000;
  if (claims.exp + 5 < t) return { error: "token expired" };
  if (claims.nbf - 5 > t) return { error: "token not yet valid" };
  if (claims.aud !== apiKey) return { error: "wrong audience" };
  if (!/^https:\/\/[a-z0-9-]+\.myshopify\.com$/.test(claims.dest)) return { error: "bad destination" };
  return claims;
}

/**
 * A checkout UI extension's session token (`shopify.sessionToken.get()`): HS256 with the app
 * secret, `dest` the shop's domain, `aud` the app's client id, a five-minute lifetime, and `sub`
 * the customer's GID only when the buyer is logged in.
 */
export function mintCheckoutToken(o: { shop: string; apiKey: string; apiSecret: string; now: Date; customerId?: string; ttlSeconds?: number }): string {
  const iat = Math.floor(o.now.getTime() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims: Record<string, unknown> = { dest: o.shop, aud: o.apiKey, exp: iat + (o.ttlSeconds ?? 300), nbf: iat, iat, jti: randomUUID() };
  if (o.customerId) claims.sub = o.customerId;
  const payload = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", o.apiSecret).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}
