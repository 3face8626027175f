import { createHmac, timingSafeEqual } from "node:crypto";

/** Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the app's client secret. */
export function signBody(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export function verifyHmac(rawBody: string | Buffer, header: string | null, secret: string): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(rawBody, secret), "base64");
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
