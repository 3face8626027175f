// Many processes on PostgreSQL against one worker on SQLite, same input (issue 12, "Many processes").
//   npm run bench -- cluster [orders=2000] [rate=40]
//
// Two runs of one seeded input, each on a fresh Shopify stand-in (dev/shopify-local, one warehouse,
// the demo catalogue with scarce random stock) whose webhooks are duplicated (20 %) and reordered
// and delayed (shuffled in 400 ms windows), each run started with dev/cluster.ts:
//   A. SQLite, 1 web process and 1 worker;
//   B. PostgreSQL (a fresh schema, the committed migrations), 2 web processes and 4 workers.
// The input, sent one request at a time: actions until `orders` checkouts were accepted, each a shopper checkout (80 %, refused by
// the stand-in when out of stock), a WMS stock change (+6…−2 on hand, 12 %) or a cancellation of an
// earlier order (8 %). Then each run is left to settle (queues empty, every order as Shopify has it).
// Printed per run: orders lost (in Shopify, not in the OMS, or in another state), duplicated (an
// order twice, or an order holding more than its open units), oversold levels (reserved > on hand in
// the OMS, available < 0 in Shopify; the input's stock changes never take on hand below what
// Shopify has committed); then whether B's end state (every order's state and reserved
// units, every level's on hand, reserved, committed and ATP) is A's.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { buildAppIfMissing } from "../dev/lib/processes";
import { fmt, freePort, spawnCluster, inFreshProcess, isMain, kv, machineFacts, spawnStandIn } from "./inventory-lib";
import { busyJobs, isolatedWorld, sleep } from "./lib";

const SEED = 20261201;
// How long a run may take to settle after its last action (BENCH_SETTLE_S, default 1800 s).
const SETTLE_LIMIT_MS = Number(process.env.BENCH_SETTLE_S ?? 1800) * 1000;
const FAULTS = { duplicateRate: 0.2, reorderWindowMs: 400 };
const PG_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

type EndState = {
  orders: Record<string, { state: string; reserved: number }>;
  levels: Record<string, { onHand: number; reserved: number; committed: number; atp: number }>;
};
type RunResult = {
  label: string;
  actions: { checkouts: number; refused: number; adjusts: number; cancels: number; sendSeconds: number };
  settleSeconds: number;
  shopifyOrders: number;
  omsOrders: number;
  lost: string[];
  duplicated: string[];
  oversold: string[];
  deliveries: number;
  jobsFailed: number;
  end: EndState;
};

