// The promise demo as a process (run-demo.ts starts it): `node --import tsx dev/demo/promise-demo-main.ts`.
// Env: STANDIN_URL, SHOPIFY_APP_URL, DEMO_SHOP, DEMO_PROMISE_INTERVAL_MS (default 5000).
import { DEMO_SHOP_DOMAIN, demoFixture } from "./fixture";
import { startPromiseDemo } from "./promise-demo";

const demo = startPromiseDemo({
  standInUrl: process.env.STANDIN_URL ?? "http://localhost:4100",
  appUrl: process.env.SHOPIFY_APP_URL ?? "http://localhost:3000",
  shop: process.env.DEMO_SHOP ?? DEMO_SHOP_DOMAIN,
  shoppers: demoFixture().shoppers,
  intervalMs: Number(process.env.DEMO_PROMISE_INTERVAL_MS ?? 5000),
  seed: 13,
});
console.log("promise shoppers and the simulated warehouse are running");
const stop = () => demo.stop();
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
setInterval(() => console.log(`promise demo: ${JSON.stringify(demo.stats)}`), 60_000).unref();
await demo.done;
