import type { Prisma } from "@prisma/client";
import { db } from "./client";
import { recordAudit } from "./promise";

// Amazon accounts, the orders read from them, shipments confirmed and listing quantities pushed.
// Every write that others may race is guarded (a lease, the window's fence, a unique key).

export type AccountRow = Awaited<ReturnType<typeof findAccount>> & {};

export function findAccount(id: string) {
  return db().amazonAccount.findUnique({ where: { id } });
}

export function listAccounts(shop: string) {
  return db().amazonAccount.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
}

export function allActiveAccounts() {
  return db().amazonAccount.findMany({ where: { status: "active" }, select: { id: true, shop: true } });
}

export async function upsertAccount(a: {
  shop: string;
  sellerId: string;
  marketplaceIds: string[];
  lwaClientId: string;
  lwaClientSecretEnc: string;
  refreshTokenEnc: string;
  createdBy: string;
}) {
  const data = {
    marketplaceIds: a.marketplaceIds.join(","),
    lwaClientId: a.lwaClientId,
    lwaClientSecretEnc: a.lwaClientSecretEnc,
    refreshTokenEnc: a.refreshTokenEnc,
    status: "active",
  };
  return db().amazonAccount.upsert({
    where: { shop_sellerId: { shop: a.shop, sellerId: a.sellerId } },
    create: { shop: a.shop, sellerId: a.sellerId, createdBy: a.createdBy, ...data },
    update: data,
    select: { id: true },
  });
}

export async function updateStockSettings(shop: string, id: string, stockBuffer: number, locationIds: string) {
  const { count } = await db().amazonAccount.updateMany({ where: { id, shop }, data: { stockBuffer, locationIds } });
  return count === 1;
}

/**
 * The roles recorded as granted; conditional on the value read (two people saving at once: the
 * second reloads). `audited` (who changed what) is written in the same transaction.
 */
export async function setGrantedRoles(
  shop: string,
  id: string,
  was: string,
  roles: readonly string[],
  audited: { at: Date; actor: string; summary: string; data: Record<string, unknown> },
) {
  return db().$transaction(async (tx) => {
    const { count } = await tx.amazonAccount.updateMany({ where: { id, shop, grantedRoles: was }, data: { grantedRoles: roles.join(",") } });
    if (count !== 1) return false;
    await audit(shop, audited.at, audited.actor, audited.summary, audited.data, tx);
    return true;
  });
}

export async function setAccountStatus(id: string, status: string, error: string | null, at: Date) {
  await db().amazonAccount.update({ where: { id }, data: { status, lastSyncError: error, ...(error ? { lastSyncAt: at } : {}) } });
}

export async function recordSyncError(id: string, error: string) {
  await db().amazonAccount.update({ where: { id }, data: { lastSyncError: error } });
}

