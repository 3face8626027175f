import type { z } from "zod";
import Queue from "bull";
import Redis, { type RedisOptions } from "ioredis";
import { env } from "../env";
import { closeRedisConnections } from "../redis-connections";
import { JobPayloadError } from "../errors";
import { jobs, QUEUES, type AnyJobDefinition, type JobKey, type PayloadOf, type QueueName } from "./definitions";

// bull needs one blocking connection per queue but can share the client and subscriber ones.
const shared: { client?: Redis; subscriber?: Redis } = {};
const queues = new Map<QueueName, Queue.Queue>();

function connect(type: "client" | "subscriber" | "bclient", url: string): Redis {
  const opts: RedisOptions = type === "client" ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false };
  if (type === "bclient") return quietWhileDown(new Redis(url, opts));
  if (!shared[type]) {
    // Every queue adds its listeners (error, ready, message…) to the shared client and subscriber:
    // with more queues than Node's default of 10 listeners an event, each start warned of a leak
    // that is not one. Room for every queue (a queue adds one or two of each), so that a real
    // leak (listeners added per job) still warns.
    shared[type] = quietWhileDown(new Redis(url, opts));
    shared[type].setMaxListeners(QUEUES.length * 4);
  }
  return shared[type];
}

/** One line when a connection loses Redis (ioredis keeps reconnecting), instead of one per attempt. */
function quietWhileDown(redis: Redis): Redis {
  let reported = false;
  redis.on("error", (e: Error) => {
    if (!reported) console.error(`Redis: ${e.message} (reconnecting)`);
    reported = true;
  });
  redis.on("ready", () => (reported = false));
  return redis;
}

export function queue(name: QueueName): Queue.Queue {
  let q = queues.get(name);
  if (!q) {
    const { REDIS_URL, QUEUE_PREFIX, QUEUE_LOCK_MS } = env();
    // A killed worker's job is "stalled": another worker takes it back once its lock lapses and
    // runs it again (every processor is idempotent); a job stalled twice is failed (dead letter).
    // A queue whose jobs declare a shorter lock (lockMs, e.g. routing) is taken back sooner.
    const lockMs = Object.values(jobs).find((d: AnyJobDefinition) => d.queue === name)?.lockMs ?? QUEUE_LOCK_MS;
    q = new Queue(name, {
      prefix: QUEUE_PREFIX,
      createClient: (type) => connect(type, REDIS_URL),
      settings: { lockDuration: lockMs, lockRenewTime: lockMs / 4, stalledInterval: lockMs / 2, maxStalledCount: 2 },
    });
    queues.set(name, q);
  }
  return q;
}

export function validatePayload(def: AnyJobDefinition, payload: unknown) {
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) {
    throw new JobPayloadError(
      def.name,
      parsed.error.issues.map((i: z.ZodIssue) => `${i.path.join(".") || "payload"}: ${i.message}`),
    );
  }
  return parsed.data as PayloadOf<JobKey>;
}

/** Validates and enqueues; a malformed payload never reaches Redis. */
export async function enqueue<K extends JobKey>(
  key: K,
  payload: PayloadOf<K>,
  opts: { delayMs?: number; jobId?: string; attempts?: number; backoffMs?: number } = {},
) {
  const def: AnyJobDefinition = jobs[key];
  const data = validatePayload(def, payload);
  return queue(def.queue).add(def.name, data, {
    jobId: opts.jobId ?? def.jobId(data),
    attempts: opts.attempts ?? def.attempts,
    backoff: { type: "exponential", delay: opts.backoffMs ?? def.backoffMs },
    delay: opts.delayMs,
    removeOnComplete: 1000,
    removeOnFail: 5000,
  });
}

/**
 * Coalesces work in windows of wall time: every call in one window enqueues the same job (its
 * reason carries the window), delayed to the window's end, so it runs after the last of them; a
 * call after that lands in the next window's job. (Wall time: this is scheduling, not state.)
 */
export async function enqueueForWindow<K extends JobKey>(key: K, windowMs: number, payload: (window: string) => PayloadOf<K>) {
  const now = Date.now();
  const window = Math.floor(now / windowMs);
  return enqueue(key, payload(`w${window}`), { delayMs: (window + 1) * windowMs - now });
}

/**
 * The repeating jobs of one Amazon account (bull keys repeats by name, id and interval, so
 * registering again is harmless): its poll, and its stock push (every 30 s, so a change reaches
 * Amazon within a minute).
 */
export async function scheduleAmazonSync(accountId: string): Promise<void> {
  const sync = jobs.amazonSync;
  const every = env().AMAZON_POLL_SECONDS * 1000;
  await queue(sync.queue).add(
    sync.name,
    { accountId, reason: "poll" },
    { repeat: { every }, jobId: sync.jobId({ accountId, reason: "poll" }), removeOnComplete: 100, removeOnFail: 100 },
  );
  const push = jobs.amazonStockPush;
  await queue(push.queue).add(
    push.name,
    { accountId, reason: "tick" },
    { repeat: { every: 30_000 }, jobId: push.jobId({ accountId, reason: "tick" }), removeOnComplete: 100, removeOnFail: 100 },
  );
}

/** A one-off sync asked for in the admin ("Sync now"), and its progress (bull job progress). */
export async function syncNow(accountId: string, at: Date) {
  const reason = `now-${at.getTime()}`;
  await enqueue("amazonSync", { accountId, reason });
  return jobs.amazonSync.jobId({ accountId, reason });
}

export async function jobProgress(key: JobKey, jobId: string): Promise<{ state: string; progress: number } | null> {
  const job = await queue(jobs[key].queue).getJob(jobId);
  if (!job) return null;
  return { state: await job.getState(), progress: Number(job.progress()) || 0 };
}

export async function closeQueues(): Promise<void> {
  await Promise.all([...queues.values()].map((q) => q.close()));
  queues.clear();
  for (const key of ["client", "subscriber"] as const) {
    shared[key]?.disconnect();
    shared[key] = undefined;
  }
  // And the connections other modules opened (promise versions, Amazon limiter): closing the queues is how a process lets go of Redis.
  closeRedisConnections();
}

/**
 * Whether Redis answers within `timeoutMs`. While Redis is down the client queues commands until it
 * reconnects, so without the timeout a ping would wait for it (/health must answer within a second).
 */
export async function pingRedis(timeoutMs = 500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const ping = connect("client", env().REDIS_URL)
    .ping()
    .then((r) => r === "PONG")
    .catch(() => false);
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls `onBack` each time the connection to Redis is back after being lost (checked every
 * `everyMs`; the Redis client reconnects on its own, at most 2 s apart): the worker then queues what
 * was stored while it was away. Reads the connection's state, not a ping, so a slow Redis under
 * load is not taken for a lost one. Returns a function that stops watching.
 */
export function watchRedis(onBack: () => Promise<void>, everyMs = 500): () => void {
  const client = connect("client", env().REDIS_URL);
  let up = client.status === "ready";
  let busy = false;
  const timer = setInterval(() => {
    const ready = client.status === "ready";
    const cameBack = ready && !up;
    up = ready;
    if (!cameBack || busy) return;
    busy = true;
    onBack()
      .catch((e: unknown) => console.error("after Redis came back:", e instanceof Error ? e.message : e))
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

export const allQueueNames = QUEUES;
