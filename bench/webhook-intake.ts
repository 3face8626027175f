// Webhook acknowledgement under a sustained open-loop rate, and delivery → order visible in the OMS.
// Real web server (server.ts over the Remix build), real worker, real Redis and SQLite — or, with
// `pg`, PostgreSQL (production's database: a fresh schema built from the committed migrations on
// TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/test, dropped at the end).
//   npm run bench -- webhook-intake [rate=500] [seconds=10] [ack-only] [pg]
import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { createDb } from "~/.server/db/client";
import { signBody } from "~/.server/shopify/hmac";
import { buildAppIfMissing, repoRoot, startApp, waitForHealth } from "../dev/lib/processes";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { isolatedWorld, sleep, summarize } from "./lib";

const SECRET = "oms-dev-api-secret-not-for-production";

export async function run(args: string[]) {
  const rate = Number(args[0] ?? 500);
  const seconds = Number(args[1] ?? 10);
  // "ack-only": no worker, to measure the acknowledgement path alone on this shared machine.
  const ackOnly = args.includes("ack-only");
  const port = 3997;
  const total = rate * seconds;
  const redis = await ensureRedis();
  await buildAppIfMissing();
  const world = isolatedWorld("intake");
  const pg = args.includes("pg");
  const pgUrl = new URL(process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test");
  pgUrl.searchParams.set("schema", `oms_bench_intake_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`);
  const databaseUrl = pg ? pgUrl.toString() : world.databaseUrl;
  const pgMigrate = await import("../dev/pg-migrate.mjs");
  if (pg) await pgMigrate.applyPgMigrations(databaseUrl, { pending: true });
  const env = {
    PORT: String(port),
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: world.queuePrefix,
    REDIS_URL: redis.url,
  };
  const { web, worker } = startApp(env, { workerNice: 10 });
  if (ackOnly) worker.kill("SIGTERM");
  const db = createDb(databaseUrl);
  try {
    await waitForHealth(`http://localhost:${port}/health`);
    const sample = JSON.parse(readFileSync(path.resolve(repoRoot, "dev/contracts/shopify/webhooks/orders/create.json"), "utf8"));
    const bodies = Array.from({ length: total }, (_, i) => {
      const id = 10_000_000 + i;
      return JSON.stringify({
        ...sample,
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        name: `#B${id}`,
        cancelled_at: null,
        financial_status: "paid",
      });
    });
    // Both shops have the app installed (an offline session): a delivery for a shop without one is kept, not processed.
    for (const domain of ["warmup.myshopify.com", "bench.myshopify.com"])
      await db.session.create({
        data: { id: `offline_${domain}`, shop: domain, state: "", isOnline: false, accessToken: "bench-token", scope: "read_orders" },
      });
    // Warm up connections and the JIT on a few deliveries of another shop.
    for (let i = 0; i < 50; i++) await send(port, "warmup.myshopify.com", bodies[i]!);
    // The web process's own CPU per delivery, without the queueing a loaded machine adds: 300
    // sequential deliveries (of the warm-up shop), its CPU time read from /proc before and after.
    const cpu0 = cpuOf(web.pid!);
    for (let i = 0; i < 300; i++) await send(port, "warmup.myshopify.com", bodies[(50 + i) % bodies.length]!);
    const sequentialCpu = (cpuOf(web.pid!) - cpu0) / 300;

    const shop = "bench.myshopify.com";
    const ack: number[] = [];
    const sentAt = new Map<string, number>();
    let failures = 0;
    const cpuLoad0 = cpuOf(web.pid!);
    const ownCpu0 = process.cpuUsage();
    const t0 = performance.now();
    const wall0 = Date.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const body = bodies[i]!;
      sentAt.set(`gid://shopify/Order/${10_000_000 + i}`, wall0 + (performance.now() - t0));
      const started = performance.now();
      inflight.push(
        send(port, shop, body).then((status) => {
          ack.push(performance.now() - started);
          if (status !== 200) failures++;
        }),
      );
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - t0) / 1000;
    const loadCpu = (cpuOf(web.pid!) - cpuLoad0) / total;
    const own = process.cpuUsage(ownCpu0);
    const ownCpu = (own.user + own.system) / 1000 / total;

    // Delivery → order visible: the order row's createdAt against when its delivery was sent.
    const deadline = Date.now() + (ackOnly ? 0 : 180_000);
    while ((await db.order.count({ where: { shop } })) < total && Date.now() < deadline) await sleep(200);
    const rows = await db.order.findMany({ where: { shop }, select: { sourceId: true, createdAt: true } });
    const visible = rows.map((r) => r.createdAt.getTime() - (sentAt.get(r.sourceId) ?? NaN)).filter((n) => Number.isFinite(n));

    console.log(
      `\nwebhook intake: ${total} orders/create deliveries at ${rate}/s for ${seconds}s (achieved ${(total / elapsed).toFixed(0)}/s), non-200: ${failures}${ackOnly ? "; no worker" : "; the worker in its own process"}; ${pg ? "PostgreSQL" : "SQLite"}`,
    );
    console.log(summarize("acknowledgement (POST /webhooks → 200)", ack));
    console.log(
      `web process CPU per delivery: ${sequentialCpu.toFixed(2)} ms sequential (300), ${loadCpu.toFixed(2)} ms under the load (a core's worth: ${(1000 / loadCpu).toFixed(0)}/s); this bench's own CPU (signing, sending) ${ownCpu.toFixed(2)} ms per delivery on the same 2 cores`,
    );
    console.log(summarize("delivery → order visible in the OMS", visible));
    console.log(`orders visible: ${rows.length}/${total}`);
  } finally {
    const exited = (c: typeof web) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once("exit", r)));
    web.kill("SIGTERM");
    worker.kill("SIGTERM");
    // Their connections go before the schema does.
    await Promise.race([Promise.all([exited(web), exited(worker)]), sleep(15_000)]);
    await db.$disconnect();
    if (pg) await pgMigrate.dropPgSchema(databaseUrl);
    await deleteKeysWithPrefix(redis.url, world.queuePrefix);
    redis.child?.kill();
  }
}

/** A process's user + system CPU time in ms, from /proc (clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

// Shopify delivers from many connections at once; 64 keep-alive sockets stand in for that.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function send(port: number, shop: string, body: string): Promise<number> {
  const headers = {
    "content-type": "application/json",
    "x-shopify-topic": "orders/create",
    "x-shopify-hmac-sha256": signBody(body, SECRET),
    "x-shopify-shop-domain": shop,
    "x-shopify-api-version": "2026-04",
    "x-shopify-webhook-id": randomUUID(),
    "x-shopify-event-id": randomUUID(),
    "x-shopify-triggered-at": new Date().toISOString(),
    "content-length": String(Buffer.byteLength(body)),
  };
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/webhooks", method: "POST", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}
