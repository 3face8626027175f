// Stock change → Shopify available updated. The stand-in (with its webhook dispatcher, no faults,
// default plan rate) runs in a child process as Shopify would, apart from the OMS; this process runs
// the app's webhook route on a real port and the real processors (startProcessing, as the worker
// does), on an isolated SQLite file and Redis prefix. After an initial reconcileStock, K WMS on-hand
// changes arrive through /_dev/shops/:shop/inventory/adjust at a steady rate; for each, the time
// until the stand-in's `available` for that level equals the OMS's expected ATP
// (max(0, onHand − max(reserved, committed) − safetyStock − unavailable)), polled from
// /_dev/shops/:shop/state every 50 ms (poll=…) by one poller for all outstanding changes. Also the Admin API
// cost points the OMS spent (inventoryCost) per 1,000 changes, and the stand-in's throttle state.
//   npm run bench -- inventory-push [changes=1000] [rate=20] [variants=300] [locations=4] [cross|random] [poll=50]
// Latencies are quantised by the poll: a change counts as converged when the first /state answer
// that shows it arrives, so each figure is up to one poll interval (+ the poll's own time) late.
// cross (default): every change crosses the safety stock (from above it to below, or back), so the
//   OMS must move units between available and safety_stock for Shopify to be right. A change that
//   stays above the safety stock moves Shopify's available by exactly the delta the ATP moves by, so
//   Shopify is right at once and the OMS has nothing to push.
// random: deltas of −3…+6, most of which need no push; reported separately.
import { rmSync } from "node:fs";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { serveWebhookRoute } from "../dev/lib/webhook-endpoint";
import { instrumentAdminApi, fmt, inFreshProcess, isMain, kv, machineFacts, spawnStandIn } from "./inventory-lib";
import { isolatedWorld, sleep, summarize } from "./lib";

const SHOP = "push-bench.myshopify.com";
const SAFETY_STOCK = 5;
const GIVE_UP_MS = 30_000;

const LOCATIONS = [
  {
    name: "Edison NJ",
    address: { address1: "10 Mill Rd", city: "Edison", provinceCode: "NJ", countryCode: "US", zip: "08817" },
    latitude: 40.52,
    longitude: -74.41,
  },
  {
    name: "Dallas TX",
    address: { address1: "200 Commerce St", city: "Dallas", provinceCode: "TX", countryCode: "US", zip: "75201" },
    latitude: 32.78,
    longitude: -96.8,
  },
  {
    name: "Seattle WA",
    address: { address1: "500 Pine St", city: "Seattle", provinceCode: "WA", countryCode: "US", zip: "98101" },
    latitude: 47.61,
    longitude: -122.34,
  },
  {
    name: "Reno NV",
    address: { address1: "1 Virginia St", city: "Reno", provinceCode: "NV", countryCode: "US", zip: "89501" },
    latitude: 39.53,
    longitude: -119.81,
  },
  {
    name: "Joliet IL",
    address: { address1: "50 Chicago St", city: "Joliet", provinceCode: "IL", countryCode: "US", zip: "60432" },
    latitude: 41.53,
    longitude: -88.08,
  },
  {
    name: "Atlanta GA",
    address: { address1: "75 Peachtree St", city: "Atlanta", provinceCode: "GA", countryCode: "US", zip: "30303" },
    latitude: 33.75,
    longitude: -84.39,
  },
];

type StateLevel = { sku: string; location: string; available: number; on_hand: number; committed: number; safety_stock: number };
type Change = { key: string; t0: number; expected: number; neededPush: boolean; doneMs?: number; gaveUp?: boolean };

export async function run(args: string[]) {
  await inFreshProcess(import.meta.url, args);
}

