import type { z } from "zod";
import Queue from "bull";
import Redis, { type RedisOptions } from "ioredis";
import { env } from "../env";
import { JobPayloadError } from "../errors";
import { jobs, QUEUES, type AnyJobDefinition, type JobKey, type PayloadOf, type QueueName } from "./definitions";

// bull needs one blocking connection per queue but can share the client and subscriber ones.
const shared: { client?: Redis; subscriber?: Redis } = {};
const queues = new Map<QueueName, Queue.Queue>();

function connect(type: "client" | "subscriber" | "bclient", url: string): Redis {
  const opts: RedisOptions = type === "client" ? {} : { maxRetriesPerRequest: null, enableReadyCheck: false };
  if (type === "bclient") return new Redis(url, opts);
  shared[type] ??= new Redis(url, opts);
  return shared[type];
}

export function queue(name: QueueName): Queue.Queue {
  let q = queues.get(name);
  if (!q) {
    const { REDIS_URL, QUEUE_PREFIX } = env();
    q = new Queue(name, { prefix: QUEUE_PREFIX, createClient: (type) => connect(type, REDIS_URL) });
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
  await queue(sync.queue).add(sync.name, { accountId, reason: "poll" }, { repeat: { every }, jobId: sync.jobId({ accountId, reason: "poll" }), removeOnComplete: 100, removeOnFail: 100 });
  const push = jobs.amazonStockPush;
  await queue(push.queue).add(push.name, { accountId, reason: "tick" }, { repeat: { every: 30_000 }, jobId: push.jobId({ accountId, reason: "tick" }), removeOnComplete: 100, removeOnFail: 100 });
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
}

export async function pingRedis(): Promise<boolean> {
  try {
    return (await connect("client", env().REDIS_URL).ping()) === "PONG";
  } catch {
    return false;
  }
}

export const allQueueNames = QUEUES;
