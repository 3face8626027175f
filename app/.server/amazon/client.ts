// The one place SP-API is called: Login with Amazon (tokens cached in Redis for every process),
// the shared rate limiter, and responses parsed once by the zod schemas in app/schemas/amazon.ts.
import { includedDataFor, type AmazonPiiRole } from "~/domain/marketplace/amazon-roles";
import type { z } from "zod";
import {
  getOrderResponse,
  listingsItemResponse,
  listingsSubmissionResponse,
  lwaErrorResponse,
  lwaTokenResponse,
  searchOrdersResponse,
  spApiErrors,
} from "~/schemas/amazon";
import { env } from "../env";
import { NonRetriableError } from "../errors";
import { openSecret, sealSecret } from "../secrets";
import { amazonRedis, learnRate, penalise, tryAcquire, type SpOperation } from "./rate-limit";

/** `roles`: the restricted roles the account records as granted (the PII the reads ask for). */
export type AmazonCredentials = {
  accountId: string;
  shop: string;
  sellerId: string;
  region: string;
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
  roles: readonly AmazonPiiRole[];
};

/** Amazon throttled, or the shared budget is spent: try again after `retryAfterMs`. */
export class AmazonRateLimited extends Error {
  override name = "AmazonRateLimited";
  constructor(
    readonly operation: SpOperation,
    readonly retryAfterMs: number,
  ) {
    super(`${operation}: rate limited, retry in ${retryAfterMs} ms`);
  }
}

/** The seller must authorise the app again (revoked or wrong credentials): retrying cannot help. */
export class AmazonAuthError extends NonRetriableError {
  override name = "AmazonAuthError";
}

/** An SP-API error answer other than throttling (Amazon's `errors` list). */
export class AmazonApiError extends Error {
  override name = "AmazonApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`SP-API ${status} ${code}: ${message}`);
  }
  get retriable() {
    return this.status >= 500;
  }
}

const HOSTS: Record<string, string> = {
  na: "https://sellingpartnerapi-na.amazon.com",
  eu: "https://sellingpartnerapi-eu.amazon.com",
  fe: "https://sellingpartnerapi-fe.amazon.com",
};
// Development and test only (env.ts refuses AMAZON_SPAPI_ORIGIN in production): the stand-in.
let standIn: { origin: string; lwa: string } | null = null;
export function redirectAmazon(standInUrl: string, nodeEnv: string) {
  if (nodeEnv === "production") throw new Error("the SP-API stand-in cannot be used in production");
  standIn = { origin: standInUrl, lwa: `${standInUrl}/auth/o2/token` };
}
const origin = (region: string) => standIn?.origin ?? env().AMAZON_SPAPI_ORIGIN ?? HOSTS[region] ?? HOSTS.na!;
const lwaUrl = () => standIn?.lwa ?? env().AMAZON_LWA_URL;
const tokenKey = (c: AmazonCredentials) => `${env().QUEUE_PREFIX}:amz:token:${c.accountId}`;

/** Counts of SP-API calls this process made, by operation (the benchmark's calls per order). */
export const spApiStats = { calls: new Map<string, number>(), throttled: 0 };

async function exchangeToken(c: AmazonCredentials): Promise<{ token: string; expiresIn: number }> {
  const res = await fetch(lwaUrl(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: c.refreshToken,
      client_id: c.lwaClientId,
      client_secret: c.lwaClientSecret,
    }).toString(),
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const e = lwaErrorResponse.safeParse(body);
    const code = e.success ? e.data.error : `HTTP ${res.status}`;
    // The description can echo request parameters; only the code is kept.
    if (code === "invalid_grant" || code === "invalid_client" || code === "unauthorized_client")
      throw new AmazonAuthError(`Login with Amazon refused the credentials (${code})`);
    throw new Error(`Login with Amazon failed (${code})`);
  }
  const t = lwaTokenResponse.parse(body);
  return { token: t.access_token, expiresIn: t.expires_in };
}

/** An access token for the account: the cached one while it has a minute left, else a new one. */
export async function accessToken(c: AmazonCredentials, force = false): Promise<string> {
  const redis = amazonRedis();
  const context = `${c.shop}|${c.sellerId}`;
  if (!force) {
    const cached = await redis.get(tokenKey(c));
    if (cached) return openSecret(cached, context);
  }
  const { token, expiresIn } = await exchangeToken(c);
  await redis.set(tokenKey(c), sealSecret(token, context), "EX", Math.max(1, expiresIn - 60));
  return token;
}

