import Redis from "ioredis";
import { env } from "../env";
import { registerRedis } from "../redis-connections";

// The versions a cached delivery promise rests on, kept in Redis so a cached answer can be found
// without the database (the checkout's hot path, app/.server/services/promise/lean-promise.ts):
//   promise:cfgv:<shop>            the shop's promise settings (rule set, locations, profiles,
//                                   policy, safety stock, transit times, incoming stock), and the
//                                   other per-shop settings workers keep a copy of (the order
//                                   policy): db/config-cache.ts keys its copies by it too
//   promise:stockv:<shop>:<item>   one inventory item's stock (every StockLevel write of it)
//   promise:items:<shop>           variant → inventory item (fixed in Shopify), filled on a miss
//   promise:loadv:<shop>           today's routed counts (every live routing decision); not part of
//                                   an answer's key (a cached answer keeps its minute, as before) —
//                                   it tells a miss whether its process's copy of the counts is current
//   promise:answer:<shop>:<cart>:<versions>   the answer, for a minute
//
// The rule that keeps a hit honest: writers bump a version AFTER their transaction commits, and a
// miss reads the versions BEFORE it reads the database. An answer stored under version v was then
// computed from data at least as new as every write whose bump produced v; a write that commits
// later bumps past v, and nothing asks for v again. A failed bump (Redis down) leaves answers at
// most a minute old (their TTL and the minute in the cart key).
//
// A missing version is created from the clock (milliseconds), never from 0: a version lost with a
// Redis restart or an eviction cannot come back to a value an old answer was stored under.

let client: Redis | null = null;

export function promiseRedis(): Redis {
  // A client closed by closeQueues (status "end") is replaced, not reused.
  if (!client || client.status === "end") {
    client = registerRedis(new Redis(env().REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 1000, lazyConnect: false }));
    client.defineCommand("promiseLookup", { numberOfKeys: 0, lua: LOOKUP });
    client.defineCommand("promiseBump", { numberOfKeys: 0, lua: BUMP });
    client.defineCommand("promiseStore", { numberOfKeys: 0, lua: STORE });
    client.defineCommand("promiseVersions", { numberOfKeys: 0, lua: VERSIONS });
  }
  return client;
}

export async function closePromiseRedis(): Promise<void> {
  client?.disconnect();
  client = null;
}

const base = () => `${env().QUEUE_PREFIX}:promise:`;
export const answerKey = (shop: string, cartHash: string, versions: string) => `${base()}answer:${shop}:${cartHash}:${versions}`;

// ARGV: base, shop, cartHash, init ("1" on a miss: create missing versions), now (ms), variant ids…
// → {"cold"} | {"unmapped", variant…} | {"miss", versions, load version} | {"hit", versions, answer}
const LOOKUP = `
local base, shop, cart, init, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4] == '1', ARGV[5]
local function version(k)
  local v = redis.call('GET', k)
  if not v and init then redis.call('SET', k, now); v = now end
  return v
end
local cfg = version(base .. 'cfgv:' .. shop)
if not cfg then return {'cold'} end
local parts = {cfg}
local n = #ARGV - 5
if n > 0 then
  local items = redis.call('HMGET', base .. 'items:' .. shop, unpack(ARGV, 6, 5 + n))
  local missing = {'unmapped'}
  for i = 1, n do
    if not items[i] then missing[#missing + 1] = ARGV[5 + i] end
  end
  if #missing > 1 then return missing end
  for i = 1, n do
    local v = version(base .. 'stockv:' .. shop .. ':' .. items[i])
    if not v then return {'cold'} end
    parts[#parts + 1] = v
  end
end
local versions = table.concat(parts, '.')
local answer = redis.call('GET', base .. 'answer:' .. shop .. ':' .. cart .. ':' .. versions)
if not answer then return {'miss', versions, version(base .. 'loadv:' .. shop) or ''} end
return {'hit', versions, answer}
`;

// ARGV: now (ms), keys… — each existing version goes up by one, a missing one starts at now.
const BUMP = `
for i = 2, #ARGV do
  if redis.call('EXISTS', ARGV[i]) == 1 then redis.call('INCR', ARGV[i]) else redis.call('SET', ARGV[i], ARGV[1]) end
end
return #ARGV - 1
`;

// ARGV: json, then (key, seconds) pairs — the same text stored under each key with its expiry:
// one command (the answer is sent once) where MULTI/SET/SET/EXEC were four.
const STORE = `
for i = 2, #ARGV, 2 do redis.call('SET', ARGV[i], ARGV[1], 'EX', ARGV[i + 1]) end
return 1
`;

