// Redis going away and coming back (docs/postgres.md, "Faults"), on a private redis-server this
// file starts, stops and starts again on a free port: /health says Redis is down within a second
// instead of hanging, and webhook deliveries acknowledged while Redis was down are queued and
// processed within seconds of Redis answering again (not at the next minute sweep).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePayload, webhookRequest } from "./helpers/webhook";
import { waitFor } from "./helpers/wait";

const root = path.resolve(__dirname, "..");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const port = await freePort();
// Before anything reads env(): this file's app code talks to the private Redis.
process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
const { db } = await import("~/.server/db/client");
const { closeQueues, pingRedis } = await import("~/.server/queue/queues");
const { loader } = await import("~/routes/health");
const { action } = await import("~/routes/webhooks");

let redis: ChildProcess | undefined;
async function startRedis() {
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  await waitFor(() => pingRedis(300), 10_000, "the private Redis to answer");
}
async function stopRedis() {
  const r = redis!;
  const gone = new Promise((done) => r.once("exit", done));
  r.kill("SIGKILL");
  await gone;
}

describe("a Redis outage", () => {
  let worker: ChildProcess | undefined;
  beforeAll(startRedis);
  afterAll(async () => {
    worker?.kill("SIGKILL");
    await closeQueues();
    redis?.kill("SIGKILL");
  });

  it("given Redis down, /health answers within a second that Redis is down (503), the database up", async () => {
    // Given a running app (its database connection made: a cold PostgreSQL connect can take longer than a health check waits)
    await waitFor(async () => (await loader()).status === 200, 20_000, "/health to be 200 with Redis up");
    await stopRedis();
    try {
      const t0 = Date.now();
      const res = await loader();
      const ms = Date.now() - t0;
      console.log(`/health with Redis down answered in ${ms} ms`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ ok: false, database: true, redis: false });
      // Not a timing test: without the timeout it waits out ioredis' reconnect attempts (10 s and more).
      expect(ms).toBeLessThan(3_000);
    } finally {
      await startRedis();
    }
  });

  it("given deliveries acknowledged while Redis was down, they are processed within seconds of Redis coming back", { timeout: 120_000 }, async () => {
    const shop = "redis-outage.myshopify.com";
    await db().shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
    await db().session.upsert({
      where: { id: `offline_${shop}` },
      create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" },
      update: {},
    });
    worker = spawn(process.execPath, ["--import", "tsx", "test/helpers/lifecycle-worker.ts"], {
      cwd: root,
      env: { ...process.env, MARKS_FILE: path.join(process.env.OMS_TEST_DIR!, "outage.marks") },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    worker.stdout!.on("data", (d: Buffer) => (out += d));
    await waitFor(async () => out.includes("connected to Redis"), 60_000, "the worker to start");

    // When Redis goes down and Shopify delivers three orders
    await stopRedis();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = 8_800_000 + i;
      const body = JSON.stringify({
        ...JSON.parse(samplePayload("orders/create")),
        cancelled_at: null,
        closed_at: null,
        id,
        admin_graphql_api_id: `gid://shopify/Order/${id}`,
        name: `#R${id}`,
      });
      const res = await action({ request: webhookRequest("orders/create", body, { shop }), params: {}, context: {} });
      expect(res.status, "acknowledged while Redis is down").toBe(200);
      ids.push(`gid://shopify/Order/${id}`);
    }
    // (the web process's own attempts to queue them give up, as they do once ioredis stops retrying)
    await closeQueues();
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await db().webhookDelivery.count({ where: { shop, status: "received" } })).toBe(3);

    // Then, once Redis is back (empty: a restarted Redis without persistence), they are processed within seconds
    await startRedis();
    const back = Date.now();
    await waitFor(async () => (await db().webhookDelivery.count({ where: { shop, status: "processed" } })) === 3, 60_000, "the deliveries to be processed");
    const seconds = (Date.now() - back) / 1000;
    console.log(`deliveries stored during the outage processed ${seconds.toFixed(1)} s after Redis came back`);
    // Not a timing test: before, they waited for the minute sweep (60–120 s).
    expect(seconds).toBeLessThan(20);
    expect((await db().order.findMany({ where: { shop }, select: { sourceId: true } })).map((o) => o.sourceId).sort()).toEqual(ids.sort());
  });
});
