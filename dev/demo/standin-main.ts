// The Shopify stand-in as a process for the demo: the GraphQL/control server with the webhook
// dispatcher delivering to the app. `node --import tsx dev/demo/standin-main.ts`.
// Env: STANDIN_PORT (default 4100), SHOPIFY_APP_URL (default http://localhost:3000),
// SHOPIFY_API_KEY / SHOPIFY_API_SECRET (the app's development defaults).
import { startStandInWithDispatcher } from "./standin-process";

const standIn = await startStandInWithDispatcher({
  port: Number(process.env.STANDIN_PORT ?? 4100),
  appUrl: process.env.SHOPIFY_APP_URL ?? "http://localhost:3000",
  apiKey: process.env.SHOPIFY_API_KEY ?? "oms-dev-api-key",
  apiSecret: process.env.SHOPIFY_API_SECRET ?? "oms-dev-api-secret-not-for-production",
});
console.log(`Shopify stand-in on ${standIn.url}, webhooks to ${process.env.SHOPIFY_APP_URL ?? "http://localhost:3000"}/webhooks`);

const stop = () => void standIn.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
