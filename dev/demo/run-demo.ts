// `npm run demo`: the whole app against the local Shopify stand-in, with shoppers placing orders.
//  1. Redis (REDIS_URL, else a private redis-server on 6390), a fresh demo database (prisma/demo.sqlite)
//  2. the Shopify stand-in on :4100 with the webhook dispatcher delivering to the app's /webhooks
//  3. the demo shop seeded from fixture.ts
//  4. the app (built if build/ is missing): web server on :3000 and the worker
//  5. the install, as Shopify admin does it: the app is opened once with a session token, so its
//     own token exchange runs and stores the offline session
//  6. the demo merchant's sourcing set-up (configure-sourcing.ts: location kinds, an active rule set)
//  7. the dev admin on :4200 and the shopper simulator (DEMO_ORDER_INTERVAL_MS, default 2000)
// Ctrl-C stops everything. Development only.
import { rmSync } from "node:fs";
import path from "node:path";
import { buildAppIfMissing, repoRoot, run, runToEnd, startWeb, startWorker, waitForHealth } from "../lib/processes";
import { deleteKeysWithPrefix, ensureRedis } from "../lib/redis";
import { DemoSupervisor } from "./demo-supervisor";
import { startSmtpCatcher } from "./smtp-catcher";
import { embeddedAppUrl } from "./dev-admin";
import { DEMO_SHOP_DOMAIN, demoFixture } from "./fixture";
import { StandInClient } from "./standin-client";

const API_KEY = process.env.SHOPIFY_API_KEY ?? "oms-dev-api-key";
const API_SECRET = process.env.SHOPIFY_API_SECRET ?? "oms-dev-api-secret-not-for-production";
const APP_PORT = Number(process.env.PORT ?? 3000);
const STANDIN_PORT = Number(process.env.STANDIN_PORT ?? 4100);
const ADMIN_PORT = Number(process.env.DEV_ADMIN_PORT ?? 4200);
const APP_URL = `http://localhost:${APP_PORT}`;
// STANDIN_URL: use a stand-in that is already running (e.g. one started separately) instead of spawning one.
const EXTERNAL_STANDIN = process.env.STANDIN_URL;
const STANDIN_URL = EXTERNAL_STANDIN ?? `http://localhost:${STANDIN_PORT}`;
const ADMIN_URL = `http://localhost:${ADMIN_PORT}`;
const DATABASE_URL = process.env.DEMO_DATABASE_URL ?? "file:./prisma/demo.sqlite";
const QUEUE_PREFIX = process.env.QUEUE_PREFIX ?? "oms-demo";
// The demo's Amazon (dev/demo/amazon-main.ts): the SP-API stand-in and a seller sending orders.
const AMAZON_PORT = Number(process.env.AMAZON_STANDIN_PORT ?? 4300);
const AMAZON_ENV = {
  AMAZON_STANDIN_PORT: String(AMAZON_PORT),
  AMAZON_SPAPI_ORIGIN: `http://127.0.0.1:${AMAZON_PORT}`,
  AMAZON_LWA_URL: `http://127.0.0.1:${AMAZON_PORT}/auth/o2/token`,
  AMAZON_POLL_SECONDS: "30",
};
const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

