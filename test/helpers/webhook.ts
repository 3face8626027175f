import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { signBody } from "~/.server/shopify/hmac";

/** The contracts the project carries (dev/contracts, provenance in its README). */
export const CONTRACTS = path.resolve(__dirname, "../../dev/contracts");
export const TEST_SECRET = process.env.SHOPIFY_API_SECRET ?? "oms-dev-api-secret-not-for-production";

/** A real example payload from dev/contracts/shopify/webhooks, as raw text. */
export function samplePayload(topic: string): string {
  return readFileSync(path.join(CONTRACTS, "shopify", "webhooks", `${topic}.json`), "utf8");
}

/** A request exactly as Shopify delivers it (all X-Shopify-* headers, HMAC over the raw body). */
export function webhookRequest(
  topic: string,
  body: string,
  opts: { shop?: string; webhookId?: string; hmac?: string; omit?: string[]; secret?: string } = {},
): Request {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-shopify-topic": topic,
    "x-shopify-hmac-sha256": opts.hmac ?? signBody(body, opts.secret ?? TEST_SECRET),
    "x-shopify-shop-domain": opts.shop ?? "test-shop.myshopify.com",
    "x-shopify-api-version": "2026-04",
    "x-shopify-webhook-id": opts.webhookId ?? randomUUID(),
    "x-shopify-event-id": randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
  };
  for (const h of opts.omit ?? []) delete headers[h];
  return new Request("http://localhost/webhooks", { method: "POST", headers, body });
}
