// What a worker process does (jobs/worker.ts runs it with the real processors): attach the
// processors, keep SQLite checkpointed, register the repeating jobs, queue deliveries stored while
// Redis was away as soon as it answers again, and shut down gracefully.
//
// Graceful shutdown (SIGTERM or SIGINT): stop taking jobs, let the active ones finish, close Redis
// and the database, exit 0. Nothing is lost: waiting jobs stay in Redis for the other workers (or
// this one's successor). A worker killed outright (SIGKILL, OOM) leaves its active job locked until
// the lock lapses (QUEUE_LOCK_MS); another worker then runs it again, and processors are idempotent.
import { checkpointDatabase, connectDatabase, disconnectDatabase } from "~/.server/db/connection";
import { env } from "~/.server/env";
import { closeQueues, pingRedis, watchRedis } from "~/.server/queue/queues";
import { startProcessing, type OnDead, type Processors } from "~/.server/queue/worker";
import { requeueUnqueuedDeliveries } from "~/.server/services/ops/requeue-deliveries";
import { registerSchedules } from "./schedules";

export async function runWorker(
  processors: Processors,
  opts: { onDead?: OnDead; schedules?: boolean; name?: string; onStarted?: () => Promise<() => void> } = {},
): Promise<void> {
  const name = opts.name ?? "worker";
  const { REDIS_URL, QUEUE_PREFIX } = env();
  // Signals first: a SIGTERM that arrives while starting up still stops gracefully.
  let stopping = false;
  let stopWatching = () => {};
  let stopExtras = () => {};
  const timers: { checkpoints?: NodeJS.Timeout } = {};
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${name}: ${signal} received, finishing active jobs`);
    stopWatching();
    stopExtras();
    clearInterval(timers.checkpoints);
    // bull's close pauses this worker (no new job) and waits for its active jobs to finish.
    await closeQueues();
    await disconnectDatabase();
    console.log(`${name}: stopped`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  await connectDatabase();
  if (!(await pingRedis(5_000))) {
    console.error(`${name}: Redis at ${REDIS_URL} does not answer`);
    process.exit(1);
  }
  const queues = startProcessing(processors, () => new Date(), opts.onDead);
  // The web server leaves SQLite checkpoints to this process (SQLITE_WAL_AUTOCHECKPOINT=0 there).
  timers.checkpoints = setInterval(() => void checkpointDatabase().catch((e) => console.error("checkpoint failed", e)), 2_000);
  if (opts.schedules !== false) await registerSchedules();
  // Deliveries the web process stored while Redis was down (or before this worker started) are
  // queued now, and each time Redis answers again after an outage; the minute sweep is the net.
  const requeue = async (why: string) => {
    const n = await requeueUnqueuedDeliveries(new Date(), { batches: true });
    if (n) console.log(`${name}: ${why}: queued ${n} stored deliveries`);
  };
  stopWatching = watchRedis(() => requeue("Redis answers again"));
  await requeue("started");
  if (opts.onStarted) stopExtras = await opts.onStarted();
  console.log(`${name}: Node ${process.version}, connected to Redis ${REDIS_URL} (prefix "${QUEUE_PREFIX}"), queues: ${queues.map((q) => q.name).join(", ")}`);
}
