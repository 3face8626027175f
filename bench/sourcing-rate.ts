// The order rate at which orders/create → Shopify fulfilment orders at the engine's locations keeps
// p95 ≤ 2 s, with the app as separate processes on PostgreSQL (issue 19).
//   npm run bench -- sourcing-rate [orders=200] [rates=10,15,20,25] [web=1] [workers=2] [poll=100] [warmup=60]
//
// The app runs as production runs it: dev/cluster.ts with `web` web processes and `workers` worker
// processes (default 1 + 2), on a fresh PostgreSQL schema built from the committed migrations
// (TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test; dropped at the end) and a
// Redis prefix of its own (deleted at the end). `warmup` orders at 10/s go first and are not
// counted (fresh processes are slower; 0: none). The stand-in, the demo shop, the initial
// reconcileStock and the merchant's rule set (warehouses first, so about half the orders must be
// moved or split) are sourcing-apply's (bench/sourcing-lib.ts). For each rate, `orders` shopper
// orders go through the stand-in's checkout at that steady rate, and each is measured as
// sourcing-apply measures it: from the checkout call to the moment the stand-in's fulfilment orders
// (those with units left) sit exactly at the locations of the OMS's live decision, read from the
// PostgreSQL database by one poller every `poll` ms (so each figure is up to one poll late). Between
// rates the app is left to drain (queues empty, no delivery or level read waiting), then the Admin
// API bucket to refill.
//
// Printed per rate: orders placed and the rate achieved, how many settled within 60 s of the last
// checkout, p50/p95/p99/max of all settled orders and of those the OMS had to move, the dead letters
// the rate added, and where the time goes: the median moment, from the checkout call, at which the
// orders/create delivery was stored and processed, the order row written, the routing decision
// recorded and the fulfilment orders settled (the rows' own timestamps). Then the highest rate whose
// p95 is ≤ 2 s, the p95 taken over every placed order with the unsettled ones counted as slower
// than any settled one.
//
// Not measured here (the work happens in other processes): Admin API points per order, SQL
// statements per order, time per job; sourcing-apply prints those for the in-process worker on SQLite.
// BENCH_KEEP_LOG=1 keeps the cluster's log (its path is printed); BENCH_DEBUG=1 prints each order's
// steps and every job's enqueue, start and end (ms from the rate's first checkout).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildAppIfMissing } from "../dev/lib/processes";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { fmt, freePort, spawnCluster, inFreshProcess, isMain, kv, machineFacts, spawnStandIn } from "./inventory-lib";
import { busyJobs, percentile, sleep, summarize } from "./lib";
import { GIVE_UP_MS, installDemoShop, placeAndWatch, shopperSkus, warehousesFirst, type Placed } from "./sourcing-lib";

const PG_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const TARGET_P95_MS = 2_000;
const DRAIN_LIMIT_MS = 300_000;
/** Set by Ctrl-C/SIGTERM: the run is being torn down. */
let interrupted = false;

export async function run(args: string[]) {
  await buildAppIfMissing();
  await inFreshProcess(import.meta.url, args);
}

function parseArgs(args: string[]) {
  const named = (name: string) => args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  const whole = (name: string, fallback: number, min: number) => {
    const v = Number(named(name) ?? fallback);
    if (!Number.isInteger(v) || v < min) throw new Error(`${name}= must be a whole number ≥ ${min}`);
    return v;
  };
  const rates = (named("rates") ?? "10,15,20,25").split(",").map(Number);
  if (rates.length === 0 || rates.some((r) => !(r > 0))) throw new Error("rates= must be positive numbers separated by commas");
  const orders = Number(args.find((a) => /^\d+$/.test(a)) ?? named("orders") ?? 200);
  return { orders, rates, web: whole("web", 1, 1), workers: whole("workers", 2, 1), pollMs: whole("poll", 100, 10), warmup: whole("warmup", 60, 0) };
}

