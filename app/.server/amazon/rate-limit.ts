import Redis from "ioredis";
import { env } from "../env";
import { registerRedis } from "../redis-connections";

/**
 * Amazon's usage plans as Amazon applies them: one token bucket per (seller, operation) — `burst`
 * tokens, refilled at `rate` per second — shared by every web and worker process through Redis.
 * One Lua script does the whole read-refill-take-write atomically on Redis's own clock (TIME, in
 * microseconds), so every process sees one clock and one bucket, and a wait is exact to the
 * millisecond: at Amazon's searchOrders rate (0.0056/s, burst 20) that is one call every 178.6 s
 * once the burst is spent, the burst itself when calls were idle.
 * The rate comes from the models' table until Amazon's `x-amzn-RateLimit-Limit` says otherwise
 * (dynamic usage plans); the rate it returned is kept in Redis for every process and read by the
 * same script. A bucket holds its tokens and the instant they were counted, so a new rate applies
 * from that instant on. A 429 empties the bucket: nobody calls until one token has come back.
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
  // A client closed by closeQueues (status "end") is replaced, not reused.
  if (!client || client.status === "end") client = registerRedis(new Redis(env().REDIS_URL, { maxRetriesPerRequest: 3 }));
  return client;
}
export async function closeAmazonRedis() {
  client?.disconnect();
  client = undefined;
}

const prefix = () => `${env().QUEUE_PREFIX}:amz`;
const planKey = (sellerId: string, op: SpOperation) => `${prefix()}:plan:${sellerId}:${op}`;
const bucketKey = (sellerId: string, op: SpOperation) => `${prefix()}:bucket:${sellerId}:${op}`;

// KEYS[1] the bucket (hash: tokens, at = Redis ms when counted), KEYS[2] the learnt rate.
// ARGV[1] default rate /s, ARGV[2] burst, ARGV[3] mode: "take" | "peek" | "penalise".
// Returns { granted 0|1, ms until a token (0 if granted), tokens left (string), rate (string), ms
// until the next whole token (0 when full) }. A missing bucket is full; the key expires once it
// would be full again.
const SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end -- Redis < 5: writes after TIME
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local rate = tonumber(redis.call('GET', KEYS[2]) or '')
if rate == nil or rate <= 0 then rate = tonumber(ARGV[1]) end
local burst = tonumber(ARGV[2])
local mode = ARGV[3]
local per = 1000 / rate
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(s[1])
local at = tonumber(s[2])
if tokens == nil or at == nil then tokens = burst; at = now end
if now > at then
  tokens = math.min(burst, tokens + (now - at) / per)
  at = now
end
local ahead = at - now
local granted = 0
local wait = 0
if mode == 'take' then
  if tokens >= 1 then
    tokens = tokens - 1
    granted = 1
  else
    wait = (1 - tokens) * per + ahead
  end
elseif mode == 'penalise' then
  tokens = 0
  at = math.max(at, now)
  wait = per + ahead
end
local nextMs = 0
if tokens < burst then nextMs = (math.floor(tokens) + 1 - tokens) * per + ahead end
if mode ~= 'peek' then
  redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.3f', at))
  redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * per + ahead) + 60000)
end
return { granted, math.ceil(wait), string.format('%.17g', tokens), string.format('%.17g', rate), math.ceil(nextMs) }
`;

type BucketReply = [number, number, string, string, number];
type WithBucket = { amzTokenBucket(k1: string, k2: string, rate: string, burst: string, mode: string): Promise<BucketReply> };
const defined = new WeakSet<Redis>();

async function bucket(redis: Redis, sellerId: string, op: SpOperation, mode: "take" | "peek" | "penalise") {
  if (!defined.has(redis)) {
    redis.defineCommand("amzTokenBucket", { numberOfKeys: 2, lua: SCRIPT });
    defined.add(redis);
  }
  const plan = DEFAULT_PLANS[op];
  const [granted, waitMs, tokens, rate, nextMs] = await (redis as unknown as WithBucket).amzTokenBucket(
    bucketKey(sellerId, op),
    planKey(sellerId, op),
    String(plan.rate),
    String(plan.burst),
    mode,
  );
  return { granted: granted === 1, waitMs: Number(waitMs), tokens: Number(tokens), rate: Number(rate), nextMs: Number(nextMs), burst: plan.burst };
}

export async function planFor(sellerId: string, op: SpOperation): Promise<Plan> {
  const learnt = await amazonRedis().get(planKey(sellerId, op));
  const rate = learnt ? Number(learnt) : NaN;
  return Number.isFinite(rate) && rate > 0 ? { rate, burst: DEFAULT_PLANS[op].burst } : DEFAULT_PLANS[op];
}

/** Amazon's x-amzn-RateLimit-Limit: the rate it applies to this seller and operation now. */
export async function learnRate(sellerId: string, op: SpOperation, header: string | null, redis: Redis = amazonRedis()): Promise<void> {
  const rate = header ? Number(header) : NaN;
  if (!Number.isFinite(rate) || rate <= 0) return;
  await redis.set(planKey(sellerId, op), String(rate), "EX", 24 * 3600);
}

/** Takes one token from the shared bucket; null if granted, else the ms until one is there. */
export async function tryAcquire(sellerId: string, op: SpOperation, redis: Redis = amazonRedis()): Promise<number | null> {
  const b = await bucket(redis, sellerId, op, "take");
  return b.granted ? null : Math.max(1, b.waitMs);
}

/** After a 429: the bucket is empty; nobody calls this operation for this seller until a token is back. Returns that wait. */
export async function penalise(sellerId: string, op: SpOperation, redis: Redis = amazonRedis()): Promise<number> {
  const b = await bucket(redis, sellerId, op, "penalise");
  return Math.max(1, b.waitMs);
}

/** The bucket now, for the Amazon page: whole tokens left and the ms until the next one (0 when full). */
export async function budget(sellerId: string, op: SpOperation, redis: Redis = amazonRedis()): Promise<{ plan: Plan; remaining: number; nextTokenMs: number }> {
  const b = await bucket(redis, sellerId, op, "peek");
  return { plan: { rate: b.rate, burst: b.burst }, remaining: Math.floor(b.tokens), nextTokenMs: b.nextMs };
}