async function main(args: string[]) {
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const [changes = 1000, rate = 20, variants = 300, locationCount = 4] = nums;
  const mode = args.includes("random") ? "random" : "cross";
  const POLL_MS = Number(args.find((a) => a.startsWith("poll="))?.slice(5) ?? 50);
  const redis = await ensureRedis();
  const world = isolatedWorld("push");
  process.on("exit", () => rmSync(world.dir, { recursive: true, force: true }));
  Object.assign(process.env, { DATABASE_URL: world.databaseUrl, REDIS_URL: redis.url, QUEUE_PREFIX: world.queuePrefix });
  delete process.env.SHOPIFY_ADMIN_ORIGIN; // redirected below, after the fetch instrumentation
  const { ops, bucket } = instrumentAdminApi();

  const { db } = await import("~/.server/db/client");
  const { closeQueues, queue } = await import("~/.server/queue/queues");
  const { startProcessing } = await import("~/.server/queue/worker");
  const { setSafetyStock } = await import("~/.server/services/inventory-settings");
  const { reconcileStock } = await import("~/.server/services/reconcile-stock");
  const { redirectShopifyOrigin } = await import("~/.server/shopify/admin-origin");
  const { inventoryCost } = await import("~/.server/shopify/inventory");
  const { sessionStorage } = await import("~/shopify.server");
  const { processors } = await import("../jobs/processors");
  const { atp } = await import("~/domain/inventory/atp");
  const { Session } = await import("@shopify/shopify-api");

  // The app's webhook route on a real port, and the stand-in with its dispatcher in their own process.
  const app = await serveWebhookRoute();
  const standIn = await spawnStandIn(app.url);
  const standInUrl = standIn.url;
  const post = async (p: string, body: unknown) => {
    const r = await standIn.post(p, body);
    if (!r.ok) throw new Error(`POST ${p}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<Record<string, unknown>>;
  };
  const shopifyState = async () => ((await (await fetch(`${standInUrl}/_dev/shops/${SHOP}/state`)).json()) as { inventory: StateLevel[] }).inventory;
  const counts = async () => {
    const [w, i] = await Promise.all([queue("webhooks").getJobCounts(), queue("inventory").getJobCounts()]);
    return { pending: w.waiting + w.active + w.delayed + i.waiting + i.active + i.delayed, inventoryWaiting: i.waiting + i.delayed, inventoryFailed: i.failed };
  };
  /** Until both queues are empty and no delivery arrived for a second. */
  const idle = async (timeoutMs: number) => {
    const t = performance.now();
    let deliveries = -1;
    for (let quiet = 0; quiet < 2 && performance.now() - t < timeoutMs;) {
      await sleep(500);
      const n = await db().webhookDelivery.count();
      quiet = (await counts()).pending === 0 && n === deliveries ? quiet + 1 : 0;
      deliveries = n;
    }
    return (performance.now() - t) / 1000;
  };

  let rng = 20261123;
  const rand = (n: number) => (rng = (rng * 48271) % 2147483647) % n;

  console.log(
    `\ninventory push: ${fmt(changes)} WMS stock changes at ${rate}/s (${mode}) on ${variants} variants × ${locationCount} locations; safety stock ${SAFETY_STOCK} (shop default)`,
  );
  console.log(machineFacts());
  try {
    const locations = LOCATIONS.slice(0, locationCount);
    const products = Array.from({ length: Math.ceil(variants / 3) }, (_, p) => ({
      title: `Bench Product ${p}`,
      variants: ["S", "M", "L"].slice(0, Math.min(3, variants - p * 3)).map((size) => ({
        sku: `P${String(p).padStart(4, "0")}-${size}`,
        price: "20.00",
        // Low stock, around the safety stock, as on the long tail of a catalogue.
        inventory: Object.fromEntries(locations.map((l) => [l.name, 1 + rand(15)])),
      })),
    }));
    await post("/_dev/shops", { domain: SHOP, name: "Push Bench", locations, products });
    const { accessToken, scope } = (await post(`/_dev/shops/${SHOP}/install`, {})) as { accessToken: string; scope: string };
    await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken, scope }));
    redirectShopifyOrigin(standInUrl, "development");
    startProcessing(processors);

    // Initial state: the safety-stock rule, a full reconcile (reads every level, pushes ATP), and
    // the inventory_levels/update echoes of that push drained.
    await setSafetyStock(SHOP, { locationId: "", inventoryItemId: "", quantity: SAFETY_STOCK }, "bench", new Date());
    const t = performance.now();
    const report = await reconcileStock(SHOP, new Date());
    kv("initial reconcileStock", `${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(report)}`);
    kv("its echo webhooks drained in", `${(await idle(240_000)).toFixed(1)} s`);
    // The drain spends the Admin API bucket; start the run with it full again (10 s at 1,000/s).
    await sleep(10_000);

    const names = new Map((await db().stockLocation.findMany({ where: { shop: SHOP } })).map((l) => [l.id, l.name]));
    const oms = new Map((await db().stockLevel.findMany({ where: { shop: SHOP } })).map((l) => [`${l.sku}|${names.get(l.locationId)}`, l]));
    const expectedAtp = (key: string, onHand: number) => atp({ ...oms.get(key)!, onHand, observedAt: null });
    const before = await shopifyState();
    const onHand = new Map(before.map((s) => [`${s.sku}|${s.location}`, s.on_hand]));
    kv("levels (Shopify / OMS)", `${before.length} / ${oms.size}`);
    kv("levels off before the run", before.filter((s) => s.available !== expectedAtp(`${s.sku}|${s.location}`, s.on_hand)).length);
    const keys = [...onHand.keys()];

    // The run.
    const cost0 = { ...inventoryCost };
    const ops0 = new Map([...ops].map(([k, v]) => [k, { ...v }]));
    bucket.min = Infinity;
    const all: Change[] = [];
    const outstanding = new Map<string, Change[]>();
    let loading = true;
    let maxBacklog = 0;
    let polls = 0;
    const pollMs: number[] = [];
    const poller = (async () => {
      while (loading || outstanding.size) {
        const started = performance.now();
        const state = await shopifyState();
        const now = performance.now();
        pollMs.push(now - started);
        const available = new Map(state.map((s) => [`${s.sku}|${s.location}`, s.available]));
        for (const [key, list] of outstanding) {
          const a = available.get(key);
          // The newest of this level's changes whose expected ATP Shopify shows settles it and every older one.
          let j = -1;
          list.forEach((c, i) => (c.expected === a ? (j = i) : null));
          for (const c of list.splice(0, j + 1)) c.doneMs = now - c.t0;
          for (const c of list.filter((c) => now - c.t0 > GIVE_UP_MS)) c.gaveUp = true;
          const left = list.filter((c) => !c.gaveUp);
          if (left.length) outstanding.set(key, left);
          else outstanding.delete(key);
        }
        if (++polls % 20 === 0) maxBacklog = Math.max(maxBacklog, (await counts()).inventoryWaiting);
        await sleep(Math.max(0, POLL_MS - (performance.now() - started)));
      }
    })();

    const t0 = performance.now();
    for (let i = 0; i < changes; i++) {
      const due = t0 + (i * 1000) / rate;
      if (due - performance.now() > 1) await sleep(due - performance.now());
      const key = keys[rand(keys.length)]!;
      const [sku, location] = key.split("|") as [string, string];
      const h = onHand.get(key)!;
      const ss = oms.get(key)!.safetyStock;
      let delta: number;
      if (mode === "cross") delta = h >= ss ? 1 + rand(Math.max(1, ss - 1)) - h : ss - h + 1 + rand(10);
      else {
        delta = [-3, -2, -1, 1, 2, 3, 4, 5, 6][rand(9)]!;
        if (h + delta < 1) delta = -delta;
      }
      const started = performance.now();
      const r = (await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku, location, delta })) as { available: number; onHand: number };
      onHand.set(key, r.onHand);
      const c: Change = { key, t0: started, expected: expectedAtp(key, r.onHand), neededPush: false };
      c.neededPush = r.available !== c.expected;
      all.push(c);
      outstanding.set(key, [...(outstanding.get(key) ?? []), c]);
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    loading = false;
    await poller;
    const convergedSeconds = Math.max(0, ...all.filter((c) => c.doneMs !== undefined).map((c) => c.t0 + c.doneMs! - t0)) / 1000;
    const pollerStopped = (performance.now() - t0) / 1000;
    const drained = await idle(240_000);
    const cost1 = { ...inventoryCost };

    const pushed = all.filter((c) => c.neededPush);
    const late = all.filter((c) => c.doneMs === undefined);
    const after = await shopifyState();
    const omsAfter = await db().stockLevel.findMany({ where: { shop: SHOP } });
    const omsByKey = new Map(omsAfter.map((l) => [`${l.sku}|${names.get(l.locationId)}`, l]));
    const offLevels = after.filter((s) => {
      const o = omsByKey.get(`${s.sku}|${s.location}`);
      return !o || o.onHand !== s.on_hand || s.available !== atp(o);
    });
    const offAtEnd = offLevels.length;
    // Where Shopify is off, does the OMS know? (Its record of Shopify's available and safety_stock.)
    const unaware = offLevels.filter((s) => {
      const o = omsByKey.get(`${s.sku}|${s.location}`);
      return o && (o.shopifyAvailable !== s.available || o.heldBack !== s.safety_stock);
    }).length;
    if (process.env.OMS_BENCH_DEBUG)
      for (const s of offLevels)
        console.log(
          "off",
          JSON.stringify(s),
          JSON.stringify(omsByKey.get(`${s.sku}|${s.location}`)),
          JSON.stringify(all.filter((c) => c.key === `${s.sku}|${s.location}`)),
        );
    const deadLetters = await db().deadLetter.count();
    const { inventoryFailed } = await counts();

    console.log("");
    kv("changes sent", `${fmt(all.length)} in ${sendSeconds.toFixed(1)} s (${fmt(all.length / sendSeconds, 1)}/s)`);
    kv("changes that needed an OMS push", `${pushed.length} (the others were right in Shopify at once)`);
    console.log(
      summarize(
        "change → Shopify available = ATP",
        all.filter((c) => c.doneMs !== undefined).map((c) => c.doneMs!),
      ),
    );
    if (pushed.length !== all.length)
      console.log(
        summarize(
          "  … of those that needed a push",
          pushed.filter((c) => c.doneMs !== undefined).map((c) => c.doneMs!),
        ),
      );
    kv(`never converged within ${GIVE_UP_MS / 1000} s`, late.length);
    kv("last change converged", `${convergedSeconds.toFixed(1)} s after the first was sent`);
    kv("poller stopped / queues drained", `${pollerStopped.toFixed(1)} s / ${drained.toFixed(1)} s`);
    kv("max inventory queue backlog (waiting)", maxBacklog);
    kv("inventory jobs failed / dead letters", `${inventoryFailed} / ${deadLetters}`);
    kv(
      "levels off at the end (Shopify vs OMS)",
      `${offAtEnd} of ${after.length}; on ${unaware} of them the OMS's record of Shopify's available/safety_stock is not what Shopify has`,
    );
    console.log(summarize(`poll of /state (${after.length} levels)`, pollMs));
    const points = cost1.points - cost0.points;
    const calls = cost1.calls - cost0.calls;
    kv("Admin API cost points (inventoryCost)", `${fmt(points)} in ${fmt(calls)} calls, over the run and its drain`);
    kv("cost points per 1,000 changes", `${fmt((points / all.length) * 1000)} (${fmt((calls / all.length) * 1000)} calls)`);
    for (const [name, s] of ops) {
      const s0 = ops0.get(name) ?? { calls: 0, actual: 0, throttled: 0 };
      if (s.calls === s0.calls) continue;
      kv(
        `  ${name}`,
        `${fmt(s.calls - s0.calls)} calls, ${fmt(s.actual - s0.actual)} points${s.throttled > s0.throttled ? `, ${s.throttled - s0.throttled} THROTTLED` : ""}`,
      );
    }
    kv(
      "stand-in bucket (throttleStatus)",
      `min ${Number.isFinite(bucket.min) ? fmt(bucket.min) : "?"} / ${fmt(bucket.max)} available during the run, ${fmt(bucket.last)} at the end, restore ${fmt(bucket.restoreRate)}/s`,
    );
  } finally {
    standIn.child.kill("SIGTERM");
    await closeQueues();
    await app.close();
    await db().$disconnect();
    await deleteKeysWithPrefix(redis.url, world.queuePrefix);
    redis.child?.kill();
    rmSync(world.dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  await main(process.argv.slice(2));
  process.exit(0);
}