async function waitUntilAnswering(url: string, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${what} does not answer at ${url} after ${timeoutMs} ms`);
}

function freshDemoDatabase(): void {
  if (!DATABASE_URL.startsWith("file:") || process.env.DEMO_KEEP_DB === "1") return;
  const file = path.resolve(repoRoot, DATABASE_URL.slice("file:".length));
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
}

/** Opens the app once the way Shopify admin does on install; its token exchange stores the offline session. */
async function install(standIn: StandInClient, shop: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // A browser's User-Agent: shopify-app-remix answers self-identified bots (Node's fetch) with 410.
    const res = await fetch(embeddedAppUrl(APP_URL, shop, await standIn.sessionToken(shop)), { redirect: "manual", headers: { "user-agent": BROWSER_UA } });
    await res.text();
    if (res.status === 200) return;
    if (attempt >= 3) throw new Error(`installing on ${shop}: the app answered ${res.status} to the embedded load (see [web] above)`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === "production") throw new Error("the demo is development-only; unset NODE_ENV=production");
  const supervisor = new DemoSupervisor();
  try {
    const redis = await ensureRedis();
    if (redis.child) supervisor.onStop(() => void redis.child?.kill());
    console.log(`Redis: ${redis.url}${redis.child ? " (private redis-server started for the demo)" : ""}`);
    await deleteKeysWithPrefix(redis.url, QUEUE_PREFIX);

    freshDemoDatabase();
    await runToEnd("prisma", "prisma", ["migrate", "deploy"], { DATABASE_URL });

    const shared = { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET, SHOPIFY_APP_URL: APP_URL, NODE_ENV: "development" };
    if (!EXTERNAL_STANDIN) {
      supervisor.add(
        "standin",
        run("standin", "node", ["--import", "tsx", "dev/shopify-local/main.ts"], { ...shared, SHOPIFY_STANDIN_PORT: String(STANDIN_PORT), APP_URL }),
      );
    }
    await waitUntilAnswering(`${STANDIN_URL}/_dev/shops/${DEMO_SHOP_DOMAIN}/state`, "the Shopify stand-in");
    const standIn = new StandInClient(STANDIN_URL);
    const fixture = demoFixture();
    const shop = fixture.shop.domain;
    if (await standIn.hasShop(shop)) {
      console.log(`${shop} already exists on the stand-in; not seeding it again`);
    } else {
      const seeded = await standIn.createShop(fixture.shop);
      console.log(`seeded ${shop}: ${seeded.locations.length} locations, ${seeded.variants.length} variants; ${fixture.shoppers.length} shoppers`);
    }

    await buildAppIfMissing();
    // Alert digests go to a local SMTP catcher (issue 18); the monitors run every 15 s in the demo.
    const mail = await startSmtpCatcher(Number(process.env.DEMO_SMTP_PORT ?? APP_PORT + 25), Number(process.env.DEMO_SMTP_PORT ?? APP_PORT + 25) + 1);
    supervisor.onStop(() => void mail.close());
    const appEnv = {
      SMTP_URL: mail.url,
      OPS_MONITOR_SECONDS: "15",
      ...shared,
      PORT: String(APP_PORT),
      REDIS_URL: redis.url,
      QUEUE_PREFIX,
      DATABASE_URL,
      SHOPIFY_ADMIN_ORIGIN: STANDIN_URL,
      APP_BRIDGE_URL: `${ADMIN_URL}/app-bridge.js`,
      ...AMAZON_ENV,
    };
    supervisor.add("web", startWeb(appEnv));
    supervisor.addRestarting("worker", () => startWorker(appEnv));
    await waitForHealth(`${APP_URL}/health`);

    await install(standIn, shop);
    console.log(`installed the app on ${shop} (token exchange done, offline session stored)`);
    // The demo merchant's sourcing set-up (location kinds, priorities, an active rule set); the demo
    // runs on without it, on the default rules, if it cannot be made.
    await runToEnd("setup", "node", ["--import", "tsx", "dev/demo/configure-sourcing.ts"], { ...appEnv, DEMO_SHOP: shop }).catch((e: Error) =>
      console.warn(`sourcing set-up skipped: ${e.message}`),
    );

    // Every operations monitor's case, on its own (dev/demo/ops-cases.ts).
    supervisor.add("ops", run("ops", "node", ["--import", "tsx", "dev/demo/ops-cases.ts"], { ...appEnv, STANDIN_URL, DEMO_SHOP: shop }), true);
    // The demo day's returns and refunds (dev/demo/demo-returns.ts); skipped with DEMO_RETURNS=0.
    if (process.env.DEMO_RETURNS !== "0")
      await runToEnd("returns", "node", ["--import", "tsx", "dev/demo/demo-returns.ts"], { ...appEnv, DEMO_SHOP: shop, STANDIN_URL }).catch((e: Error) =>
        console.warn(`returns demo skipped: ${e.message}`),
      );

    supervisor.add("amazon", run("amazon", "node", ["--import", "tsx", "dev/demo/amazon-main.ts"], { ...appEnv, DEMO_SHOP: shop }));
    supervisor.add(
      "admin",
      run("admin", "node", ["--import", "tsx", "dev/demo/dev-admin-main.ts"], { ...shared, DEV_ADMIN_PORT: String(ADMIN_PORT), STANDIN_URL, DEMO_SHOP: shop }),
    );
    await waitUntilAnswering(ADMIN_URL, "the dev admin");
    if (process.env.DEMO_SHOPPERS !== "0") {
      supervisor.add("shopper", run("shopper", "node", ["--import", "tsx", "dev/demo/shopper-main.ts"], { STANDIN_URL, DEMO_SHOP: shop }), true);
    }
    // The delivery promise: shoppers who see it at checkout, and a warehouse that ships and delivers.
    if (process.env.DEMO_PROMISE !== "0")
      supervisor.add(
        "promise",
        run("promise", "node", ["--import", "tsx", "dev/demo/promise-demo-main.ts"], { ...shared, STANDIN_URL, DEMO_SHOP: shop }),
        true,
      );

    console.log(
      `\nThe OMS demo is running.\n  Open Shopify admin (stand-in): ${ADMIN_URL}/  → "Open Order Management"\n` +
        `  App: ${APP_URL}  Shopify stand-in: ${STANDIN_URL}  Redis: ${redis.url}  Database: ${DATABASE_URL}\n  Alert e-mails (SMTP catcher): ${mail.inbox}\nCtrl-C stops everything.\n`,
    );
  } catch (e) {
    await supervisor.stop(1, e instanceof Error ? e.message : String(e));
  }
}

void main();
