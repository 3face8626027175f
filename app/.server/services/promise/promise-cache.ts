import Redis from "ioredis";
import { env } from "../../env";

// Redis for the delivery promise: answers cached for a minute per (shop, cart, destination,
// rule-set version, stock fingerprint), and every promise issued, by id, so intake can find the
// promise an order was placed with. Redis trouble never fails a checkout: the promise is computed.

let client: Redis | null = null;
function redis(): Redis {
  client ??= new Redis(env().REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 1000, commandTimeout: 1000, lazyConnect: false });
  return client;
}
const key = (...parts: string[]) => `${env().QUEUE_PREFIX}:promise:${parts.join(":")}`;

export const ANSWER_TTL_S = 60;
const ISSUED_TTL_S = 7 * 24 * 3600;

// In front of Redis, each web process keeps the answers it gave in the last minute: a repeated
// cart (checkout asks again on every change) is answered without a round trip. Same key, so the
// same invalidation: a stock change is a new key.
const local = new Map<string, { json: string; until: number }>();

export async function cachedAnswer(shop: string, cacheKey: string): Promise<string | null> {
  const mine = local.get(`${shop}|${cacheKey}`);
  if (mine && mine.until > Date.now()) return mine.json;
  try {
    return await redis().get(key("answer", shop, cacheKey));
  } catch {
    return null;
  }
}

export async function storeAnswer(shop: string, cacheKey: string, promiseId: string, json: string): Promise<void> {
  if (local.size > 10_000) local.clear();
  local.set(`${shop}|${cacheKey}`, { json, until: Date.now() + ANSWER_TTL_S * 1000 });
  try {
    await redis().multi().set(key("answer", shop, cacheKey), json, "EX", ANSWER_TTL_S).set(key("issued", shop, promiseId), json, "EX", ISSUED_TTL_S).exec();
  } catch {
    // Not cached: the next request computes again.
  }
}

export async function issuedPromise(shop: string, promiseId: string): Promise<string | null> {
  try {
    return await redis().get(key("issued", shop, promiseId));
  } catch {
    return null;
  }
}

export async function closePromiseCache(): Promise<void> {
  client?.disconnect();
  client = null;
}
