// The worker process: `node --import tsx jobs/worker.ts`. Runs every job family's processors and
// shuts down gracefully (finishes active jobs, closes Redis and the database) on SIGINT/SIGTERM.
import { checkpointSqlite, readyDb } from "~/.server/db/client";
import { env } from "~/.server/env";
import { closeQueues, pingRedis } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { serveWorkerHealth } from "./health-server";
import { onDead } from "./on-dead";
import { processors } from "./processors";
import { registerSchedules } from "./schedules";

async function main() {
  const { REDIS_URL, QUEUE_PREFIX } = env();
  const database = await readyDb();
  if (!(await pingRedis())) {
    console.error(`worker: Redis at ${REDIS_URL} does not answer`);
    process.exit(1);
  }
  const queues = startProcessing(processors, () => new Date(), onDead);
  // The web server leaves SQLite checkpoints to this process (SQLITE_WAL_AUTOCHECKPOINT=0 there).
  const checkpoints = setInterval(() => void checkpointSqlite(database).catch((e) => console.error("checkpoint failed", e)), 2_000);
  await registerSchedules();
  const healthPort = env().WORKER_HEALTH_PORT;
  const health = healthPort ? await serveWorkerHealth(healthPort) : null;
  console.log(`worker: Node ${process.version}, connected to Redis ${REDIS_URL} (prefix "${QUEUE_PREFIX}"), queues: ${queues.map((q) => q.name).join(", ")}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`worker: ${signal} received, finishing active jobs`);
    clearInterval(checkpoints);
    health?.close();
    await closeQueues();
    await database.$disconnect();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e) => {
  console.error("worker failed to start", e);
  process.exit(1);
});
