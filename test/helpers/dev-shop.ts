// A dev shop (the Shopify stand-in) for integration tests: seeded, with orders placed by shoppers,
// the app's Admin API calls redirected to it, and the app installed (its offline session stored).
import { Session } from "@shopify/shopify-api";
import { redirectShopifyOrigin } from "~/.server/shopify/admin-origin";
import { sessionStorage } from "~/shopify.server";
import { startShopifyStandIn, type WebhookSink } from "../../dev/shopify-local/server";
import { austin, smallShop } from "../../dev/shopify-local/test-helpers";

export const APP_KEY = "oms-dev-api-key";
export const APP_SECRET = "oms-dev-api-secret-not-for-production";

export async function devShop(
  shop: string,
  opts: { orders?: number; webhookSink?: WebhookSink; tweak?: (fixture: ReturnType<typeof smallShop>) => void } = {},
) {
  const standIn = await startShopifyStandIn({ apiKey: APP_KEY, apiSecret: APP_SECRET, webhookSink: opts.webhookSink });
  redirectShopifyOrigin(standIn.url, "test");
  const post = (p: string, body: unknown) =>
    fetch(standIn.url + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const fixture = smallShop(shop);
  fixture.products[0]!.variants[0]!.inventory = { "Edison NJ": 500, "Dallas TX": 500, "Seattle WA": 500 };
  opts.tweak?.(fixture);
  const seeded = await post("/_dev/shops", fixture);
  if (!seeded.ok) throw new Error(`seeding ${shop} failed: ${seeded.status}`);
  for (let i = 0; i < (opts.orders ?? 0); i++) {
    await post(`/_dev/shops/${shop}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: `buyer${i}@example.com` });
  }
  const { accessToken, scope } = (await (await post(`/_dev/shops/${shop}/install`, {})).json()) as { accessToken: string; scope: string };
  await sessionStorage.storeSession(new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken, scope }));
  return { standIn, post };
}
