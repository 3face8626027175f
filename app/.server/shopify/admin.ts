import { unauthenticated } from "~/shopify.server";
import { NonRetriableError } from "../errors";

export type AdminGraphql = Awaited<ReturnType<typeof unauthenticated.admin>>["admin"]["graphql"];

/**
 * The Admin API client for background work, on the shop's offline session. A shop without a
 * session (uninstalled, or never installed) is not retriable: no amount of waiting will fix it.
 */
export async function adminFor(shop: string): Promise<AdminGraphql> {
  try {
    const { admin } = await unauthenticated.admin(shop);
    return admin.graphql;
  } catch (e) {
    if (e instanceof Error && /session/i.test(e.message)) throw new NonRetriableError(`no offline session for ${shop}: ${e.message}`);
    throw e;
  }
}

type Cost = { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } };

/**
 * Shopify's cost-based limit is a leaky bucket per app and shop. After each call, if the bucket
 * holds less than the next call is likely to need, wait for it to refill instead of being throttled.
 * (A THROTTLED response throws from the client; the job then retries with backoff.)
 */
export async function paceAfter(extensions: { cost?: Cost } | undefined, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<number> {
  const cost = extensions?.cost;
  const status = cost?.throttleStatus;
  if (!status?.restoreRate || status.currentlyAvailable === undefined || !cost?.requestedQueryCost) return 0;
  const deficit = cost.requestedQueryCost * 2 - status.currentlyAvailable;
  if (deficit <= 0) return 0;
  const waitMs = Math.ceil((deficit / status.restoreRate) * 1000);
  await sleep(waitMs);
  return waitMs;
}
