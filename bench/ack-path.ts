// The acknowledgement path alone, in this process: the web process's lean webhook handler (verify,
// validate, store, ask for the batch) called one delivery after another, without HTTP, sockets or a
// worker. What it prints depends far less on the machine's neighbours than webhook-intake's latency
// does: the CPU one delivery costs, and the garbage collections the path causes (a young-generation
// collection stops the process, and every delivery waiting meanwhile waits that long).
//   npm run bench -- ack-path [deliveries=4000]
import { readFileSync } from "node:fs";
import path from "node:path";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { randomUUID } from "node:crypto";
import { signBody } from "~/.server/shopify/hmac";
import { repoRoot } from "../dev/lib/processes";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { isolatedWorld, summarize } from "./lib";

const SECRET = "oms-dev-api-secret-not-for-production";

export async function run(args: string[]) {
  const n = Number(args[0] ?? 4000);
  const redis = await ensureRedis();
  const world = isolatedWorld("ack-path");
  // The app's modules read their settings on first use: set before they load. As the web process
  // runs (dev/lib/processes.ts): no WAL checkpoint in its writes (the worker checkpoints).
  Object.assign(process.env, {
    DATABASE_URL: world.databaseUrl,
    QUEUE_PREFIX: world.queuePrefix,
    REDIS_URL: redis.url,
    SHOPIFY_API_SECRET: SECRET,
    SQLITE_WAL_AUTOCHECKPOINT: "0",
  });
  const { leanWebhook } = await import("~/.server/services/lean-webhook");
  const { db } = await import("~/.server/db/client");
  const shop = "ack-path.myshopify.com";
  await db().session.create({ data: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "bench-token", scope: "read_orders" } });
  const sample = JSON.parse(readFileSync(path.resolve(repoRoot, "dev/contracts/shopify/webhooks/orders/create.json"), "utf8")) as object;
  // Bodies and signatures made before the clock starts (Shopify signs on its own machines).
  const deliveries = Array.from({ length: n + 300 }, (_, i) => {
    const id = 20_000_000 + i;
    const body = JSON.stringify({ ...sample, id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#A${id}` });
    return { body: Buffer.from(body), hmac: signBody(body, SECRET) };
  });
  const send = async (d: { body: Buffer; hmac: string }) => {
    const out = await leanWebhook({
      method: "POST",
      body: d.body,
      headers: {
        "content-type": "application/json",
        "x-shopify-topic": "orders/create",
        "x-shopify-hmac-sha256": d.hmac,
        "x-shopify-shop-domain": shop,
        "x-shopify-api-version": "2026-04",
        "x-shopify-webhook-id": randomUUID(),
        "x-shopify-triggered-at": new Date().toISOString(),
      },
    });
    if (out.status !== 200) throw new Error(`delivery answered ${out.status}: ${out.body}`);
  };
  try {
    // Warm-up: connections, the JIT, the schemas' compiled parsers.
    for (const d of deliveries.slice(0, 300)) await send(d);
    const young: number[] = [];
    const old: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
        (kind === constants.NODE_PERFORMANCE_GC_MINOR ? young : old).push(e.duration);
      }
    });
    observer.observe({ entryTypes: ["gc"] });
    const per: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const d of deliveries.slice(300)) {
      const t = performance.now();
      await send(d);
      per.push(performance.now() - t);
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    const total = (a: number[]) => a.reduce((s, x) => s + x, 0);
    console.log(
      `\nacknowledgement path in process: ${n} orders/create deliveries (${(deliveries[0]!.body.length / 1024).toFixed(1)} KB each), one after another, SQLite`,
    );
    console.log(summarize("one delivery (verify, validate, store, ask for the batch)", per));
    console.log(`CPU per delivery: ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms (all threads); wall ${(wall / n).toFixed(3)} ms`);
    console.log(
      `young-generation collections: ${young.length} (one per ${(n / Math.max(1, young.length)).toFixed(0)} deliveries), pause mean ${(total(young) / Math.max(1, young.length)).toFixed(2)} ms, max ${Math.max(0, ...young).toFixed(2)} ms, ${((100 * total(young)) / wall).toFixed(1)} % of the time`,
    );
    console.log(`full collections: ${old.length}, pause total ${total(old).toFixed(1)} ms, max ${Math.max(0, ...old).toFixed(2)} ms`);
  } finally {
    await db().$disconnect();
    const { closeQueues } = await import("~/.server/queue/queues");
    await closeQueues();
    await deleteKeysWithPrefix(redis.url, world.queuePrefix);
    redis.child?.kill();
  }
}
