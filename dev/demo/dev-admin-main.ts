// The dev admin as a process: `node --import tsx dev/demo/dev-admin-main.ts`.
// Env: DEV_ADMIN_PORT (default 4200), STANDIN_URL (default http://localhost:4100), SHOPIFY_APP_URL
// (default http://localhost:3000), DEMO_SHOP (default demo-oms.myshopify.com).
import { assertDevelopment, startDevAdmin } from "./dev-admin";
import { DEMO_SHOP_DOMAIN } from "./fixture";
import { StandInClient } from "./standin-client";

try {
  assertDevelopment(process.env.NODE_ENV);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}

const port = Number(process.env.DEV_ADMIN_PORT ?? 4200);
const standIn = new StandInClient(process.env.STANDIN_URL ?? "http://localhost:4100");
const admin = await startDevAdmin({
  port,
  tokens: { sessionToken: (shop, userId) => standIn.sessionToken(shop, userId) },
  appUrl: process.env.SHOPIFY_APP_URL ?? "http://localhost:3000",
  shops: [process.env.DEMO_SHOP ?? DEMO_SHOP_DOMAIN],
  // The local checkout for the delivery-promise extension (/checkout).
  checkout: { appUrl: process.env.SHOPIFY_APP_URL ?? "http://localhost:3000", standInUrl: process.env.STANDIN_URL ?? "http://localhost:4100" },
});
console.log(`dev admin on ${admin.url}`);

const stop = () => void admin.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
