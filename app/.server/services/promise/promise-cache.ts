import { answerKey, closePromiseRedis, promiseRedis, storeUnder } from "../../db/promise-versions";
import { env } from "../../env";

// Redis for the delivery promise: answers cached for a minute under the versions they rest on
// (db/promise-versions.ts: the shop's settings and each item's stock), and every promise issued,
// by id, so intake can find the promise an order was placed with. Redis trouble never fails a
// checkout: the promise is computed.

const key = (...parts: string[]) => `${env().QUEUE_PREFIX}:promise:${parts.join(":")}`;

export const ANSWER_TTL_S = 60;
const ISSUED_TTL_S = 7 * 24 * 3600;

export async function storeAnswer(shop: string, cartHash: string, versions: string, promiseId: string, json: string): Promise<void> {
  try {
    await storeUnder(json, [
      [answerKey(shop, cartHash, versions), ANSWER_TTL_S],
      [key("issued", shop, promiseId), ISSUED_TTL_S],
    ]);
  } catch {
    // Not cached: the next request computes again.
  }
}

/** A promise that was not cached (Redis was down or the cart has a variant the OMS does not stock) is still issued. */
export async function storeIssued(shop: string, promiseId: string, json: string): Promise<void> {
  try {
    await promiseRedis().set(key("issued", shop, promiseId), json, "EX", ISSUED_TTL_S);
  } catch {
    // Intake falls back to the order's attribute.
  }
}

export async function issuedPromise(shop: string, promiseId: string): Promise<string | null> {
  try {
    return await promiseRedis().get(key("issued", shop, promiseId));
  } catch {
    return null;
  }
}

export const closePromiseCache = closePromiseRedis;
