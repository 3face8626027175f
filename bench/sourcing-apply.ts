// orders/create → Shopify fulfilment orders where the engine chose. The stand-in (with its webhook
// dispatcher, no faults, default plan rate) runs in a child process seeded with the demo shop (4
// warehouses, 4 stores, a drop-ship supplier, a few hundred variants); this process runs the app's
// webhook route on a real port and the real processors (startProcessing, as the worker does), on an
// isolated SQLite file and Redis prefix. After an initial reconcileStock, the merchant's rule set
// ranks warehouses before stores (priority, then fewest shipments, then distance), which Shopify's
// native routing (closest) often disagrees with, so many orders must be moved or split. Orders
// composed as the demo's shopper simulator composes them are placed through
// /_dev/shops/:shop/checkout at a steady rate.
//
// For each order: from the checkout call to the moment the stand-in's fulfilment orders (those with
// units left) sit exactly at the locations of the OMS's live decision. The stand-in's fulfilment
// orders of the outstanding orders and the decisions table are polled every `poll` ms (default 100)
// by one poller, so each figure is up to one poll late. Orders Shopify had already placed where the engine wanted ("unchanged") count
// when their decision is recorded; they are reported apart from those that needed moves/splits.
//
// Also printed: the Admin API points spent per operation and per order (against the plan's restore
// rate), the worker's time per job and webhook topic, and — once the last order has settled and
// every inventory read and push is done — how many levels have Shopify's available ≠ the OMS's ATP.
//   npm run bench -- sourcing-apply [orders=400] [rate=20] [poll=100]   (BENCH_DEBUG=1: details)
import { rmSync } from "node:fs";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { serveWebhookRoute } from "../dev/lib/webhook-endpoint";
import { instrumentAdminApi, fmt, inFreshProcess, isMain, kv, machineFacts, spawnStandIn, type OpStats } from "./inventory-lib";
import { isolatedWorld, sleep, summarize } from "./lib";
import { GIVE_UP_MS, installDemoShop, placeAndWatch, shopperSkus, warehousesFirst } from "./sourcing-lib";
import { instrumentSql, statementMs, type SqlStats } from "./sql-count";

export async function run(args: string[]) {
  await inFreshProcess(import.meta.url, args);
}