/** One sync at a time per account: a lease taken with a conditional write, lapsing if its holder dies. */
export async function claimSync(id: string, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db().amazonAccount.updateMany({
    where: { id, status: "active", OR: [{ syncClaimedUntil: null }, { syncClaimedUntil: { lt: now } }] },
    data: { syncClaimedUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

export async function renewSync(id: string, now: Date, leaseMs: number) {
  await db().amazonAccount.update({ where: { id }, data: { syncClaimedUntil: new Date(now.getTime() + leaseMs) } });
}

export async function releaseSync(id: string) {
  await db().amazonAccount.update({ where: { id }, data: { syncClaimedUntil: null } });
}

/** Opens the next window (none open): from `after` to the bound Amazon will give with its first page. */
export async function openWindow(id: string, watermark: Date | null, after: Date): Promise<boolean> {
  const { count } = await db().amazonAccount.updateMany({
    where: { id, windowAfter: null, watermark },
    data: { windowAfter: after, windowBefore: null, pageToken: null, pagesInWindow: 0 },
  });
  return count === 1;
}

export type PageOrder = {
  amazonOrderId: string;
  marketplaceId: string;
  status: string;
  fulfilledBy: string;
  buyerCancelRequested: boolean;
  lastUpdatedTime: Date;
  data: string;
};

/**
 * One page of searchOrders, stored at once: every order upserted by AmazonOrderId (a newer
 * lastUpdatedTime wins, an older or equal one — a duplicate page, an overlap — changes nothing),
 * and the window moved on in the same transaction (next page's token, or on the last page the
 * watermark to Amazon's bound). The window row is written first and only if it is still where this
 * page started (fence): a second job paging the same window writes nothing. Returns the orders
 * whose state changed, or null if fenced out.
 */
export async function storePage(
  account: { id: string; shop: string },
  from: { windowAfter: Date; pageToken: string | null },
  orders: readonly PageOrder[],
  next: { pageToken: string | null; before: Date },
  at: Date,
): Promise<{ changed: string[] } | null> {
  return db().$transaction(async (tx) => {
    const last = next.pageToken === null;
    const { count } = await tx.amazonAccount.updateMany({
      where: { id: account.id, windowAfter: from.windowAfter, pageToken: from.pageToken },
      data: last
        ? {
            watermark: next.before,
            windowAfter: null,
            windowBefore: null,
            pageToken: null,
            pagesInWindow: 0,
            lastSyncAt: at,
            lastSyncError: null,
            lastSyncOrders: orders.length,
          }
        : { windowBefore: next.before, pageToken: next.pageToken, pagesInWindow: { increment: 1 }, lastSyncAt: at, lastSyncError: null },
    });
    if (count === 0) return null;
    const changed: string[] = [];
    for (const o of orders) {
      const existing = await tx.amazonOrder.findUnique({
        where: { accountId_amazonOrderId: { accountId: account.id, amazonOrderId: o.amazonOrderId } },
        select: { lastUpdatedTime: true },
      });
      if (!existing) {
        await tx.amazonOrder.create({ data: { shop: account.shop, accountId: account.id, firstSeenAt: at, ...o } });
        changed.push(o.amazonOrderId);
      } else if (o.lastUpdatedTime > existing.lastUpdatedTime) {
        await tx.amazonOrder.updateMany({
          where: { accountId: account.id, amazonOrderId: o.amazonOrderId, lastUpdatedTime: { lt: o.lastUpdatedTime } },
          data: o,
        });
        changed.push(o.amazonOrderId);
      }
    }
    return { changed };
  });
}

/** A single order read again (getOrder): stored if newer. */
export async function storeOrder(account: { id: string; shop: string }, o: PageOrder, at: Date): Promise<boolean> {
  const existing = await db().amazonOrder.findUnique({
    where: { accountId_amazonOrderId: { accountId: account.id, amazonOrderId: o.amazonOrderId } },
    select: { lastUpdatedTime: true },
  });
  if (!existing) {
    await db().amazonOrder.create({ data: { shop: account.shop, accountId: account.id, firstSeenAt: at, ...o } });
    return true;
  }
  const { count } = await db().amazonOrder.updateMany({
    where: { accountId: account.id, amazonOrderId: o.amazonOrderId, lastUpdatedTime: { lt: o.lastUpdatedTime } },
    data: o,
  });
  return count === 1;
}

export function findAmazonOrder(accountId: string, amazonOrderId: string) {
  return db().amazonOrder.findUnique({ where: { accountId_amazonOrderId: { accountId, amazonOrderId } } });
}

export function findAmazonOrderByShopifyId(shop: string, shopifyOrderId: string) {
  return db().amazonOrder.findFirst({ where: { shop, shopifyOrderId } });
}

export function findAmazonOrderByOmsId(omsOrderId: string) {
  return db().amazonOrder.findFirst({ where: { omsOrderId } });
}

/**
 * Orders whose latest state the OMS has not applied although it was stored before `storedBefore`
 * (their job was lost; a state stored since has its job still queued): one query, no per-row read.
 */
export async function ordersOwingWork(accountId: string, storedBefore: Date, take: number) {
  return db().amazonOrder.findMany({
    where: {
      accountId,
      updatedAt: { lt: storedBefore },
      OR: [{ appliedUpdatedTime: null }, { appliedUpdatedTime: { lt: db().amazonOrder.fields.lastUpdatedTime } }],
    },
    select: { amazonOrderId: true, lastUpdatedTime: true },
    take,
  });
}

/**
 * Merchant-fulfilled orders applied as Unshipped whose Shopify order does not exist, not being
 * created, and not changed since `storedBefore` (the create job was lost, or Shopify refused it).
 */
export async function ordersOwingShopify(accountId: string, storedBefore: Date, now: Date, take: number) {
  return db().amazonOrder.findMany({
    where: {
      accountId,
      status: "UNSHIPPED",
      fulfilledBy: "MERCHANT",
      buyerCancelRequested: false,
      shopifyState: { not: "created" },
      updatedAt: { lt: storedBefore },
      appliedUpdatedTime: { equals: db().amazonOrder.fields.lastUpdatedTime },
      OR: [{ shopifyClaimedUntil: null }, { shopifyClaimedUntil: { lt: now } }],
    },
    select: { amazonOrderId: true, lastUpdatedTime: true },
    take,
  });
}

export async function markApplied(
  accountId: string,
  amazonOrderId: string,
  lastUpdatedTime: Date,
  extra: { omsOrderId?: string; cancelApplied?: boolean } = {},
) {
  await db().amazonOrder.updateMany({ where: { accountId, amazonOrderId, lastUpdatedTime }, data: { appliedUpdatedTime: lastUpdatedTime, ...extra } });
  if (extra.omsOrderId || extra.cancelApplied) await db().amazonOrder.updateMany({ where: { accountId, amazonOrderId }, data: extra });
}

/** Claims the creation of the Shopify order (one creator at a time; a crashed one's claim lapses). */
export async function claimShopifyCreate(id: string, now: Date, leaseMs: number): Promise<boolean> {
  const { count } = await db().amazonOrder.updateMany({
    where: { id, shopifyState: { in: ["none", "creating"] }, OR: [{ shopifyClaimedUntil: null }, { shopifyClaimedUntil: { lt: now } }] },
    data: { shopifyState: "creating", shopifyClaimedUntil: new Date(now.getTime() + leaseMs) },
  });
  return count === 1;
}

export async function markShopifyCreated(id: string, shopifyOrderId: string) {
  await db().amazonOrder.update({ where: { id }, data: { shopifyState: "created", shopifyOrderId, shopifyClaimedUntil: null } });
}

export async function releaseShopifyClaim(id: string) {
  await db().amazonOrder.updateMany({ where: { id, shopifyState: "creating" }, data: { shopifyClaimedUntil: null } });
}

export async function ordersByStatus(shop: string) {
  const rows = await db().amazonOrder.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  return rows.map((r) => ({ status: r.status, count: r._count._all }));
}

export function recentAmazonOrders(shop: string, take: number) {
  return db().amazonOrder.findMany({
    where: { shop },
    orderBy: { lastUpdatedTime: "desc" },
    take,
    select: { amazonOrderId: true, status: true, lastUpdatedTime: true, firstSeenAt: true, shopifyState: true, omsOrderId: true, marketplaceId: true },
  });
}

// ---- shipments --------------------------------------------------------------------------------

/** The shipment for one Shopify fulfilment, created once (unique per order and fulfilment). */
export async function ensureShipment(s: { shop: string; amazonOrderId: string; fulfillmentId: string; request: (packageReferenceId: string) => string }) {
  const existing = await db().amazonShipment.findUnique({
    where: { amazonOrderId_fulfillmentId: { amazonOrderId: s.amazonOrderId, fulfillmentId: s.fulfillmentId } },
  });
  if (existing) return existing;
  for (let attempt = 0; attempt < 5; attempt++) {
    const n = (await db().amazonShipment.count({ where: { amazonOrderId: s.amazonOrderId } })) + 1 + attempt;
    try {
      return await db().amazonShipment.create({
        data: {
          shop: s.shop,
          amazonOrderId: s.amazonOrderId,
          fulfillmentId: s.fulfillmentId,
          packageReferenceId: String(n),
          status: "pending",
          request: s.request(String(n)),
        },
      });
    } catch (e) {
      const again = await db().amazonShipment.findUnique({
        where: { amazonOrderId_fulfillmentId: { amazonOrderId: s.amazonOrderId, fulfillmentId: s.fulfillmentId } },
      });
      if (again) return again;
      if (attempt === 4) throw e;
    }
  }
  throw new Error("unreachable");
}

export function findShipment(id: string) {
  return db().amazonShipment.findUnique({ where: { id } });
}

export async function markShipment(id: string, status: "confirmed" | "failed" | "pending", error: string | null, at: Date) {
  await db().amazonShipment.update({
    where: { id },
    data: { status, error, attempts: { increment: 1 }, ...(status === "confirmed" ? { confirmedAt: at } : {}) },
  });
}

export async function shipmentCounts(shop: string) {
  const rows = await db().amazonShipment.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all])) as Record<string, number>;
}

// ---- listings ---------------------------------------------------------------------------------

export async function setWanted(accountId: string, shop: string, wanted: ReadonlyMap<string, number>) {
  for (const [sku, q] of wanted) {
    await db().amazonListing.upsert({ where: { accountId_sku: { accountId, sku } }, create: { accountId, shop, sku, wanted: q }, update: { wanted: q } });
  }
}

export function listingsToPush(accountId: string) {
  return db().amazonListing.findMany({ where: { accountId } });
}

export async function markPushedListing(accountId: string, sku: string, pushed: number, at: Date, error: string | null) {
  await db().amazonListing.update({ where: { accountId_sku: { accountId, sku } }, data: error ? { error } : { pushed, pushedAt: at, error: null } });
}

export async function observeListing(accountId: string, sku: string, amazonQuantity: number | null, at: Date) {
  await db().amazonListing.update({ where: { accountId_sku: { accountId, sku } }, data: { amazonQuantity, observedAt: at } });
}

export function listingsOf(shop: string) {
  return db().amazonListing.findMany({ where: { shop }, orderBy: { sku: "asc" } });
}

/** `tx`: written in the caller's transaction, with the change it records. */
export async function audit(shop: string, at: Date, actor: string, summary: string, data: Record<string, unknown>, tx?: Prisma.TransactionClient) {
  await recordAudit(shop, { at, actor, subject: "amazon-account", summary, data }, tx);
}

/** The shop's stock levels of these SKUs (variant, item and balance per location). */
export function levelsBySku(shop: string, skus: readonly string[]) {
  return db().stockLevel.findMany({
    where: { shop, sku: { in: [...skus] } },
    select: {
      sku: true,
      variantId: true,
      inventoryItemId: true,
      title: true,
      locationId: true,
      onHand: true,
      reserved: true,
      committed: true,
      safetyStock: true,
      unavailable: true,
      observedAt: true,
    },
  });
}

/**
 * The Shopify order created for a marketplace order takes over the OMS order (one record): its
 * source id becomes the Shopify order's, the marketplace's lines give way to Shopify's line items
 * (the next snapshot brings them; the watermark is reset so it applies), and the marketplace order
 * row learns the Shopify id. Conditional on the record still being the marketplace's: the
 * orders/create webhook and the creator can both try, and only one does it.
 */
export async function adoptMarketplaceOrder(shop: string, fromSourceId: string, shopifyOrderId: string): Promise<string | null> {
  return db().$transaction(async (tx) => {
    const o = await tx.order.findUnique({ where: { shop_sourceId: { shop, sourceId: fromSourceId } }, select: { id: true } });
    if (!o) return null;
    const { count } = await tx.order.updateMany({
      where: { id: o.id, sourceId: fromSourceId },
      data: { sourceId: shopifyOrderId, sourceUpdatedAt: new Date(0) },
    });
    if (count === 0) return null;
    await tx.orderLine.deleteMany({ where: { orderId: o.id, sourceLineId: { startsWith: "amazon-item:" } } });
    await tx.amazonOrder.updateMany({ where: { shop, omsOrderId: o.id }, data: { shopifyOrderId, shopifyState: "created", shopifyClaimedUntil: null } });
    return o.id;
  });
}

/** Whether any of the order's units left a location (Shopify fulfilled some of it). */
export async function orderShipped(omsOrderId: string): Promise<boolean> {
  const o = await db().order.findUnique({ where: { id: omsOrderId }, select: { state: true, fulfillmentStatus: true } });
  if (!o) return false;
  return (
    ["shipped", "delivered", "returned"].includes(o.state) ||
    ["fulfilled", "partial", "partially_fulfilled"].includes((o.fulfillmentStatus ?? "").toLowerCase())
  );
}

export function findAmazonOrderById(shop: string, amazonOrderId: string) {
  return db().amazonOrder.findFirst({ where: { shop, amazonOrderId } });
}

export async function trackSkus(accountId: string, shop: string, skus: readonly string[]) {
  for (const sku of new Set(skus)) {
    await db().amazonListing.upsert({ where: { accountId_sku: { accountId, sku } }, create: { accountId, shop, sku }, update: {} });
  }
}

/** Whether the order could not hold all its units (flagged STOCK_SHORTFALL by the reservation sync). */
export async function heldShort(omsOrderId: string): Promise<boolean> {
  const o = await db().order.findUnique({ where: { id: omsOrderId }, select: { exception: true } });
  return o?.exception === "STOCK_SHORTFALL";
}
