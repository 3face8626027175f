import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

/**
 * Development and test only: send the Shopify library's calls for https://<shop>.myshopify.com/...
 * to the local stand-in instead. Only the origin changes; the path, method, headers and body are
 * exactly what the library would send to Shopify, and the shop travels in X-Forwarded-Host.
 * env.ts refuses SHOPIFY_ADMIN_ORIGIN in production, so this cannot be switched on there.
 */
export function redirectShopifyOrigin(origin: string, nodeEnv: string): void {
  if (nodeEnv === "production") throw new Error("the Shopify stand-in cannot be used in production");
  const target = new URL(origin);
  const realFetch = globalThis.fetch;
  setAbstractFetchFunc(async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    if (!url.hostname.endsWith(".myshopify.com")) return realFetch(input, init);
    const shop = url.hostname;
    url.protocol = target.protocol;
    url.host = target.host;
    const headers = new Headers(init?.headers);
    headers.set("x-forwarded-host", shop);
    return realFetch(url, { ...init, headers });
  });
}