async function main(args: string[]) {
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const [orders = 400, rate = 20] = nums;
  const POLL_MS = Number(args.find((a) => a.startsWith("poll="))?.slice(5) ?? 100);
  const redis = await ensureRedis();
  const world = isolatedWorld("sourcing-apply");
  process.on("exit", () => rmSync(world.dir, { recursive: true, force: true }));
  Object.assign(process.env, { DATABASE_URL: world.databaseUrl, REDIS_URL: redis.url, QUEUE_PREFIX: world.queuePrefix });
  delete process.env.SHOPIFY_ADMIN_ORIGIN;

  const { db } = await import("~/.server/db/client");
  const { outstandingLevelReads } = await import("~/.server/db/stock");
  const { SqliteAdapter } = await import("~/.server/db/sqlite/adapter");
  const sql = instrumentSql(SqliteAdapter);
  const { closeQueues, queue } = await import("~/.server/queue/queues");
  const { QUEUES } = await import("~/.server/queue/definitions");
  const { startProcessing } = await import("~/.server/queue/worker");
  const { processors } = await import("../jobs/processors");
  const { demoFixture } = await import("../dev/demo/fixture");
  const { createRng } = await import("../dev/demo/prng");

  const app = await sql.within("webhook route", () => serveWebhookRoute());
  const standIn = await spawnStandIn(app.url);
  const standInUrl = standIn.url;
  const pending = async () => {
    const all = await Promise.all(QUEUES.map((q) => queue(q).getJobCounts()));
    return all.reduce((n, c) => n + c.waiting + c.active + c.delayed, 0);
  };

  const { ops, bucket } = instrumentAdminApi();
  const fixture = demoFixture();
  const SHOP = fixture.shop.domain;
  console.log(
    `\nsourcing apply: ${fmt(orders)} shopper orders at ${rate}/s on the demo shop (${fixture.shop.locations.length} locations, ${fixture.shop.products.reduce((n, p) => n + p.variants.length, 0)} variants)`,
  );
  console.log(machineFacts());
  try {
    await installDemoShop(standIn, fixture);
    // Time every job by name (the work behind each figure), and each webhook by topic.
    const jobMs = new Map<string, number[]>();
    const webhookMs: { deliveryId: string; ms: number }[] = [];
    const failures = new Map<string, number>();
    const flushes: { levels: number; moved: number; calls: number; staleRetries: number; ms: number }[] = [];
    const timed = Object.fromEntries(
      Object.entries(processors).map(([key, fn]) => [
        key,
        async (payload: never, ctx: never) => {
          const started = performance.now();
          let skipped = false;
          try {
            const out = await sql.within(key, () => (fn as (p: never, c: never) => Promise<unknown>)(payload, ctx));
            if (key === "inventoryFlush") flushes.push({ ...(out as object), ms: Math.round(performance.now() - started) } as never);
            skipped = Boolean((out as { skipped?: unknown } | null)?.skipped);
            return out;
          } catch (e) {
            const why = `${key}: ${String((e as Error).message).slice(0, 90)}`;
            failures.set(why, (failures.get(why) ?? 0) + 1);
            throw e;
          } finally {
            // A webhook's topic is looked up after the run (a query here would be counted with the jobs' own).
            if (key === "processWebhook") webhookMs.push({ deliveryId: (payload as { deliveryId: string }).deliveryId, ms: performance.now() - started });
            else {
              const name = key === "syncOrder" ? `syncOrder (${(payload as { via: string }).via}${skipped ? ", skipped" : ""})` : key;
              jobMs.set(name, [...(jobMs.get(name) ?? []), performance.now() - started]);
            }
          }
        },
      ]),
    ) as unknown as typeof processors;
    startProcessing(timed);

    const names = await warehousesFirst(SHOP);
    const t = performance.now();
    while ((await pending()) > 0 && performance.now() - t < 240_000) await sleep(500);
    kv("echo webhooks drained in", `${((performance.now() - t) / 1000).toFixed(1)} s`);
    await sleep(5_000); // the Admin API bucket full again

    let ops0 = new Map<string, OpStats>();
    let sql0 = sql.snapshot();
    const { placed, refused, sendSeconds, pollMs } = await placeAndWatch({
      standIn,
      shop: SHOP,
      names,
      fixture,
      skus: shopperSkus(fixture),
      rng: createRng(20261123),
      orders,
      rate,
      pollMs: POLL_MS,
      wrapPoller: (poll) => sql.within("bench", poll),
      onStart: () => {
        ops0 = new Map([...ops].map(([k, v]) => [k, { ...v }]));
        sql0 = sql.snapshot();
        bucket.min = Infinity;
      },
    });

    // Then the inventory side settles: every read asked for served, every push made. Shopify's
    // available should then equal the OMS's ATP at every level the orders touched.
    const drainStart = performance.now();
    while (performance.now() - drainStart < 120_000 && ((await pending()) > 0 || (await outstandingLevelReads()) > 0)) await sleep(200);
    const drainedS = (performance.now() - drainStart) / 1000;
    const sql1 = sql.snapshot();
    const { atp } = await import("~/domain/inventory/atp");
    type StateLevel = { sku: string; location: string; available: number; on_hand: number; committed: number };
    const shopifyLevels = ((await (await fetch(`${standInUrl}/_dev/shops/${SHOP}/state`)).json()) as { inventory: StateLevel[] }).inventory;
    const omsLevels = new Map((await db().stockLevel.findMany({ where: { shop: SHOP } })).map((l) => [`${l.sku}|${names.get(l.locationId)}`, l]));
    const off = shopifyLevels.filter((lv) => {
      const o = omsLevels.get(`${lv.sku}|${lv.location}`);
      return !o || o.onHand !== lv.on_hand || o.committed !== lv.committed || lv.available !== atp(o);
    });

    const done = placed.filter((p) => p.doneMs !== undefined);
    const moved = done.filter((p) => p.applied === "applied");
    console.log("");
    kv("orders placed", `${fmt(placed.length)} in ${sendSeconds.toFixed(1)} s (${fmt(placed.length / sendSeconds, 1)}/s); ${refused} refused by checkout`);
    kv(
      "decisions: applied / unchanged / other",
      `${moved.length} / ${done.filter((p) => p.applied === "unchanged").length} / ${done.filter((p) => p.applied !== "applied" && p.applied !== "unchanged").length}`,
    );
    kv("outcomes", JSON.stringify(Object.fromEntries([...new Set(done.map((p) => p.outcome))].map((o) => [o, done.filter((p) => p.outcome === o).length]))));
    kv("orders needing moves that were split", moved.filter((p) => (p.shipments ?? 0) > 1).length);
    console.log(
      summarize(
        "orders/create → FOs moved (applied)",
        moved.map((p) => p.doneMs!),
      ),
    );
    console.log(
      summarize(
        "orders/create → routed (all)",
        done.map((p) => p.doneMs!),
      ),
    );
    kv(`not settled within ${GIVE_UP_MS / 1000} s`, placed.length - done.length);
    console.log(summarize("poll (fulfilment orders + decisions)", pollMs));
    kv("inventory settled after the last order", `${drainedS.toFixed(1)} s (queues empty, no level waiting to be read)`);
    kv("levels where Shopify's available ≠ OMS ATP", `${off.length} of ${shopifyLevels.length}`);
    if (process.env.BENCH_DEBUG) {
      for (const lv of off.slice(0, 10)) {
        const o = omsLevels.get(`${lv.sku}|${lv.location}`);
        console.log("off", JSON.stringify(lv), JSON.stringify(o));
        if (o)
          for (const m of await db().stockMovement.findMany({
            where: { shop: SHOP, inventoryItemId: o.inventoryItemId, locationId: o.locationId },
            orderBy: { at: "asc" },
          }))
            console.log("   ", m.at.toISOString(), m.kind, m.reservedDelta, m.onHandDelta, m.reference);
        if (o) {
          const num = (g: string) => g.slice(g.lastIndexOf("/") + 1);
          const hooks = await db().webhookDelivery.findMany({
            where: { shop: SHOP, topic: "inventory_levels/update", payload: { body: { contains: `"inventory_item_id":${num(o.inventoryItemId)}` } } },
            include: { payload: true },
            orderBy: { receivedAt: "asc" },
          });
          for (const h of hooks) {
            const b = JSON.parse(h.payload?.body ?? "{}") as { location_id: number; available: number };
            if (String(b.location_id) === num(o.locationId))
              console.log("    hook", h.receivedAt.toISOString(), h.processedAt?.toISOString(), "available", b.available, h.status);
          }
        }
      }
    }
    kv("dead letters", await db().deadLetter.count());
    // The money sweep (finance/money-sweep.ts) ran within the figures: every paid order's money read.
    kv(
      "paid orders whose money was read",
      `${await db().orderMoney.count({ where: { shop: SHOP } })} of ${await db().order.count({ where: { shop: SHOP, financialStatus: "paid" } })}`,
    );
    let points = 0;
    for (const [name, st] of ops) {
      const st0 = ops0.get(name) ?? { calls: 0, actual: 0, throttled: 0 };
      if (st.calls === st0.calls) continue;
      points += st.actual - st0.actual;
      kv(
        `  Admin API ${name}`,
        `${fmt(st.calls - st0.calls)} calls, ${fmt(st.actual - st0.actual)} points${st.throttled > st0.throttled ? `, ${st.throttled - st0.throttled} THROTTLED` : ""}`,
      );
    }
    kv(
      "Admin API points per order",
      `${fmt(points / Math.max(1, placed.length), 1)} (bucket min ${Number.isFinite(bucket.min) ? fmt(bucket.min) : "?"} of ${fmt(bucket.max)}, restore ${fmt(bucket.restoreRate)}/s)`,
    );
    if (process.env.BENCH_DEBUG) console.log(JSON.stringify(flushes));
    // SQL statements from the first order to the end of the drain (the bench's own polling apart).
    const zero: SqlStats = { statements: 0, reads: 0, writes: 0, transactions: 0, byStatement: new Map() };
    const perOrder = (n: number) => fmt(n / Math.max(1, placed.length), 1);
    let statements = 0;
    let routeStatements = 0;
    for (const [name, st] of [...sql1].sort((a, b) => b[1].statements - a[1].statements)) {
      if (name === "bench") continue;
      const st0 = sql0.get(name) ?? zero;
      const n = st.statements - st0.statements;
      if (n === 0) continue;
      statements += n;
      if (name === "webhook route") routeStatements += n;
      kv(
        `  SQL ${name}`,
        `${perOrder(n)} statements/order (${perOrder(st.reads - st0.reads)} reads, ${perOrder(st.writes - st0.writes)} writes, ${perOrder(st.transactions - st0.transactions)} transactions)`,
      );
      if (process.env.BENCH_DEBUG) {
        const delta = [...st.byStatement]
          .map(([k, v]) => [k, v - (st0.byStatement.get(k) ?? 0)] as const)
          .filter(([, v]) => v > 0)
          .sort((a, b) => b[1] - a[1]);
        for (const [k, v] of delta.slice(0, 25)) console.log(`      ${perOrder(v).padStart(6)}  ${k}`);
      }
    }
    kv("SQL statements per order", `${perOrder(statements)} (every job and the webhook route; BEGIN/COMMIT not counted)`);
    kv("  of which the worker's (jobs only)", perOrder(statements - routeStatements));
    if (process.env.BENCH_DEBUG) {
      console.log("  time in the SQLite driver per statement (whole run, ms):");
      for (const [k, ms] of [...statementMs].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`      ${ms.toFixed(0).padStart(7)}  ${k}`);
    }
    for (const [why, n] of failures) kv(`failed attempts (${n})`, why);
    const topics = new Map(
      (
        await db().webhookDelivery.findMany({
          where: { id: { in: webhookMs.map((w) => w.deliveryId) } },
          select: { id: true, topic: true },
        })
      ).map((d) => [d.id, d.topic]),
    );
    for (const w of webhookMs) {
      const name = `webhook ${topics.get(w.deliveryId) ?? "?"}`;
      jobMs.set(name, [...(jobMs.get(name) ?? []), w.ms]);
    }
    console.log("\nwork done by the worker (in-process, concurrency as configured):");
    for (const [name, ms] of [...jobMs].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0))) {
      console.log(`${summarize(name, ms)}  total=${(ms.reduce((x, y) => x + y, 0) / 1000).toFixed(1)} s`);
    }
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
