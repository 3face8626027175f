// N web and M worker processes on one database and one Redis (docs/postgres.md, "Many processes"):
//
//   DATABASE_URL=postgresql://… npm run cluster -- --web 2 --workers 3 [--port 3000]
//
// The web processes share one port through node:cluster (the primary accepts connections and hands
// them round-robin to the web processes); the workers are separate processes taking jobs from the
// same bull queues. A web or worker process that dies is started again (with backoff). SIGTERM or
// Ctrl-C stops the web processes (they finish their requests) and the workers (each finishes its
// current job; waiting jobs stay in Redis), then exits. Meant for PostgreSQL: SQLite is one writer
// (it runs, but the processes wait on each other).
import cluster from "node:cluster";
import path from "node:path";
import { repoRoot, buildAppIfMissing, startWorker, waitForHealth } from "./lib/processes";
import { ensureRedis } from "./lib/redis";
import { RestartingChild } from "./lib/restarting";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number`);
  return v;
}

async function main() {
  const webCount = arg("web", 2);
  const workerCount = arg("workers", 3);
  const port = arg("port", Number(process.env.PORT ?? 3000));
  const databaseUrl = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
  if (databaseUrl.startsWith("file:") && webCount + workerCount > 2)
    console.warn("cluster: DATABASE_URL is SQLite (one writer at a time); several processes are meant for PostgreSQL");
  const redis = await ensureRedis();
  await buildAppIfMissing();
  const env = { PORT: String(port), REDIS_URL: redis.url, NODE_ENV: process.env.NODE_ENV ?? "development", DATABASE_URL: databaseUrl };

  // Web: node:cluster workers running server.ts, all listening on `port`.
  cluster.setupPrimary({ exec: path.join(repoRoot, "server.ts"), execArgv: ["--import", "tsx"], silent: false });
  let stopping = false;
  const webDelay = new Map<number, number>();
  const forkWeb = (slot: number) => {
    const w = cluster.fork({ ...process.env, ...env, SQLITE_WAL_AUTOCHECKPOINT: "0", OMS_WEB_SLOT: String(slot) });
    const started = Date.now();
    w.on("exit", (code, signal) => {
      if (stopping) return;
      const delay = Date.now() - started > 60_000 ? 500 : Math.min(30_000, (webDelay.get(slot) ?? 250) * 2);
      webDelay.set(slot, delay);
      console.error(`[web ${slot}] died (${signal ?? `exit ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => !stopping && forkWeb(slot), delay);
    });
  };
  for (let i = 1; i <= webCount; i++) forkWeb(i);

  const workers = Array.from({ length: workerCount }, (_, i) => new RestartingChild(`worker ${i + 1}`, () => startWorker(env, { label: `worker ${i + 1}` })));

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`cluster: ${signal}: stopping ${webCount} web and ${workerCount} worker processes (workers finish their current job)`);
    const webs = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all([
      ...webs.map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : (w.once("exit", () => resolve()), w.process.kill("SIGTERM"))))),
      ...workers.map((w) => w.stop("SIGTERM", 30_000)),
    ]);
    redis.child?.kill();
    console.log("cluster: stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  if (webCount > 0) await waitForHealth(`http://localhost:${port}/health`);
  console.log(
    `\nOMS cluster is up: ${webCount} web process(es) on http://localhost:${port}, ${workerCount} worker(s); database ${databaseUrl.replace(/\/\/[^@]*@/, "//")}, Redis ${redis.url}. Ctrl-C stops it.\n`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
