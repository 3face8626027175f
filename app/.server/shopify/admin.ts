import { take, waitMs, type BucketView } from "~/domain/shared/cost-bucket";
import { unauthenticated } from "~/shopify.server";
import { NonRetriableError } from "../errors";

export type AdminGraphql = Awaited<ReturnType<typeof unauthenticated.admin>>["admin"]["graphql"];

/**
 * Who is asking, for the shop's one Admin API budget (a leaky bucket per app and shop). Work on an
 * order's way to its fulfilment orders goes first; inventory reads and pushes, which coalesce and
 * can wait a moment, leave half the bucket to it; backfills and full reconciles leave a quarter.
 */
export type Lane = "orders" | "inventory" | "background";
const RESERVE: Record<Lane, number> = { orders: 0, inventory: 0.5, background: 0.25 };
/** A THROTTLED call is retried in place, after the refill it needs, this many times. */
const THROTTLED_TRIES = 8;

type Cost = {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: { currentlyAvailable?: number; maximumAvailable?: number; restoreRate?: number };
};

// This process's view of each shop's bucket, and the requested cost each operation last had.
const buckets = new Map<string, BucketView>();
const requestedByOperation = new Map<string, number>();
/** THROTTLED answers this process has had (and retried), and the time its calls waited for the bucket. */
export const adminApiStats = { throttled: 0, waitedMs: 0 };
/** This process's last view of each shop's Admin API bucket (for /metrics). */
export const adminBuckets = (): ReadonlyMap<string, BucketView> => buckets;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const operationName = (doc: string) => /(?:query|mutation)\s+(\w+)/.exec(doc)?.[1] ?? "anonymous";

function observe(shop: string, cost: Cost | undefined, nowMs: number) {
  const s = cost?.throttleStatus;
  if (s?.currentlyAvailable === undefined || !s.maximumAvailable || !s.restoreRate) return;
  buckets.set(shop, { available: s.currentlyAvailable, maximum: s.maximumAvailable, restoreRate: s.restoreRate, atMs: nowMs });
}

function throttledCost(error: unknown): Cost | null {
  const body = (error as { body?: { errors?: { graphQLErrors?: { extensions?: { code?: string } }[] }; extensions?: { cost?: Cost } } })?.body;
  if (!body?.errors?.graphQLErrors?.some((e) => e.extensions?.code === "THROTTLED")) return null;
  return body.extensions?.cost ?? {};
}

/**
 * The offline session's client, per shop, kept in this process for a short while rather than read
 * from the Session table for every job (one SELECT per Admin client otherwise). Forgotten on
 * uninstall and scope changes (forgetAdminSession), when Shopify answers 401 (a token changed by a
 * reinstall in another process: the call is retried once on a freshly loaded session), and before
 * an expiring offline token's expiry (the library refreshes it on the next load).
 */
const SESSION_CACHE_MS = 60_000;
const EXPIRY_MARGIN_MS = 5 * 60_000;
const sessions = new Map<string, { graphql: AdminGraphql; untilMs: number }>();

export function forgetAdminSession(shop?: string): void {
  if (shop === undefined) sessions.clear();
  else sessions.delete(shop);
}

async function offlineClient(shop: string): Promise<AdminGraphql> {
  const cached = sessions.get(shop);
  if (cached && cached.untilMs > Date.now()) return cached.graphql;
  try {
    const { admin, session } = await unauthenticated.admin(shop);
    const expires = session.expires?.getTime();
    sessions.set(shop, {
      graphql: admin.graphql,
      untilMs: Math.min(Date.now() + SESSION_CACHE_MS, expires === undefined ? Infinity : expires - EXPIRY_MARGIN_MS),
    });
    return admin.graphql;
  } catch (e) {
    sessions.delete(shop);
    if (e instanceof Error && /session/i.test(e.message)) throw new NonRetriableError(`no offline session for ${shop}: ${e.message}`);
    throw e;
  }
}

const unauthorized = (e: unknown) => (e as { response?: { code?: number } })?.response?.code === 401;

/**
 * The Admin API client for background work, on the shop's offline session. A shop without a
 * session (uninstalled, or never installed) is not retriable: no amount of waiting will fix it.
 *
 * Every call waits for the shop's bucket to hold what the operation requested last time (plus the
 * lane's reserve) instead of being throttled, and a THROTTLED answer is retried in place after the
 * refill it needs, rather than failing the job into its exponential backoff.
 */
export async function adminFor(shop: string, lane: Lane = "orders"): Promise<AdminGraphql> {
  let raw = await offlineClient(shop);
  let reloaded = false;
  const paced = async (operation: string, options?: Parameters<AdminGraphql>[1]) => {
    const op = operationName(operation);
    for (let attempt = 1; ; attempt++) {
      const bucket = buckets.get(shop);
      if (bucket) {
        const points = requestedByOperation.get(op) ?? 50;
        const wait = waitMs(bucket, Date.now(), points, RESERVE[lane] * bucket.maximum);
        if (wait > 0) {
          adminApiStats.waitedMs += wait;
          await sleep(wait);
        }
        const current = buckets.get(shop) ?? bucket;
        buckets.set(shop, take(current, Date.now(), points));
      }
      try {
        const res = await raw(operation, options);
        const body = (await res.clone().json()) as { extensions?: { cost?: Cost } };
        const cost = body.extensions?.cost;
        if (cost?.requestedQueryCost) requestedByOperation.set(op, cost.requestedQueryCost);
        observe(shop, cost, Date.now());
        return res;
      } catch (e) {
        if (unauthorized(e) && !reloaded) {
          // The cached token may be one a reinstall replaced: load the session again, once.
          reloaded = true;
          if (sessions.get(shop)?.graphql === raw) sessions.delete(shop);
          raw = await offlineClient(shop);
          continue;
        }
        const cost = throttledCost(e);
        if (!cost || attempt >= THROTTLED_TRIES) throw e;
        adminApiStats.throttled++;
        if (cost.requestedQueryCost) requestedByOperation.set(op, cost.requestedQueryCost);
        observe(shop, cost, Date.now());
        if (!buckets.has(shop)) await sleep(1_000 * attempt);
      }
    }
  };
  return paced as AdminGraphql;
}