async function main(args: string[]) {
  const { orders, rates, web, workers, pollMs, warmup } = parseArgs(args);
  const redis = await ensureRedis();
  const dir = mkdtempSync(path.join(tmpdir(), "oms-bench-sourcing-rate-"));
  const queuePrefix = path.basename(dir); // oms-bench-sourcing-rate-…
  const schema = `oms_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const pgUrl = new URL(PG_URL);
  pgUrl.searchParams.set("schema", schema);
  const databaseUrl = pgUrl.toString();
  const log = path.join(dir, "cluster.log");

  // Everything this run started or created, undone once: at the end, on an error, on Ctrl-C/SIGTERM.
  let standIn: Awaited<ReturnType<typeof spawnStandIn>> | undefined;
  let cluster: ChildProcess | undefined;
  let schemaCreated = false;
  let app: { closeQueues: () => Promise<void>; disconnect: () => Promise<void> } | undefined;
  const alive = (c: ChildProcess | undefined): c is ChildProcess => c !== undefined && c.exitCode === null && c.signalCode === null;
  // The cluster runs in a process group of its own (its web and worker processes with it), so Ctrl-C
  // reaches it only through us, and a group kill leaves none of them behind.
  const killClusterGroup = () => {
    if (!cluster?.pid) return;
    try {
      process.kill(-cluster.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const step = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (e) {
      console.error(`sourcing-rate cleanup: ${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      if (alive(cluster)) {
        // SIGTERM: the web processes finish their requests, each worker its current job.
        const gone = new Promise((r) => cluster!.once("exit", r));
        cluster.kill("SIGTERM");
        await Promise.race([gone, sleep(40_000)]);
      }
      killClusterGroup(); // anything left of it
      if (alive(standIn?.child)) standIn.child.kill("SIGTERM");
      if (app) {
        await step("closing the queues", app.closeQueues);
        await step("closing the database", app.disconnect);
      }
      await step("deleting the Redis keys", () => deleteKeysWithPrefix(redis.url, queuePrefix));
      if (schemaCreated) await step(`dropping the schema ${schema}`, async () => (await import("../dev/pg-migrate.mjs")).dropPgSchema(databaseUrl));
      if (process.env.BENCH_KEEP_LOG === "1") console.log(`cluster log: ${log}`);
      else rmSync(dir, { recursive: true, force: true });
      redis.child?.kill();
    })());
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\nsourcing-rate: ${signal}: stopping the app's processes, dropping the schema and the Redis keys`);
      void cleanup().finally(() => process.exit(130));
    });
  // An error outside the awaited flow: undo everything before exiting (after a signal, errors of the
  // flow being torn down are expected and not printed).
  const fail = (e: unknown) => {
    if (!interrupted) console.error(e);
    void cleanup().finally(() => process.exit(interrupted ? 130 : 1));
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  // A crash past every finally: no child may outlive this process.
  process.on("exit", () => {
    if (alive(cluster)) killClusterGroup();
    if (alive(standIn?.child)) standIn.child.kill("SIGKILL");
  });

  try {
    const { applyPgMigrations } = await import("../dev/pg-migrate.mjs");
    schemaCreated = true; // from here on, drop it whatever happens
    await applyPgMigrations(databaseUrl, { pending: true });
    Object.assign(process.env, { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, QUEUE_PREFIX: queuePrefix });
    delete process.env.SHOPIFY_ADMIN_ORIGIN;

    const { db } = await import("~/.server/db/client");
    const { outstandingLevelReads } = await import("~/.server/db/stock");
    const { closeQueues, queue, allQueueNames } = await import("~/.server/queue/queues");
    app = { closeQueues, disconnect: () => db().$disconnect() };
    const { demoFixture } = await import("../dev/demo/fixture");
    const { createRng } = await import("../dev/demo/prng");
    const fixture = demoFixture();
    const SHOP = fixture.shop.domain;

    console.log(
      `\nsourcing rate: ${fmt(orders)} shopper orders at each of ${rates.join(", ")} orders/s on the demo shop (${fixture.shop.locations.length} locations, ${fixture.shop.products.reduce((n, p) => n + p.variants.length, 0)} variants); ${web} web + ${workers} worker processes on PostgreSQL (schema ${schema})`,
    );
    console.log(machineFacts());

    const appPort = await freePort();
    standIn = await spawnStandIn(`http://127.0.0.1:${appPort}`);
    cluster = spawnCluster({ log, web, workers, port: appPort, standInUrl: standIn.url, detached: true });
    const clusterLog = () => readFileSync(log, "utf8").slice(-3000);
    const up = Date.now();
    const upLimitMs = Number(process.env.OMS_UP_TIMEOUT_S ?? 60) * 1000 + 120_000;
    while (!readFileSync(log, "utf8").includes("OMS cluster is up")) {
      if (!alive(cluster) || Date.now() - up > upLimitMs) throw new Error(`the cluster did not come up:\n${clusterLog()}`);
      await sleep(250);
    }
    kv("cluster up in", `${((Date.now() - up) / 1000).toFixed(1)} s`);

    // Work left: jobs due, deliveries not processed yet, levels waiting to be read.
    const backlog = async () => {
      const [jobs, received, reads] = await Promise.all([
        Promise.all(allQueueNames.map((q) => busyJobs(queue(q)))),
        db().webhookDelivery.count({ where: { shop: SHOP, status: "received" } }),
        outstandingLevelReads(),
      ]);
      return jobs.reduce((n, c) => n + c, 0) + received + reads;
    };
    const drain = async (what: string) => {
      const t = performance.now();
      let quietSince = 0;
      for (;;) {
        if (!alive(cluster)) throw new Error(`the cluster stopped:\n${clusterLog()}`);
        if ((await backlog()) === 0) {
          quietSince ||= performance.now();
          if (performance.now() - quietSince >= 1_000) break;
        } else quietSince = 0;
        if (performance.now() - t > DRAIN_LIMIT_MS) {
          console.log(`${what}: not drained after ${DRAIN_LIMIT_MS / 1000} s; going on`);
          break;
        }
        await sleep(250);
      }
      kv(what, `${((performance.now() - t) / 1000).toFixed(1)} s`);
      await sleep(5_000); // the Admin API bucket full again
    };

    await installDemoShop(standIn, fixture);
    const names = await warehousesFirst(SHOP);
    await drain("echo webhooks drained in");

    // Where the time goes: the median moment of each step, from the checkout call (wall clocks of
    // this machine's processes: the rows' own timestamps).
    const printStages = async (placed: Placed[]) => {
      if (!placed.length) return;
      const ids = new Set(placed.map((p) => p.orderId));
      const received = new Map<string, { receivedAt: Date; processedAt: Date | null }>();
      for (const d of await db().webhookDelivery.findMany({
        where: { shop: SHOP, topic: "orders/create" },
        select: { payload: { select: { body: true } }, receivedAt: true, processedAt: true },
      })) {
        const id = (JSON.parse(d.payload?.body ?? "{}") as { admin_graphql_api_id?: string }).admin_graphql_api_id;
        if (id && ids.has(id) && !received.has(id)) received.set(id, d);
      }
      const rows = await db().order.findMany({ where: { shop: SHOP, sourceId: { in: [...ids] } }, select: { id: true, sourceId: true, createdAt: true } });
      const decided = new Map(
        (
          await db().routingDecision.findMany({
            where: { shop: SHOP, mode: "live", orderId: { in: rows.map((r) => r.id) } },
            select: { orderId: true, at: true },
          })
        ).map((d) => [d.orderId, d.at]),
      );
      const steps: [string, number[]][] = [
        ["orders/create stored", []],
        ["orders/create processed", []],
        ["order row written", []],
        ["routing decision", []],
        ["fulfilment orders settled", []],
      ];
      const rowOf = new Map(rows.map((r) => [r.sourceId, r]));
      for (const p of placed) {
        const wall0 = performance.timeOrigin + p.t0;
        const d = received.get(p.orderId);
        const row = rowOf.get(p.orderId);
        const at = [d?.receivedAt, d?.processedAt ?? undefined, row?.createdAt, row ? decided.get(row.id) : undefined];
        at.forEach((t, i) => t && steps[i]![1].push(t.getTime() - wall0));
        if (p.doneMs !== undefined) steps[4]![1].push(p.doneMs);
        if (process.env.BENCH_DEBUG) {
          const rel = (t: Date | undefined) => (t ? fmt(t.getTime() - performance.timeOrigin - placed[0]!.t0) : "?");
          console.log(
            `  ${p.orderId.slice(-6)} checkout ${fmt(p.t0 - placed[0]!.t0)} → ${at.map(rel).join(" → ")} → ${p.doneMs === undefined ? "?" : fmt(p.t0 + p.doneMs - placed[0]!.t0)} ms`,
          );
        }
      }
      if (process.env.BENCH_DEBUG) {
        // Every job since this rate's first checkout (bull keeps the last 1,000 completed per queue).
        const base = performance.timeOrigin + placed[0]!.t0;
        const byOrder = new Map(rows.map((r) => [r.id, r.sourceId.slice(-6)]));
        const all = (await Promise.all(allQueueNames.map((q) => queue(q).getJobs(["completed", "failed"], 0, 2000)))).flat();
        for (const j of all.filter((j) => j.timestamp >= base).sort((a, b) => a.timestamp - b.timestamp)) {
          const d = j.data as { orderId?: string; via?: string };
          const who = d.orderId ? (byOrder.get(d.orderId) ?? d.orderId.slice(-6)) : "";
          const rel = (t: number | undefined) => (t === undefined ? "?" : fmt(t - base));
          console.log(
            `  job ${j.name} ${who} ${d.via ?? ""}: added ${rel(j.timestamp)} (delay ${fmt(j.opts.delay ?? 0)}), started ${rel(j.processedOn)}, finished ${rel(j.finishedOn)} ms`,
          );
        }
      }
      const median = (xs: number[]) =>
        percentile(
          [...xs].sort((x, y) => x - y),
          50,
        );
      kv("median ms from checkout", steps.map(([name, xs]) => `${name} ${xs.length ? fmt(median(xs)) : "?"}`).join(", "));
    };

    const skus = shopperSkus(fixture);
    const rng = createRng(20261123);
    const results: { rate: number; p95: number }[] = [];
    // Fresh processes are slower (JIT, per-process copies of the shop's settings, levels not seen
    // yet): without a warm-up the first rate measured paid for it, whatever it was.
    if (warmup > 0) {
      const w = await placeAndWatch({ standIn, shop: SHOP, names, fixture, skus, rng, orders: warmup, rate: 10, pollMs });
      const p95 = percentile(
        w.placed.map((p: Placed) => p.doneMs ?? Infinity).sort((a, b) => a - b),
        95,
      );
      kv(`warm-up: ${warmup} orders at 10/s, not counted`, `p95 ${Number.isFinite(p95) ? `${(p95 / 1000).toFixed(2)} s` : "not settled"}`);
      await drain("drained after the warm-up in");
    }
    for (const rate of rates) {
      const dead0 = await db().deadLetter.count();
      const { placed, refused, sendSeconds, pollMs: polls } = await placeAndWatch({ standIn, shop: SHOP, names, fixture, skus, rng, orders, rate, pollMs });
      if (!alive(cluster)) throw new Error(`the cluster stopped:\n${clusterLog()}`);
      const done = placed.filter((p) => p.doneMs !== undefined);
      const moved = done.filter((p) => p.applied === "applied");
      // Every placed order counts; one that never settled is slower than any that did.
      const p95 = percentile(
        placed.map((p: Placed) => p.doneMs ?? Infinity).sort((a, b) => a - b),
        95,
      );
      results.push({ rate, p95 });
      console.log(`\n${rate} orders/s`);
      kv("orders placed", `${fmt(placed.length)} in ${sendSeconds.toFixed(1)} s (${fmt(placed.length / sendSeconds, 1)}/s); ${refused} refused by checkout`);
      kv(
        "decisions: applied / unchanged / other",
        `${moved.length} / ${done.filter((p) => p.applied === "unchanged").length} / ${done.filter((p) => p.applied !== "applied" && p.applied !== "unchanged").length}`,
      );
      kv(`settled (within ${GIVE_UP_MS / 1000} s of the last order)`, `${done.length} of ${placed.length}`);
      console.log(
        summarize(
          "orders/create → routed (all)",
          done.map((p) => p.doneMs!),
        ),
      );
      console.log(
        summarize(
          "orders/create → FOs moved (applied)",
          moved.map((p) => p.doneMs!),
        ),
      );
      kv("p95 of all placed (unsettled = never)", Number.isFinite(p95) ? `${(p95 / 1000).toFixed(2)} s` : "not settled");
      console.log(summarize("poll (fulfilment orders + decisions)", polls));
      await printStages(placed);
      kv("dead letters added", (await db().deadLetter.count()) - dead0);
      await drain("drained after the last order in");
    }

    const ok = results.filter((r) => r.p95 <= TARGET_P95_MS);
    const best = ok.length ? Math.max(...ok.map((r) => r.rate)) : undefined;
    console.log("");
    kv("p95 per rate", results.map((r) => `${r.rate}/s ${Number.isFinite(r.p95) ? `${(r.p95 / 1000).toFixed(2)} s` : "—"}`).join(", "));
    console.log(`highest rate with p95 ≤ ${TARGET_P95_MS / 1000} s: ${best === undefined ? "none of the rates tried" : `${best}/s`}`);
  } finally {
    await cleanup();
  }
}

if (isMain(import.meta.url)) {
  await main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e: unknown) => {
      if (!interrupted) console.error(e);
      process.exit(interrupted ? 130 : 1);
    },
  );
}
