import Redis from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "../env";

/**
 * One limiter per (seller, operation), shared by every web and worker process through Redis
 * (rate-limiter-flexible). Amazon's limits are token buckets (rate per second, burst); the library
 * counts fixed windows, so a plan becomes `points` calls per `duration` seconds chosen never to
 * exceed the bucket even across a window edge (2 × points ≤ burst, points / duration ≤ rate).
 * The plan comes from the model's table until Amazon's `x-amzn-RateLimit-Limit` says otherwise
 * (dynamic usage plans); the rate it returned is kept in Redis for every process. A 429 blocks the
 * key for one refill interval.
 */

export type Plan = { rate: number; burst: number };

/** The models' default usage plans (dev/contracts/amazon). */
export const DEFAULT_PLANS = {
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  confirmShipment: { rate: 2, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  getListingsItem: { rate: 5, burst: 10 },
} as const satisfies Record<string, Plan>;
export type SpOperation = keyof typeof DEFAULT_PLANS;

let client: Redis | undefined;
export function amazonRedis(): Redis {
  client ??= new Redis(env().REDIS_URL, { maxRetriesPerRequest: 3 });
  return client;
}
export async function closeAmazonRedis() {
  client?.disconnect();
  client = undefined;
}

const prefix = () => `${env().QUEUE_PREFIX}:amz`;
const limiters = new Map<string, RateLimiterRedis>();

/** The fixed window (whole seconds) that keeps the most of the plan's rate without exceeding it. */
export function windowOf(plan: Plan): { points: number; duration: number } {
  const shortest = Math.max(1, Math.ceil(1 / plan.rate));
  const cap = Math.max(1, Math.floor(plan.burst / 2));
  let best = { points: 1, duration: shortest };
  for (let d = shortest; d <= shortest + 30; d++) {
    const points = Math.min(cap, Math.floor(plan.rate * d + 1e-9));
    if (points >= 1 && points / d > best.points / best.duration + 1e-12) best = { points, duration: d };
  }
  return best;
}

function limiterFor(op: SpOperation, plan: Plan): RateLimiterRedis {
  const w = windowOf(plan);
  const key = `${op}:${w.points}/${w.duration}`;
  let l = limiters.get(key);
  if (!l) {
    l = new RateLimiterRedis({ storeClient: amazonRedis(), keyPrefix: `${prefix()}:rl:${key}`, points: w.points, duration: w.duration });
    limiters.set(key, l);
  }
  return l;
}

export async function planFor(sellerId: string, op: SpOperation): Promise<Plan> {
  const learnt = await amazonRedis().get(`${prefix()}:plan:${sellerId}:${op}`);
  const rate = learnt ? Number(learnt) : NaN;
  return Number.isFinite(rate) && rate > 0 ? { rate, burst: DEFAULT_PLANS[op].burst } : DEFAULT_PLANS[op];
}

/** Amazon's x-amzn-RateLimit-Limit: the rate it applies to this seller and operation now. */
export async function learnRate(sellerId: string, op: SpOperation, header: string | null): Promise<void> {
  const rate = header ? Number(header) : NaN;
  if (!Number.isFinite(rate) || rate <= 0) return;
  await amazonRedis().set(`${prefix()}:plan:${sellerId}:${op}`, String(rate), "EX", 24 * 3600);
}

/** Takes one call from the shared budget; null if granted, else how long until the next one. */
export async function tryAcquire(sellerId: string, op: SpOperation): Promise<number | null> {
  const plan = await planFor(sellerId, op);
  try {
    await limiterFor(op, plan).consume(sellerId, 1);
    return null;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, e.msBeforeNext);
    throw e;
  }
}

/** After a 429: nobody calls this operation for this seller until a token has surely come back. */
export async function penalise(sellerId: string, op: SpOperation): Promise<number> {
  const plan = await planFor(sellerId, op);
  const w = windowOf(plan);
  await limiterFor(op, plan).block(sellerId, w.duration);
  return w.duration * 1000;
}

/** The budget left in the current window, for the Amazon page. */
export async function budget(sellerId: string, op: SpOperation): Promise<{ plan: Plan; points: number; duration: number; remaining: number; resetMs: number }> {
  const plan = await planFor(sellerId, op);
  const w = windowOf(plan);
  const res = await limiterFor(op, plan).get(sellerId);
  return { plan, ...w, remaining: res ? Math.max(0, res.remainingPoints) : w.points, resetMs: res?.msBeforeNext ?? 0 };
}
