// `node --import tsx dev/shopify-local/main.ts`: the stand-in on its own, delivering webhooks to
// the app at APP_URL (default http://localhost:3000) per shopify.app.toml.
import { createWebhookDispatcher, type FaultConfig } from "./webhook-dispatcher";
import { startShopifyStandIn } from "./server";

const apiKey = process.env.SHOPIFY_API_KEY ?? "oms-dev-api-key";
const apiSecret = process.env.SHOPIFY_API_SECRET ?? "oms-dev-api-secret-not-for-production";
const port = Number(process.env.SHOPIFY_STANDIN_PORT ?? 4100);
const appUrl = process.env.APP_URL ?? "http://localhost:3000";

if (process.env.NODE_ENV === "production") {
  console.error("The Shopify stand-in is a development tool and does not run with NODE_ENV=production.");
  process.exit(1);
}
// Delivery faults as Shopify can produce them (duplicates, reordering, delays), e.g. for bench/cluster.ts:
// STANDIN_WEBHOOK_FAULTS='{"duplicateRate":0.2,"reorderWindowMs":400}' (FaultConfig in webhook-dispatcher.ts).
const faults = process.env.STANDIN_WEBHOOK_FAULTS ? (JSON.parse(process.env.STANDIN_WEBHOOK_FAULTS) as FaultConfig) : undefined;
const dispatcher = createWebhookDispatcher({ appUrl, apiSecret, faults });
const standIn = await startShopifyStandIn({ port, apiKey, apiSecret, webhookSink: dispatcher });
console.log(`Shopify stand-in on ${standIn.url} (Admin API ${standIn.url}/admin/api/2026-04/graphql.json), webhooks → ${appUrl}`);
const stop = async () => {
  dispatcher.close();
  await standIn.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