export async function run(args: string[]) {
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const [orders = 2000, rate = 40] = nums;
  await buildAppIfMissing();
  console.log(
    `\ncluster: ${fmt(orders)} orders placed (actions until then) at up to ${rate}/s, webhooks ${JSON.stringify(FAULTS)}; A = SQLite 1 web + 1 worker, B = PostgreSQL 2 web + 4 workers`,
  );
  console.log(machineFacts());
  const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-cluster-"));
  try {
    const results: RunResult[] = [];
    for (const [label, db, web, workers] of [
      ["A: SQLite, 1 web + 1 worker", "sqlite", 1, 1],
      ["B: PostgreSQL, 2 web + 4 workers", "postgres", 2, 4],
    ] as const) {
      const out = path.join(dir, `${db}.json`);
      await inFreshProcess(import.meta.url, ["--phase", label, db, String(web), String(workers), String(orders), String(rate), out]);
      results.push(JSON.parse(readFileSync(out, "utf8")) as RunResult);
      printRun(results.at(-1)!);
    }
    function printRun(r: RunResult) {
      console.log(`\n${r.label}`);
      kv(
        "actions",
        `${fmt(r.actions.checkouts)} checkouts (${fmt(r.actions.refused)} refused: out of stock), ${fmt(r.actions.adjusts)} stock changes, ${fmt(r.actions.cancels)} cancellations, sent in ${r.actions.sendSeconds.toFixed(1)} s`,
      );
      kv("settled after the last action in", `${r.settleSeconds.toFixed(1)} s`);
      kv("webhook deliveries stored", fmt(r.deliveries));
      kv("orders in Shopify / in the OMS", `${fmt(r.shopifyOrders)} / ${fmt(r.omsOrders)}`);
      kv("orders lost", `${r.lost.length}${r.lost.length ? ` (${r.lost.slice(0, 5).join("; ")})` : ""}`);
      kv("orders duplicated", `${r.duplicated.length}${r.duplicated.length ? ` (${r.duplicated.slice(0, 5).join("; ")})` : ""}`);
      kv("oversold levels", `${r.oversold.length}${r.oversold.length ? ` (${r.oversold.slice(0, 5).join("; ")})` : ""}`);
      kv("jobs failed for good (dead letters)", fmt(r.jobsFailed));
    }
    const [a, b] = results as [RunResult, RunResult];
    const diffs = compare(a.end, b.end);
    console.log("");
    kv("orders compared (state, reserved units)", fmt(Object.keys(a.end.orders).length));
    kv("levels compared (on hand, reserved, committed, ATP)", fmt(Object.keys(a.end.levels).length));
    kv("same end state (B = A)", diffs.length === 0 ? "yes" : `NO: ${diffs.length} differences (${diffs.slice(0, 5).join("; ")})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compare(a: EndState, b: EndState): string[] {
  const out: string[] = [];
  for (const kind of ["orders", "levels"] as const) {
    const keys = new Set([...Object.keys(a[kind]), ...Object.keys(b[kind])]);
    for (const k of keys) {
      const x = JSON.stringify(a[kind][k] ?? null);
      const y = JSON.stringify(b[kind][k] ?? null);
      if (x !== y) out.push(`${kind} ${k}: A ${x} B ${y}`);
    }
  }
  return out;
}

async function phase(label: string, kind: "sqlite" | "postgres", web: number, workers: number, actions: number, rate: number, outFile: string) {
  const redis = await ensureRedis();
  const world = isolatedWorld("cluster"); // a SQLite file (used by A) and a Redis prefix
  let databaseUrl = world.databaseUrl;
  let dropSchema = async () => {};
  if (kind === "postgres") {
    const { applyPgMigrations, dropPgSchema } = await import("../dev/pg-migrate.mjs");
    const schema = `oms_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    const url = new URL(PG_URL);
    url.searchParams.set("schema", schema);
    databaseUrl = url.toString();
    await applyPgMigrations(databaseUrl, { pending: true });
    dropSchema = () => dropPgSchema(databaseUrl);
  }
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: world.queuePrefix,
    STANDIN_WEBHOOK_FAULTS: JSON.stringify(FAULTS),
  });
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
  const { db } = await import("~/.server/db/client");
  const { closeQueues, queue, allQueueNames } = await import("~/.server/queue/queues");
  const { reconcileStock } = await import("~/.server/services/reconcile-stock");
  const { redirectShopifyOrigin } = await import("~/.server/shopify/admin-origin");
  const { sessionStorage } = await import("~/shopify.server");
  const { atp } = await import("~/domain/inventory/atp");
  const { Session } = await import("@shopify/shopify-api");
  const { demoFixture } = await import("../dev/demo/fixture");
  const { composeOrder } = await import("../dev/demo/shopper-simulator");
  const { createRng } = await import("../dev/demo/prng");

  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const standIn = await spawnStandIn(appUrl);
  let cluster: ChildProcess | undefined;
  const log = path.join(world.dir, "cluster.log");
  try {
    // One warehouse, the demo catalogue, scarce stock (seeded): the orders compete for units.
    const fixture = demoFixture();
    const stockRng = createRng(SEED);
    const [warehouse] = fixture.shop.locations;
    const shop = {
      ...fixture.shop,
      locations: [warehouse!],
      products: fixture.shop.products.map((p) => ({
        ...p,
        variants: p.variants.map((v) => ({ ...v, inventory: { [warehouse!.name]: stockRng.int(0, 12) } })),
      })),
    };
    const SHOP = shop.domain;
    const seeded = await standIn.post("/_dev/shops", shop);
    if (!seeded.ok) throw new Error(`seeding: ${seeded.status} ${await seeded.text()}`);
    const { accessToken, scope } = (await (await standIn.post(`/_dev/shops/${SHOP}/install`, {})).json()) as { accessToken: string; scope: string };
    await db().shop.upsert({ where: { domain: SHOP }, create: { domain: SHOP, name: shop.name }, update: {} });
    await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken, scope }));
    redirectShopifyOrigin(standIn.url, "development");
    await reconcileStock(SHOP, new Date());

    cluster = spawnCluster({ log, web, workers, port: appPort, standInUrl: standIn.url });
    const up = Date.now();
    const upLimitMs = Number(process.env.OMS_UP_TIMEOUT_S ?? 60) * 1000 + 120_000;
    while (!readFileSync(log, "utf8").includes("OMS cluster is up")) {
      if (cluster.exitCode !== null || Date.now() - up > upLimitMs) throw new Error(`the cluster did not come up:\n${readFileSync(log, "utf8").slice(-3000)}`);
      await sleep(250);
    }

    type StandInState = {
      orders: { id: string; name: string; cancelledAt: string | null; lines: { sku: string; currentQuantity: number }[] }[];
      inventory: { sku: string; available: number; on_hand: number; committed: number }[];
    };
    const stateOf = async () => (await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as StandInState;
    // The input: the same seeded sequence in both runs, one request at a time.
    const rng = createRng(SEED + 1);
    const skus = shop.products.flatMap((p) => p.variants.map((v) => v.sku));
    const placed: string[] = [];
    const counts = { checkouts: 0, refused: 0, adjusts: 0, cancels: 0, sendSeconds: 0 };
    const t0 = performance.now();
    // `actions` is the number of orders to place: the input runs until that many checkouts were
    // accepted (at most four times as many actions), so refusals for lack of stock do not shrink it.
    for (let i = 0; placed.length < actions && i < actions * 4; i++) {
      const due = t0 + (i * 1000) / rate;
      if (due - performance.now() > 1) await sleep(due - performance.now());
      const roll = rng.next();
      if (roll < 0.8 || placed.length === 0) {
        counts.checkouts++;
        const r = await standIn.post(`/_dev/shops/${SHOP}/checkout`, composeOrder(rng, fixture.shoppers, skus));
        if (r.ok) placed.push(((await r.json()) as { orderId: string }).orderId);
        else counts.refused++;
      } else if (roll < 0.92) {
        counts.adjusts++;
        // A WMS count: up to 6 more, or up to 2 fewer but never below what Shopify has committed
        // (on hand − committed comes from the input alone, not from what the OMS holds back).
        const sku = rng.pick(skus);
        let delta = rng.int(-2, 6);
        if (delta < 0) {
          const lv = (await stateOf()).inventory.find((l) => l.sku === sku);
          delta = Math.max(delta, -Math.max(0, (lv?.on_hand ?? 0) - (lv?.committed ?? 0)));
        }
        if (delta !== 0) await (await standIn.post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku, location: warehouse!.name, delta })).text();
      } else {
        counts.cancels++;
        await (await standIn.post(`/_dev/shops/${SHOP}/orders/${encodeURIComponent(rng.pick(placed))}/cancel`, {})).text();
      }
    }
    counts.sendSeconds = (performance.now() - t0) / 1000;

    // Settle: every Shopify order in the OMS in Shopify's state, queues empty, nothing left to process, for 3 s.
    const settleStart = performance.now();
    let quietSince = 0;
    for (;;) {
      const [s, oms, counts2, received] = await Promise.all([
        stateOf(),
        db().order.findMany({ where: { shop: SHOP }, select: { sourceId: true, state: true } }),
        Promise.all(allQueueNames.map((q) => busyJobs(queue(q)))),
        db().webhookDelivery.count({ where: { shop: SHOP, status: "received" } }),
      ]);
      const omsState = new Map(oms.map((o) => [o.sourceId, o.state]));
      const caughtUp = s.orders.every((o) => omsState.has(o.id) && (omsState.get(o.id) === "cancelled") === (o.cancelledAt !== null));
      const busy = counts2.reduce((n, c) => n + c, 0) + received;
      if (caughtUp && busy === 0) {
        quietSince ||= performance.now();
        if (performance.now() - quietSince > 3_000) break;
      } else quietSince = 0;
      if (performance.now() - settleStart > SETTLE_LIMIT_MS) {
        console.error(`${label}: not settled after ${SETTLE_LIMIT_MS / 1000} s; the figures below are of an unsettled run`);
        break;
      }
      await sleep(500);
    }
    const settleSeconds = (performance.now() - settleStart) / 1000 - 3;

    const s = await stateOf();
    const omsOrders = await db().order.findMany({ where: { shop: SHOP }, select: { id: true, sourceId: true, name: true, state: true } });
    const movements = await db().stockMovement.groupBy({ by: ["reference"], where: { shop: SHOP, reference: { not: null } }, _sum: { reservedDelta: true } });
    const reservedOf = new Map(movements.map((m) => [m.reference, m._sum.reservedDelta ?? 0]));
    const bySource = new Map<string, typeof omsOrders>();
    for (const o of omsOrders) bySource.set(o.sourceId, [...(bySource.get(o.sourceId) ?? []), o]);
    const lost: string[] = [];
    const duplicated: string[] = [];
    const orders: EndState["orders"] = {};
    for (const o of s.orders) {
      const mine = bySource.get(o.id) ?? [];
      if (mine.length === 0) {
        lost.push(`${o.name} missing`);
        continue;
      }
      if (mine.length > 1) duplicated.push(`${o.name} ×${mine.length}`);
      const m = mine[0]!;
      if ((m.state === "cancelled") !== (o.cancelledAt !== null))
        lost.push(`${o.name} is ${m.state} in the OMS, ${o.cancelledAt ? "cancelled" : "open"} in Shopify`);
      const open = o.cancelledAt ? 0 : o.lines.reduce((n, l) => n + l.currentQuantity, 0);
      const reserved = reservedOf.get(m.id) ?? 0;
      if (reserved > open) duplicated.push(`${o.name} holds ${reserved} of ${open} open units`);
      if (reserved < open) lost.push(`${o.name} holds ${reserved} of ${open} open units`);
      orders[o.name] = { state: m.state, reserved };
    }
    const levels: EndState["levels"] = {};
    const oversold: string[] = [];
    for (const l of await db().stockLevel.findMany({ where: { shop: SHOP } })) {
      levels[l.sku ?? l.inventoryItemId] = { onHand: l.onHand, reserved: l.reserved, committed: l.committed, atp: atp(l) };
      if (l.reserved > 0 && l.reserved > l.onHand) oversold.push(`${l.sku}: reserved ${l.reserved} > on hand ${l.onHand}`);
    }
    for (const lv of s.inventory) if (lv.available < 0) oversold.push(`${lv.sku}: Shopify available ${lv.available}`);
    const result: RunResult = {
      label,
      actions: counts,
      settleSeconds,
      shopifyOrders: s.orders.length,
      omsOrders: omsOrders.length,
      lost,
      duplicated,
      oversold,
      deliveries: await db().webhookDelivery.count({ where: { shop: SHOP } }),
      jobsFailed: await db().deadLetter.count(),
      end: { orders, levels },
    };
    writeFileSync(outFile, JSON.stringify(result));
  } finally {
    if (cluster && cluster.exitCode === null) {
      const gone = new Promise((r) => cluster!.once("exit", r));
      cluster.kill("SIGTERM");
      await Promise.race([gone, sleep(40_000)]);
      if (cluster.exitCode === null) cluster.kill("SIGKILL");
    }
    standIn.child.kill("SIGTERM");
    await closeQueues();
    await db().$disconnect();
    await deleteKeysWithPrefix(redis.url, world.queuePrefix);
    await dropSchema();
    if (process.env.BENCH_KEEP_LOG === "1") console.log(`cluster log: ${log}`);
    else rmSync(world.dir, { recursive: true, force: true });
    redis.child?.kill();
  }
}

if (isMain(import.meta.url)) {
  const i = process.argv.indexOf("--phase");
  if (i >= 0) {
    const [label, kind, web, workers, actions, rate, out] = process.argv.slice(i + 1);
    await phase(label!, kind as "sqlite" | "postgres", Number(web), Number(workers), Number(actions), Number(rate), out!);
    process.exit(0);
  }
}
