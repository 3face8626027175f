import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { shopifySessionStorage } from "./.server/db/connection";
import { markInstalled, saveShopProfile } from "./.server/db/shops";
import { env } from "./.server/env";
import { redirectShopifyOrigin } from "./.server/shopify/admin-origin";
import { fetchShopSummary } from "./.server/shopify/shop-summary";
import { startBackfill } from "./.server/services/backfill-orders";
import { enqueue } from "./.server/queue/queues";

const config = env();
if (config.SHOPIFY_ADMIN_ORIGIN) redirectShopifyOrigin(config.SHOPIFY_ADMIN_ORIGIN, config.NODE_ENV);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ApiVersion.April26,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: shopifySessionStorage(),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await markInstalled(session.shop, new Date());
      await saveShopProfile(session.shop, await fetchShopSummary(admin));
      // Import open and recent orders on install; a no-op while a backfill is already running.
      await startBackfill(session.shop, new Date());
      // Read every inventory level, push ATP and reconcile (at most once an hour from here).
      await enqueue("inventoryReconcile", { shop: session.shop, reason: `auth-${new Date().toISOString().slice(0, 13)}` });
    },
  },
});

export default shopify;
export const apiVersion = ApiVersion.April26;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