type Call<S extends z.ZodTypeAny> = {
  op: SpOperation;
  method: string;
  path: string;
  query?: Record<string, string | string[] | undefined>;
  body?: unknown;
  schema: S | null;
  wait?: boolean;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One SP-API call within the seller's shared budget. With `wait`, a short wait for the budget is
 * spent here (confirmShipment, listings: seconds); otherwise AmazonRateLimited tells the job how
 * long to stay away (searchOrders: minutes). An expired token is refreshed once.
 */
async function call<S extends z.ZodTypeAny>(c: AmazonCredentials, k: Call<S>): Promise<z.infer<S> | null> {
  let refreshed = false;
  for (let attempt = 0; ; attempt++) {
    const wait = await tryAcquire(c.sellerId, k.op);
    if (wait !== null) {
      if (k.wait && wait <= 10_000 && attempt < 20) {
        await sleep(wait);
        continue;
      }
      throw new AmazonRateLimited(k.op, wait);
    }
    const url = new URL(k.path, origin(c.region));
    for (const [name, v] of Object.entries(k.query ?? {})) if (v !== undefined) url.searchParams.set(name, Array.isArray(v) ? v.join(",") : v);
    const res = await fetch(url, {
      method: k.method,
      headers: { "x-amz-access-token": await accessToken(c), "content-type": "application/json", "user-agent": "oms/0.1 (Language=TypeScript)" },
      body: k.body === undefined ? undefined : JSON.stringify(k.body),
    });
    spApiStats.calls.set(k.op, (spApiStats.calls.get(k.op) ?? 0) + 1);
    await learnRate(c.sellerId, k.op, res.headers.get("x-amzn-RateLimit-Limit"));
    if (res.status === 429) {
      spApiStats.throttled++;
      const ms = await penalise(c.sellerId, k.op);
      if (k.wait && ms <= 10_000 && attempt < 20) {
        await sleep(ms);
        continue;
      }
      throw new AmazonRateLimited(k.op, ms);
    }
    if (res.status === 403 && !refreshed) {
      refreshed = true;
      await accessToken(c, true); // expired or revoked token: one fresh token, then the answer stands
      continue;
    }
    if (res.status === 204) return null;
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const e = spApiErrors.safeParse(body);
      const first = e.success ? e.data.errors[0] : undefined;
      throw new AmazonApiError(res.status, first?.code ?? "Unknown", first?.message ?? res.statusText);
    }
    return k.schema ? (k.schema.parse(body) as z.infer<S>) : null;
  }
}

export type SearchWindow = { lastUpdatedAfter: string; marketplaceIds: string[]; paginationToken?: string; maxResultsPerPage?: number };

export function spApi(c: AmazonCredentials) {
  return {
    searchOrders: async (w: SearchWindow) =>
      (await call(c, {
        op: "searchOrders",
        method: "GET",
        path: "/orders/2026-01-01/orders",
        query: {
          lastUpdatedAfter: w.lastUpdatedAfter,
          marketplaceIds: w.marketplaceIds,
          fulfilledBy: ["MERCHANT"],
          includedData: includedDataFor(c.roles),
          maxResultsPerPage: String(w.maxResultsPerPage ?? env().AMAZON_PAGE_SIZE),
          paginationToken: w.paginationToken,
        },
        schema: searchOrdersResponse,
      }))!,
    getOrder: async (orderId: string) =>
      (await call(c, {
        op: "getOrder",
        method: "GET",
        path: `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}`,
        query: { includedData: includedDataFor(c.roles) },
        schema: getOrderResponse,
        wait: true,
      }))!.order,
    confirmShipment: (orderId: string, body: unknown) =>
      call(c, {
        op: "confirmShipment",
        method: "POST",
        path: `/orders/v0/orders/${encodeURIComponent(orderId)}/shipmentConfirmation`,
        body,
        schema: null,
        wait: true,
      }),
    setQuantity: async (sku: string, marketplaceIds: string[], quantity: number) =>
      (await call(c, {
        op: "patchListingsItem",
        method: "PATCH",
        path: `/listings/2021-08-01/items/${encodeURIComponent(c.sellerId)}/${encodeURIComponent(sku)}`,
        query: { marketplaceIds },
        body: {
          productType: "PRODUCT",
          patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity }] }],
        },
        schema: listingsSubmissionResponse,
        wait: true,
      }))!,
    getQuantity: async (sku: string, marketplaceIds: string[]) => {
      try {
        const item = (await call(c, {
          op: "getListingsItem",
          method: "GET",
          path: `/listings/2021-08-01/items/${encodeURIComponent(c.sellerId)}/${encodeURIComponent(sku)}`,
          query: { marketplaceIds, includedData: ["fulfillmentAvailability"] },
          schema: listingsItemResponse,
          wait: true,
        }))!;
        return item.fulfillmentAvailability?.find((f) => f.fulfillmentChannelCode === "DEFAULT")?.quantity ?? 0;
      } catch (e) {
        if (e instanceof AmazonApiError && e.status === 404) return null;
        throw e;
      }
    },
  };
}
