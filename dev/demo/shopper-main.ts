// The shopper simulator as a process: `node --import tsx dev/demo/shopper-main.ts`.
// Env: STANDIN_URL (default http://localhost:4100), DEMO_SHOP, DEMO_ORDER_INTERVAL_MS (default 2000),
// DEMO_MAX_ORDERS (default: until stopped). SIGINT/SIGTERM stop it after the order in flight.
import { DEMO_SHOP_DOMAIN, demoFixture } from "./fixture";
import { createRng } from "./prng";
import { startShopperSimulator } from "./shopper-simulator";
import { StandInClient } from "./standin-client";

const standInUrl = process.env.STANDIN_URL ?? "http://localhost:4100";
const shop = process.env.DEMO_SHOP ?? DEMO_SHOP_DOMAIN;
const intervalMs = Number(process.env.DEMO_ORDER_INTERVAL_MS ?? 2000);
const maxOrders = process.env.DEMO_MAX_ORDERS ? Number(process.env.DEMO_MAX_ORDERS) : undefined;

const fixture = demoFixture();
const client = new StandInClient(standInUrl);
const simulator = startShopperSimulator({
  placeOrder: (request) => client.checkout(shop, request),
  shoppers: fixture.shoppers,
  skus: fixture.shop.products.flatMap((p) => p.variants.map((v) => v.sku)),
  intervalMs,
  maxOrders,
  rng: createRng(Date.now() & 0xffffffff),
});
console.log(`placing an order every ${intervalMs} ms on ${shop} via ${standInUrl}`);

const stop = () => void simulator.stop();
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
const stats = await simulator.done;
console.log(`stopped: ${stats.placed} placed, ${stats.outOfStock} out of stock, ${stats.failed} failed`);
