// Worker processes stopping and dying (docs/postgres.md, "Many processes"): real worker processes
// (jobs/run-worker.ts, as jobs/worker.ts runs it; test/helpers/lifecycle-worker.ts) processing real
// orders/create deliveries on the run's database (SQLite with `npm test`, PostgreSQL with `npm run
// test:pg`) and Redis prefix.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { insertDelivery } from "~/.server/db/webhook-deliveries";
import { closeQueues, enqueue } from "~/.server/queue/queues";
import { RestartingChild } from "../dev/lib/restarting";
import { samplePayload } from "./helpers/webhook";
import { waitFor } from "./helpers/wait";

const root = path.resolve(__dirname, "..");
let n = 0;
const children: (ChildProcess | RestartingChild)[] = [];

function worker(marks: string, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/lifecycle-worker.ts"], {
    cwd: root,
    env: { ...process.env, MARKS_FILE: marks, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[test-worker] ${d}`));
  return child;
}
const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once("exit", (code) => r(code))));
// The worker processes any job on the run's queues, other test files' deliveries too (its start
// hands every stored, unprocessed delivery of the run's database to the queue): only the marks of
// this test's own deliveries count.
let own = new Set<string>();
const readMarks = (file: string) =>
  existsSync(file)
    ? readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split(" "))
        .filter(([, id]) => own.has(id!))
    : [];

/** Installs `shop` and stores `count` orders/create deliveries for it, queued as the web route queues them. */
async function ordersFor(shop: string, count: number): Promise<{ deliveryId: string; orderGid: string }[]> {
  await db().shop.upsert({ where: { domain: shop }, create: { domain: shop }, update: {} });
  await db().session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" },
    update: {},
  });
  const out = [];
  for (let i = 0; i < count; i++) {
    const id = 7_700_000 + ++n;
    const body = JSON.stringify({
      ...JSON.parse(samplePayload("orders/create")),
      cancelled_at: null,
      cancel_reason: null,
      closed_at: null,
      id,
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      name: `#L${id}`,
    });
    const stored = await insertDelivery({
      shop,
      topic: "orders/create",
      webhookId: `lifecycle-${id}`,
      eventId: null,
      apiVersion: "2026-04",
      triggeredAt: new Date(),
      headers: {},
      body,
      status: "received",
      error: null,
    });
    await enqueue("processWebhook", { deliveryId: stored!.id, shop });
    out.push({ deliveryId: stored!.id, orderGid: `gid://shopify/Order/${id}` });
  }
  return out;
}

async function expectEachOrderOnce(shop: string, orders: { deliveryId: string; orderGid: string }[]) {
  const rows = await db().order.findMany({ where: { shop }, include: { events: true } });
  expect(rows.map((o) => o.sourceId).sort()).toEqual(orders.map((o) => o.orderGid).sort());
  for (const o of rows) {
    const kinds = o.events.map((e) => e.kind).sort();
    expect(kinds.length, `${o.sourceId} has a timeline`).toBeGreaterThan(0);
    expect(kinds, `${o.sourceId}: no timeline entry twice`).toEqual([...new Set(kinds)]);
  }
  expect(await db().webhookDelivery.count({ where: { shop, status: "processed" } })).toBe(orders.length);
}

describe("worker processes: graceful shutdown and a killed worker", () => {
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c instanceof RestartingChild) await c.stop("SIGKILL");
      else if (c.exitCode === null) c.kill("SIGKILL");
    }
  });
  afterAll(async () => {
    await closeQueues();
  });

  it(
    "given SIGTERM mid-job, the worker finishes the jobs it started, takes no new one, exits 0, and the next worker does the rest: nothing lost, nothing twice",
    { timeout: 90_000 },
    async () => {
      const marks = path.join(process.env.OMS_TEST_DIR!, "graceful.marks");
      rmSync(marks, { force: true });
      const shop = "lifecycle-graceful.myshopify.com";
      const orders = await ordersFor(shop, 20);
      own = new Set(orders.map((o) => o.deliveryId));
      // When the first worker is in the middle of its jobs (each takes 1.5 s after its effect)
      const first = worker(marks, { JOB_MS: "1500" });
      children.push(first);
      await waitFor(async () => readMarks(marks).some(([what]) => what === "effect"), 60_000, "the first job to be under way");
      first.kill("SIGTERM");
      // Then it finishes what it started and exits cleanly
      expect(await exited(first)).toBe(0);
      const byFirst = readMarks(marks).filter(([, , , pid]) => pid === String(first.pid));
      const started = byFirst.filter(([what]) => what === "start").map(([, id]) => id);
      expect(started.length).toBeGreaterThan(0);
      expect(
        byFirst
          .filter(([what]) => what === "done")
          .map(([, id]) => id)
          .sort(),
      ).toEqual(started.sort());
      expect(started.length, "the first worker must not have taken every job before its SIGTERM").toBeLessThan(orders.length);
      // And a second worker processes the rest, each exactly once
      const second = worker(marks);
      children.push(second);
      // (the "done" mark is written after the delivery is marked processed: wait for the marks)
      await waitFor(
        async () =>
          new Set(
            readMarks(marks)
              .filter(([what]) => what === "done")
              .map(([, id]) => id),
          ).size === orders.length,
        60_000,
        "every delivery to be processed",
      );
      const effects = readMarks(marks)
        .filter(([what]) => what === "effect")
        .map(([, id]) => id);
      expect(effects.sort()).toEqual(orders.map((o) => o.deliveryId).sort());
      await expectEachOrderOnce(shop, orders);
    },
  );

  it(
    "given a worker SIGKILLed after its job's effect but before the job completed, the process runner starts it again and the job is retried with no double effect",
    { timeout: 90_000 },
    async () => {
      const marks = path.join(process.env.OMS_TEST_DIR!, "killed.marks");
      rmSync(marks, { force: true });
      const shop = "lifecycle-killed.myshopify.com";
      // A short lock, so the lapsed job is taken back in seconds rather than the default 30 s.
      const supervised = new RestartingChild("worker", () => worker(marks, { HANG_AFTER_EFFECT: "1", QUEUE_LOCK_MS: "2000" }), {
        minDelayMs: 100,
        log: () => {},
      });
      children.push(supervised);
      const [order] = await ordersFor(shop, 1);
      own = new Set([order!.deliveryId]);
      await waitFor(async () => readMarks(marks).some(([what]) => what === "effect"), 60_000, "the job's effect");
      const killed = supervised.child.pid;
      supervised.child.kill("SIGKILL");
      // Then a new worker process takes its place and runs the job again, to completion
      await waitFor(async () => supervised.restarts === 1, 10_000, "the worker to be restarted");
      await waitFor(async () => readMarks(marks).some(([what]) => what === "done"), 60_000, "the retried job to complete");
      const runs = readMarks(marks).filter(([what]) => what === "start");
      expect(runs.map(([, id, attempt, pid]) => [id, attempt, pid === String(killed)])).toEqual([
        [order!.deliveryId, "1", true],
        [order!.deliveryId, "1", false],
      ]);
      // And the order exists once, with one timeline entry, as if the job had run once
      await expectEachOrderOnce(shop, [order!]);
    },
  );
});
