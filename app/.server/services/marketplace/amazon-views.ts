import { marketplaceLabel } from "~/domain/marketplace/amazon-order";
import { parseRoles } from "~/domain/marketplace/amazon-roles";
import { budget, DEFAULT_PLANS, type SpOperation } from "../../amazon/rate-limit";
import { listAccounts, listingsOf, ordersByStatus, recentAmazonOrders, shipmentCounts } from "../../db/amazon";
import { openCountsByKind } from "../../db/exceptions";
import { stockLocations } from "../../db/stock-settings";
import { jobProgress } from "../../queue/queues";

const OPERATIONS = Object.keys(DEFAULT_PLANS) as SpOperation[];

/**
 * The Amazon page: each account (never its secrets), how far its intake is behind, its rate budget
 * per operation, errors, orders by Amazon status, shipments, and listings with the drift between
 * Amazon's quantity and the OMS's.
 */
export async function amazonPageView(shop: string, now: Date) {
  const accounts = await listAccounts(shop);
  const [statuses, shipments, listings, recent, locations, openExceptions] = await Promise.all([
    ordersByStatus(shop),
    shipmentCounts(shop),
    listingsOf(shop),
    recentAmazonOrders(shop, 20),
    stockLocations(shop),
    openCountsByKind(shop, ["marketplace_order_not_created", "marketplace_cancel_after_ship", "shipment_status_unsynced", "cancellation_request_pending"]),
  ]);
  return {
    locations: locations.map((l) => ({ id: l.id, name: l.name })),
    accounts: await Promise.all(
      accounts.map(async (a) => ({
        id: a.id,
        sellerId: a.sellerId,
        marketplaces: a.marketplaceIds.split(",").map((m) => ({ id: m, label: marketplaceLabel(m) })),
        lwaClientId: a.lwaClientId,
        status: a.status,
        lastSyncAt: a.lastSyncAt?.toISOString() ?? null,
        lastSyncError: a.lastSyncError,
        lastSyncOrders: a.lastSyncOrders,
        watermark: a.watermark?.toISOString() ?? null,
        // Intake lag: every Amazon change older than the watermark is held; newer ones may not be yet.
        lagSeconds: a.watermark ? Math.max(0, Math.round((now.getTime() - a.watermark.getTime()) / 1000)) : null,
        windowOpen: a.windowAfter !== null,
        stockBuffer: a.stockBuffer,
        grantedRoles: parseRoles(a.grantedRoles),
        locationIds: a.locationIds ? a.locationIds.split(",") : [],
        budget: await Promise.all(
          OPERATIONS.map(async (op) => {
            const b = await budget(a.sellerId, op).catch(() => null);
            return {
              operation: op,
              rate: b?.plan.rate ?? DEFAULT_PLANS[op].rate,
              burst: b?.plan.burst ?? DEFAULT_PLANS[op].burst,
              remaining: b?.remaining ?? null,
              nextTokenMs: b?.nextTokenMs ?? null,
            };
          }),
        ),
      })),
    ),
    statuses,
    shipments,
    exceptions: openExceptions,
    listings: listings.map((l) => ({
      sku: l.sku,
      wanted: l.wanted,
      pushed: l.pushed,
      pushedAt: l.pushedAt?.toISOString() ?? null,
      amazon: l.amazonQuantity,
      observedAt: l.observedAt?.toISOString() ?? null,
      drift: l.amazonQuantity !== null && l.wanted !== null ? l.amazonQuantity - l.wanted : null,
      error: l.error,
    })),
    recent: recent.map((r) => ({
      ...r,
      lastUpdatedTime: r.lastUpdatedTime.toISOString(),
      firstSeenAt: r.firstSeenAt.toISOString(),
      channel: marketplaceLabel(r.marketplaceId),
    })),
  };
}

export async function syncProgress(jobId: string) {
  return jobProgress("amazonSync", jobId);
}
