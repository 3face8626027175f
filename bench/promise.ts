// The delivery promise under checkout load: POST /api/promise at a fixed open-loop rate through the
// real web server (server.ts over the Remix build), real SQLite and Redis; cache hits (the same few
// carts) and misses (every request a new destination) reported apart; then the engine alone.
//   npm run bench -- promise [rate=200] [seconds=10]
import http from "node:http";
import { readFileSync } from "node:fs";
import { createDb } from "~/.server/db/client";
import { signBody } from "~/.server/shopify/hmac";
import { promiseDelivery } from "~/domain/promise/promise-delivery";
import { DEFAULT_BANDS } from "~/domain/promise/transit";
import { publicHolidays } from "~/domain/promise/holidays";
import { buildAppIfMissing, startApp, waitForHealth } from "../dev/lib/processes";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { mintCheckoutToken } from "../dev/shopify-local/session-token";
import type { SourcingLocation } from "~/domain/sourcing/types";
import { isolatedWorld, sleep, summarize } from "./lib";

const KEY = "oms-dev-api-key";
const SECRET = "oms-dev-api-secret-not-for-production";
const SHOP = "bench-promise.myshopify.com";

export async function run(args: string[]) {
  const rate = Number(args[0] ?? 200);
  const seconds = Number(args[1] ?? 10);
  const port = 3996;
  const redis = await ensureRedis();
  await buildAppIfMissing();
  const world = isolatedWorld("promise");
  process.env.DATABASE_URL = world.databaseUrl;
  const { seedPromiseShop, TEE, MUG } = await import("../test/helpers/promise-shop");
  await seedPromiseShop(SHOP, new Date());
  const env = { PORT: String(port), NODE_ENV: "development", DATABASE_URL: world.databaseUrl, QUEUE_PREFIX: world.queuePrefix, REDIS_URL: redis.url };
  const { web, worker } = startApp(env);
  worker.kill("SIGTERM");
  const db = createDb(world.databaseUrl);
  try {
    await waitForHealth(`http://localhost:${port}/health`);
    const token = () => mintCheckoutToken({ shop: SHOP, apiKey: KEY, apiSecret: SECRET, now: new Date() });
    const cart = (zip: string, lat: number, lon: number) =>
      JSON.stringify({
        lines: [
          { variantId: TEE.variantId, quantity: 1 },
          { variantId: MUG.variantId, quantity: 1 },
        ],
        address: { countryCode: "US", provinceCode: "OK", zip, latitude: lat, longitude: lon },
      });
    // Warm-up: connections, JIT, and the carts the hit phase repeats.
    const hot = Array.from({ length: 5 }, (_, i) => cart("73102", 35.4 + i / 10, -97.5));
    for (let i = 0; i < 40; i++) await send(port, token(), hot[i % hot.length]!);

    const phase = async (label: string, body: (i: number) => string, path = "/api/promise") => {
      const total = rate * seconds;
      const ms: number[] = [];
      const statuses = new Map<string, number>();
      const t0 = performance.now();
      const inflight: Promise<void>[] = [];
      const tok = token();
      for (let i = 0; i < total; i++) {
        const wait = t0 + (i * 1000) / rate - performance.now();
        if (wait > 1) await sleep(wait);
        const started = performance.now();
        inflight.push(
          (path === "/api/promise" ? send(port, tok, body(i)) : sendRate(port, body(i))).then(({ status, cache }) => {
            ms.push(performance.now() - started);
            const k = `${status}/${cache}`;
            statuses.set(k, (statuses.get(k) ?? 0) + 1);
          }),
        );
      }
      await Promise.all(inflight);
      const achieved = total / ((performance.now() - t0) / 1000);
      console.log(summarize(`${label} (${achieved.toFixed(0)}/s)`, ms), ` answers: ${[...statuses].map(([k, n]) => `${k}×${n}`).join(" ")}`);
    };
    // The server's own CPU per request (not the queueing a loaded machine adds): sequential requests,
    // the web process's CPU time read from /proc before and after.
    const cpuOf = () => {
      const f = readFileSync(`/proc/${web.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(f[11]) + Number(f[12])) * (1000 / 100); // utime + stime, clock ticks (100/s) → ms
    };
    for (const [label, body] of [
      ["hit", (i: number) => hot[i % hot.length]!],
      ["miss", (i: number) => cart("73102", 20 + i / 100, -90 - i / 1000)],
    ] as const) {
      const before = cpuOf();
      const wall: number[] = [];
      const tok = token();
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await send(port, tok, body(i));
        wall.push(performance.now() - t);
      }
      console.log(`sequential ${label}: server CPU ${((cpuOf() - before) / 300).toFixed(2)} ms per request; ${summarize("latency", wall).trim()}`);
    }
    console.log(
      `\ndelivery promise API: POST /api/promise at ${rate}/s for ${seconds}s per phase (2-line cart, 3 locations; shared 2-core machine, other helpers running)`,
    );
    await phase("cache hit (5 carts repeated)", (i) => hot[i % hot.length]!);
    await phase("cache miss (a new destination each)", (i) => cart("73102", 30 + (i % 1000) / 100, -100 + Math.floor(i / 1000) / 10 - (i % 7) / 1000));
    // Carrier-calculated rates (Shopify's callback, HMAC-signed): the same promise as rates.
    const variant = TEE.variantId.split("/").pop();
    const rateReq = (price: number) =>
      `{"rate":{"origin":{"country":"US"},"destination":{"country":"US","postal_code":"73102","province":"OK","city":"Oklahoma City"},"items":[{"name":"Tee","sku":"TEE","quantity":1,"grams":500,"price":${price},"requires_shipping":true,"product_id":1,"variant_id":${variant}}],"currency":"USD","locale":"en"}}`;
    for (let i = 0; i < 20; i++) await sendRate(port, rateReq(2400));
    console.log(`\ncarrier-calculated rates: POST /carrier/rates at ${rate}/s for ${seconds}s per phase`);
    await phase("rates, cache hit (same cart)", () => rateReq(2400), "/carrier/rates");
    await phase("rates, cache miss (a new cart each)", (i) => rateReq(2401 + i), "/carrier/rates");
  } finally {
    web.kill("SIGTERM");
    await db.$disconnect();
    await deleteKeysWithPrefix(redis.url, world.queuePrefix);
    redis.child?.kill();
  }
  engine();
}

/** The engine alone: a 5-line cart over 25 locations with calendars, 6 rules, two methods. */
function engine() {
  const cities = [
    [36.154, -95.9928],
    [32.7767, -96.797],
    [30.2672, -97.7431],
    [41.8781, -87.6298],
    [34.0522, -118.2437],
    [39.5296, -119.8138],
    [40.7357, -74.1724],
  ] as const;
  const OKC = { countryCode: "US", provinceCode: "OK", latitude: 35.4676, longitude: -97.5164 };
  const location = (id: string, at: readonly [number, number], atp: Record<string, number>, more: Partial<SourcingLocation>): SourcingLocation => ({
    id,
    name: id,
    kind: "warehouse",
    active: true,
    shipsOnlineOrders: true,
    servesCountries: [],
    tags: [],
    latitude: at[0],
    longitude: at[1],
    priority: 1,
    dailyCapacity: null,
    ordersToday: 0,
    handlingCostMinor: 0,
    distanceCost: { perKmMinor: 1 },
    atp,
    ...more,
  });
  const line = (lineId: string, inventoryItemId: string, quantity: number) => ({
    lineId,
    inventoryItemId,
    sku: inventoryItemId,
    quantity,
    unitPriceMinor: 1000,
    productTags: [],
  });
  const zones = ["America/Los_Angeles", "America/Chicago", "America/New_York"];
  const items = ["tee", "cap", "mug", "pen", "hat"];
  const locations = Array.from({ length: 25 }, (_, i) =>
    location(`loc-${String(i).padStart(2, "0")}`, cities[i % cities.length]!, Object.fromEntries(items.map((it, j) => [it, (i + j) % 4])), {
      priority: i % 3,
      calendar: { timeZone: zones[i % 3]!, shipDays: [1, 2, 3, 4, 5], cutoffMinutes: 15 * 60, closedDates: [] },
    }),
  );
  const lines = items.map((it, i) => line(`L${i}`, it, 1 + (i % 2)));
  const rs = {
    id: "bench",
    version: 1,
    rules: [
      { type: "fewest_shipments" as const },
      { type: "ship_date" as const },
      { type: "priority" as const },
      { type: "distance" as const },
      { type: "cost" as const },
      { type: "capacity" as const },
    ],
    split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
    backorder: { mode: "ship_available" as const },
  };
  const holidays = publicHolidays("US", "OK", 2026);
  const methods = [
    { code: "standard", name: "Standard", carrier: "UPS", nonDeliveryWeekdays: [0, 6] },
    { code: "express", name: "Express", carrier: "FedEx", nonDeliveryWeekdays: [0] },
  ];
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const base = Date.UTC(2026, 11, 1, 15);
  while (performance.now() - t0 < 3000) {
    const r = promiseDelivery({
      sourcing: { lines, destination: OKC, delivery: { method: "ship" }, locations, ruleSet: rs, now: new Date(base + (n % 600) * 60_000) },
      methods,
      transit: { entries: [], bands: DEFAULT_BANDS },
      incoming: [],
      holidays,
    });
    if (!r.ok) throw new Error("engine failed");
    n++;
  }
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpuS = (c.user + c.system) / 1e6;
  console.log(
    `promise engine: ${(n / s).toFixed(0)} promises/s wall, ${(n / cpuS).toFixed(0)} per CPU-second (5-line cart, 25 locations with calendars, 6 rules, 2 methods; ${((1000 * cpuS) / n).toFixed(3)} CPU ms each; the wall figure is what this shared machine gave)`,
  );
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function sendRate(port: number, body: string): Promise<{ status: number; cache: string }> {
  const headers = {
    "content-type": "application/json",
    "x-shopify-hmac-sha256": signBody(body, SECRET),
    "x-shopify-shop-domain": SHOP,
    "content-length": String(Buffer.byteLength(body)),
  };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/carrier/rates", method: "POST", headers, agent }, (res) => {
      let text = "";
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, cache: text.includes("min_delivery_date") ? "dated" : "no-rate" }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function send(port: number, token: string, body: string): Promise<{ status: number; cache: string }> {
  const headers = {
    "content-type": "application/json",
    authorization: `Bearer ${token}`,
    origin: "https://extensions.shopifycdn.com",
    "content-length": String(Buffer.byteLength(body)),
  };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/api/promise", method: "POST", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, cache: String(res.headers["x-promise-cache"] ?? "-") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}