// ARGV: now (ms), keys… — each key's version, a missing one created from the clock (as LOOKUP does).
const VERSIONS = `
local out = {}
for i = 2, #ARGV do
  local v = redis.call('GET', ARGV[i])
  if not v then redis.call('SET', ARGV[i], ARGV[1]); v = ARGV[1] end
  out[#out + 1] = v
end
return out
`;

type Scripted = Redis & {
  promiseLookup(...args: string[]): Promise<string[]>;
  promiseBump(...args: string[]): Promise<number>;
  promiseStore(...args: string[]): Promise<number>;
  promiseVersions(...args: string[]): Promise<string[]>;
};

/** Stores `json` under each key, with each key's expiry (seconds), in one round trip and one command. */
export async function storeUnder(json: string, keys: readonly (readonly [key: string, seconds: number])[]): Promise<void> {
  await (promiseRedis() as Scripted).promiseStore(json, ...keys.flatMap(([k, s]) => [k, String(s)]));
}

/**
 * `versions`: the shop's settings version, then the stock version of each variant's item, in the
 * order of `variantIds`, joined with "."; a miss also says the routed counts' version (`load`, ""
 * when missing), for the process's copies of the data (services/promise/promise-snapshot.ts).
 */
export type Lookup =
  | { state: "cold" }
  | { state: "unmapped"; variants: string[] }
  | { state: "miss"; versions: string; load: string }
  | { state: "hit"; versions: string; answer: string };

/**
 * One round trip: the versions the cart's answer rests on and, if cached, the answer. `init`
 * (a miss about to compute) creates missing versions; without it a missing one is "cold".
 * `variantIds` sorted and unique.
 */
export async function lookupAnswer(shop: string, cartHash: string, variantIds: readonly string[], o: { init: boolean; now: number }): Promise<Lookup> {
  const r = await (promiseRedis() as Scripted).promiseLookup(base(), shop, cartHash, o.init ? "1" : "0", String(o.now), ...variantIds);
  const [state, ...rest] = r;
  if (state === "hit") return { state, versions: rest[0]!, answer: rest[1]! };
  if (state === "miss") return { state, versions: rest[0]!, load: rest[1] ?? "" };
  if (state === "unmapped") return { state, variants: rest };
  return { state: "cold" };
}

/** Remembers which inventory item each variant is (read from the stock levels on a miss). */
export async function mapVariants(shop: string, pairs: readonly { variantId: string; inventoryItemId: string }[]): Promise<void> {
  if (!pairs.length) return;
  await promiseRedis().hset(`${base()}items:${shop}`, Object.fromEntries(pairs.map((p) => [p.variantId, p.inventoryItemId])));
}

/**
 * The settings version (promise:cfgv) of each shop, in `shops`' order, in one round trip; a missing
 * one is created from the clock. Rejects when Redis does not answer (the caller reads the database).
 */
export async function settingsVersions(shops: readonly string[]): Promise<string[]> {
  const redis = promiseRedis();
  // Redis known to be away (reconnecting, closed): no wait for a command that cannot be answered.
  if (redis.status !== "ready" && redis.status !== "connect" && redis.status !== "connecting") throw new Error(`promise Redis ${redis.status}`);
  return (redis as Scripted).promiseVersions(String(Date.now()), ...shops.map((s) => `${base()}cfgv:${s}`));
}

// This process's listeners for its own settings bumps (db/config-cache.ts forgets its copies of the
// shop, even when the bump itself failed): called once the bump has been tried.
const settingsWritten = new Set<(shop: string) => void>();
export function onSettingsWritten(fn: (shop: string) => void): void {
  settingsWritten.add(fn);
}

async function bump(keys: string[]): Promise<void> {
  if (!keys.length) return;
  try {
    await (promiseRedis() as Scripted).promiseBump(String(Date.now()), ...keys);
  } catch (e) {
    // The write is committed; cached promises for it stay until their minute is up.
    console.error("promise version bump failed", e);
  }
}

/** Call after the transaction that changed these items' stock levels has committed. */
export function bumpStockVersions(shop: string, inventoryItemIds: readonly string[]): Promise<void> {
  return bump([...new Set(inventoryItemIds)].map((i) => `${base()}stockv:${shop}:${i}`));
}

/** Call after the transaction that counted orders routed to the shop's locations today has committed. */
export function bumpLoadVersion(shop: string): Promise<void> {
  return bump([`${base()}loadv:${shop}`]);
}

/**
 * Call after a change to what every promise of the shop rests on (rule set, locations, policy,
 * transit, incoming stock) has committed — and to any other per-shop setting the workers keep a
 * copy of (db/config-cache.ts: safety-stock rules, the order policy).
 */
export async function bumpShopVersion(shop: string): Promise<void> {
  try {
    await bump([`${base()}cfgv:${shop}`]);
  } finally {
    for (const fn of settingsWritten) fn(shop);
  }
}
