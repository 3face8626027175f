import { amazonStatus, buyerRequestedCancel } from "~/domain/marketplace/amazon-order";
import type { AmazonOrderData } from "~/schemas/amazon";
import { AmazonApiError, AmazonAuthError, AmazonRateLimited, spApi } from "../../amazon/client";
import {
  claimSync,
  findAccount,
  renewSync,
  openWindow,
  ordersOwingShopify,
  ordersOwingWork,
  recordSyncError,
  releaseSync,
  setAccountStatus,
  storePage,
  type PageOrder,
} from "../../db/amazon";
import { env } from "../../env";
import { enqueue } from "../../queue/queues";
import { credentialsOf } from "./amazon-accounts";

/** A state stored this long ago and still not applied has lost its job (a queued one runs sooner). */
const SWEEP_GRACE_MS = 60_000;
/** A new account reads this far back on its first window. */
const FIRST_LOOKBACK_MS = 24 * 3600_000;

export type SyncOutcome =
  | { kind: "busy" } // another worker holds the account
  | { kind: "inactive" }
  | { kind: "done"; pages: number; changed: number; watermark: string }
  | { kind: "more"; pages: number; changed: number; retryAfterMs: number }; // budget spent mid-window: continue later

export const pageOrder = (o: AmazonOrderData): PageOrder => ({
  amazonOrderId: o.orderId,
  marketplaceId: o.salesChannel.marketplaceId ?? "",
  status: amazonStatus(o) === "OTHER" ? (o.fulfillment?.fulfillmentStatus ?? "OTHER") : amazonStatus(o),
  fulfilledBy: o.fulfillment?.fulfilledBy ?? "MERCHANT",
  buyerCancelRequested: buyerRequestedCancel(o),
  lastUpdatedTime: new Date(o.lastUpdatedTime),
  data: JSON.stringify(o),
});

/**
 * One poll of an account: searchOrders from the watermark minus an overlap, page by page. Each
 * page is stored in one transaction that also moves the window (storePage), so a worker killed
 * mid-page leaves the window where the page began and the next run reads that page again (its
 * orders upsert to the same rows). Orders whose state changed get an apply job each (job id per
 * order state: duplicates collapse); a sweep re-enqueues any the OMS has not applied yet (a job
 * lost between the commit and the enqueue). Without budget the run stops and says when to resume.
 */
export async function syncAmazonAccount(accountId: string, now: () => Date, progress?: (percent: number) => Promise<unknown>): Promise<SyncOutcome> {
  const account = await findAccount(accountId);
  if (!account || account.status !== "active") return { kind: "inactive" };
  // A sync holds its account for this long at most (a killed worker's lease lapses after it).
  const LEASE_MS = env().AMAZON_SYNC_LEASE_SECONDS * 1000;
  if (!(await claimSync(accountId, now(), LEASE_MS))) return { kind: "busy" };
  let pages = 0;
  let changed = 0;
  try {
    // The sweep: states stored a while ago and still not applied, and Unshipped orders still not in
    // Shopify (a job lost between a commit and its enqueue). Recent ones have their job queued.
    const sweptBefore = new Date(now().getTime() - SWEEP_GRACE_MS);
    for (const r of await ordersOwingWork(accountId, sweptBefore, 500))
      await enqueue("amazonApplyOrder", { accountId, amazonOrderId: r.amazonOrderId, updatedAt: r.lastUpdatedTime.toISOString() });
    for (const r of await ordersOwingShopify(accountId, sweptBefore, now(), 200))
      await enqueue("amazonCreateShopifyOrder", { accountId, amazonOrderId: r.amazonOrderId, updatedAt: r.lastUpdatedTime.toISOString() });
    const api = spApi(credentialsOf(account));
    const overlap = env().AMAZON_OVERLAP_SECONDS * 1000;
    for (;;) {
      let a = (await findAccount(accountId))!;
      if (!a.windowAfter) {
        const from = a.watermark ? new Date(a.watermark.getTime() - overlap) : new Date(now().getTime() - FIRST_LOOKBACK_MS);
        await openWindow(accountId, a.watermark, from);
        a = (await findAccount(accountId))!;
        if (!a.windowAfter) continue;
      }
      await progress?.(Math.min(90, 10 + pages * 20));
      let page;
      try {
        page = await api.searchOrders({
          lastUpdatedAfter: a.windowAfter!.toISOString(),
          marketplaceIds: a.marketplaceIds.split(","),
          paginationToken: a.pageToken ?? undefined,
        });
      } catch (e) {
        if (e instanceof AmazonRateLimited) return { kind: "more", pages, changed, retryAfterMs: e.retryAfterMs };
        // An expired or refused pagination token: start the window again from its beginning.
        if (e instanceof AmazonApiError && e.status === 400 && a.pageToken) {
          await recordSyncError(accountId, `pagination restarted: ${e.message}`);
          await storePage(a, { windowAfter: a.windowAfter!, pageToken: a.pageToken }, [], { pageToken: null, before: a.watermark ?? a.windowAfter! }, now());
          continue;
        }
        throw e;
      }
      const before = new Date(page.lastUpdatedBefore ?? now().toISOString());
      const stored = await storePage(
        a,
        { windowAfter: a.windowAfter!, pageToken: a.pageToken },
        page.orders.map(pageOrder),
        { pageToken: page.pagination?.nextToken ?? null, before },
        now(),
      );
      pages++;
      if (!stored) return { kind: "busy" }; // another run moved the window (its lease had lapsed)
      changed += stored.changed.length;
      for (const o of page.orders) {
        if (stored.changed.includes(o.orderId))
          await enqueue("amazonApplyOrder", { accountId, amazonOrderId: o.orderId, updatedAt: new Date(o.lastUpdatedTime).toISOString() });
      }
      if (!page.pagination?.nextToken) {
        await progress?.(100);
        return { kind: "done", pages, changed, watermark: before.toISOString() };
      }
      await renewSync(accountId, now(), LEASE_MS);
    }
  } catch (e) {
    if (e instanceof AmazonAuthError) {
      await setAccountStatus(accountId, "auth_failed", e.message, now());
      return { kind: "inactive" };
    }
    await recordSyncError(accountId, e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    await releaseSync(accountId);
  }
}
