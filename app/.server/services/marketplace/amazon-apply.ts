import { atp } from "~/domain/inventory/atp";
import {
  amazonSnapshot,
  amazonSourceId,
  amazonStatus,
  buyerRequestedCancel,
  isPending,
  nextStep,
  type CatalogueEntry,
} from "~/domain/marketplace/amazon-order";
import { amazonOrder, type AmazonOrderData } from "~/schemas/amazon";
import {
  adoptMarketplaceOrder,
  claimShopifyCreate,
  findAccount,
  findAmazonOrder,
  heldShort,
  levelsBySku,
  markApplied,
  markShopifyCreated,
  orderShipped,
  releaseShopifyClaim,
  trackSkus,
} from "../../db/amazon";
import { startGroupsRead, withOrderLock } from "../../db/order-lock";
import { findOrderHead, recordTimeline, replaceGroups, transitionOrder, type Provenance } from "../../db/orders";
import { NonRetriableError } from "../../errors";
import { enqueue } from "../../queue/queues";
import { adminFor } from "../../shopify/admin";
import { cancelMarketplaceOrder, createMarketplaceOrder, findMarketplaceOrder } from "../../shopify/marketplace-orders";
import { raiseException } from "../exceptions/raise-exception";
import { intakeOrderSnapshot } from "../intake-order";
import { syncOrderReservations } from "../order-stock";

const CREATE_LEASE_MS = 60_000;
export const holdGroupId = (amazonOrderId: string) => `amazon-hold:${amazonOrderId}`;

type Level = Awaited<ReturnType<typeof levelsBySku>>[number];

/**
 * Where an Amazon order's units are held until its Shopify order exists: the location (among those
 * serving Amazon) that can promise every line, most units to spare first. The Shopify order's own
 * routing and the OMS's sourcing then place it (route-order.ts) and the holding follows.
 */
function holdLocation(order: AmazonOrderData, levels: readonly Level[], serves: (loc: string) => boolean): string | null {
  const need = new Map<string, number>();
  for (const i of order.orderItems) if (i.product.sellerSku) need.set(i.product.sellerSku, (need.get(i.product.sellerSku) ?? 0) + i.quantityOrdered);
  const byLocation = new Map<string, Level[]>();
  for (const l of levels) if (serves(l.locationId)) byLocation.set(l.locationId, [...(byLocation.get(l.locationId) ?? []), l]);
  let best: { loc: string; spare: number } | null = null;
  for (const [loc, ls] of byLocation) {
    let spare = Infinity;
    for (const [sku, q] of need) {
      const l = ls.find((x) => x.sku === sku);
      spare = Math.min(spare, l ? atp(l) - q : -Infinity);
    }
    if (spare >= 0 && (!best || spare > best.spare || (spare === best.spare && loc < best.loc))) best = { loc, spare };
  }
  if (best) return best.loc;
  // Nothing can promise it all: hold where the first line is stocked (the shortfall is flagged).
  return [...byLocation.keys()].sort()[0] ?? null;
}

export type ApplyOutcome = { outcome: "applied" | "already" | "stale"; step: string; omsOrderId: string | null };

/**
 * Applies the state of an Amazon order the sync stored: the OMS order record (one lifecycle for
 * every channel), its stock (held while Pending, never released to fulfilment before Unshipped),
 * its Shopify order (created once, at Unshipped), cancellations, and exceptions for a person.
 * Each step is idempotent, so a retried or duplicated job does the rest and nothing twice.
 */
export async function applyAmazonOrder(accountId: string, amazonOrderId: string, now: Date): Promise<ApplyOutcome> {
  const account = await findAccount(accountId);
  const row = await findAmazonOrder(accountId, amazonOrderId);
  if (!account || !row) throw new NonRetriableError(`no Amazon order ${amazonOrderId} for account ${accountId}`);
  if (row.appliedUpdatedTime && row.appliedUpdatedTime >= row.lastUpdatedTime) return { outcome: "already", step: "none", omsOrderId: row.omsOrderId };
  const order = amazonOrder.parse(JSON.parse(row.data));
  const shop = account.shop;
  const status = amazonStatus(order);
  const p: Provenance = { at: now, actor: "amazon:searchOrders", source: "amazon", deliveryId: null };
  const skus = [...new Set(order.orderItems.map((i) => i.product.sellerSku).filter((s): s is string => Boolean(s)))];
  const levels = await levelsBySku(shop, skus);
  await trackSkus(accountId, shop, skus);
  const catalogue = new Map<string, CatalogueEntry & { inventoryItemId: string }>();
  for (const l of levels)
    if (l.sku && l.variantId && !catalogue.has(l.sku))
      catalogue.set(l.sku, { variantId: l.variantId, title: l.title ?? l.sku, inventoryItemId: l.inventoryItemId });

  // The record: while the order is Amazon's alone it follows Amazon's snapshots; once its Shopify
  // order exists, Shopify's snapshots own lines and fulfilment and Amazon's changes are noted.
  let omsOrderId = row.omsOrderId;
  const inShopify = row.shopifyState === "created" && row.shopifyOrderId !== null;
  if (!inShopify) {
    const intake = await intakeOrderSnapshot(shop, amazonSnapshot(order, "USD", catalogue), "amazon searchOrders", p);
    omsOrderId = intake.orderId;
    // Amazon has not taken the payment yet: held (not released) until Unshipped. Intake no longer
    // decides release (the release rules run on Shopify's read, which a Pending order does not have).
    if (isPending(status)) {
      await transitionOrder(
        omsOrderId,
        shop,
        "received",
        "on_hold",
        { holdReason: "awaiting payment", holdRule: "payment" },
        [
          {
            kind: "transition",
            summary: "received → on_hold (Amazon Pending: awaiting payment)",
            fromState: "received",
            toState: "on_hold",
            owner: "oms",
            dedupeKey: "transition:HOLD:amazon-pending",
          },
        ],
        { ...p, actor: "oms:amazon-intake", source: "oms" },
      );
    }
  } else if (omsOrderId) {
    await recordTimeline(
      omsOrderId,
      shop,
      [
        {
          kind: "updated",
          summary: `Amazon: ${status}${buyerRequestedCancel(order) ? " (buyer asked to cancel)" : ""}`,
          fromState: null,
          toState: null,
          owner: null,
          dedupeKey: `amazon:${status}@${order.lastUpdatedTime}`,
          source: "amazon",
          actor: "amazon:searchOrders",
        },
      ],
      p,
    );
  }
  if (!omsOrderId) throw new Error(`Amazon order ${amazonOrderId} has no OMS order`);

  const head = inShopify ? null : await findOrderHead(shop, amazonSourceId(amazonOrderId));
  const shippedInShopify = inShopify && (await orderShipped(omsOrderId));
  const step = nextStep({
    status,
    fulfilledBy: order.fulfillment?.fulfilledBy ?? "MERCHANT",
    buyerCancel: buyerRequestedCancel(order),
    inShopify,
    shippedInShopify,
    cancelApplied: row.cancelApplied,
  });
  const unknownSku = order.orderItems.find((i) => !i.product.sellerSku || !catalogue.has(i.product.sellerSku));

  switch (step.kind) {
    case "hold_stock":
    case "create_in_shopify":
    case "cancel_requested": {
      if (unknownSku) {
        await raiseException(
          {
            shop,
            kind: "marketplace_order_not_created",
            severity: "critical",
            subjectKey: `amazon:${amazonOrderId}`,
            orderId: omsOrderId,
            summary: `Amazon order ${amazonOrderId}: SKU ${unknownSku.product.sellerSku ?? "(none)"} is not a product the shop stocks`,
            data: { amazonOrderId, sku: unknownSku.product.sellerSku ?? null },
          },
          now,
        );
        break;
      }
      if (!inShopify && head && head.state !== "cancelled") await holdStock(shop, omsOrderId, order, levels, catalogue, account.locationIds, p);
      if (step.kind === "cancel_requested") {
        await raiseException(
          {
            shop,
            kind: "cancellation_request_pending",
            severity: "warning",
            subjectKey: `amazon:${amazonOrderId}`,
            orderId: omsOrderId,
            summary: `Amazon buyer asked to cancel ${amazonOrderId} (${order.orderItems[0]?.cancellation?.cancellationRequest?.cancelReason ?? "no reason given"}): accept it in Seller Central before it ships`,
            data: { amazonOrderId },
          },
          now,
        );
      }
      break;
    }
    case "cancel_in_shopify":
      // Its Shopify order is being created right now: cancel it once it exists (this job retries).
      if (row.shopifyState === "creating" && row.shopifyClaimedUntil && row.shopifyClaimedUntil > now)
        throw new Error(`Amazon order ${amazonOrderId}: its Shopify order is being created; the cancellation follows it`);
      await cancelInShopify(shop, amazonOrderId, row.shopifyOrderId, omsOrderId, p, now);
      break;
    case "cancel_after_ship":
      await raiseException(
        {
          shop,
          kind: "marketplace_cancel_after_ship",
          severity: "critical",
          subjectKey: `amazon:${amazonOrderId}`,
          orderId: omsOrderId,
          summary: `Amazon cancelled ${amazonOrderId} after it shipped: recall the parcel or refund on Amazon; the OMS changed nothing`,
          data: { amazonOrderId, status },
        },
        now,
      );
      break;
    case "none":
      break;
  }
  // Pending and cancelled orders that never reached Shopify: the snapshot already holds/cancels them;
  // stock follows the record (a cancelled record releases its hold).
  if (!inShopify && (isPending(status) || status === "CANCELLED")) await syncOrderReservations(shop, omsOrderId, p);
  await markApplied(accountId, amazonOrderId, row.lastUpdatedTime, { omsOrderId, ...(step.kind === "cancel_in_shopify" ? { cancelApplied: true } : {}) });
  // The Shopify order is its own job (its own queue): intake never waits behind orderCreate. Queued
  // once the record is marked (the job reads it); lost here, the poll's sweep queues it again.
  if (step.kind === "create_in_shopify" && !unknownSku)
    await enqueue("amazonCreateShopifyOrder", { accountId, amazonOrderId, updatedAt: row.lastUpdatedTime.toISOString() });
  return { outcome: "applied", step: step.kind, omsOrderId };
}

export type CreateOutcome = { outcome: "created" | "already" | "not_due" | "short" | "unknown_sku" | "busy"; step: string };

/**
 * The Shopify order of an Amazon order Amazon says is Unshipped (job amazonCreateShopifyOrder, queued
 * by the intake). Reads the order's latest stored state: cancelled or changed meanwhile, nothing is
 * due. Released to fulfilment only with every unit held: Shopify must not be told to ship stock
 * another channel's order holds (Amazon sold it on a quantity pushed before that order).
 */
export async function createAmazonOrderInShopify(accountId: string, amazonOrderId: string, now: Date): Promise<CreateOutcome> {
  const account = await findAccount(accountId);
  const row = await findAmazonOrder(accountId, amazonOrderId);
  if (!account || !row) throw new NonRetriableError(`no Amazon order ${amazonOrderId} for account ${accountId}`);
  if (row.shopifyState === "created") return { outcome: "already", step: "none" };
  const order = amazonOrder.parse(JSON.parse(row.data));
  const step = nextStep({
    status: amazonStatus(order),
    fulfilledBy: order.fulfillment?.fulfilledBy ?? "MERCHANT",
    buyerCancel: buyerRequestedCancel(order),
    inShopify: false,
    shippedInShopify: false,
    cancelApplied: row.cancelApplied,
  });
  if (step.kind !== "create_in_shopify") return { outcome: "not_due", step: step.kind };
  if (!row.omsOrderId) throw new Error(`Amazon order ${amazonOrderId}: its intake is not applied yet`); // retried
  const skus = [...new Set(order.orderItems.map((i) => i.product.sellerSku).filter((s): s is string => Boolean(s)))];
  const catalogue = new Map<string, CatalogueEntry>();
  for (const l of await levelsBySku(account.shop, skus))
    if (l.sku && l.variantId && !catalogue.has(l.sku)) catalogue.set(l.sku, { variantId: l.variantId, title: l.title ?? l.sku });
  if (order.orderItems.some((i) => !i.product.sellerSku || !catalogue.has(i.product.sellerSku))) return { outcome: "unknown_sku", step: step.kind }; // the intake raised it
  if (await heldShort(row.omsOrderId)) {
    await raiseException(
      {
        shop: account.shop,
        kind: "marketplace_order_not_created",
        severity: "critical",
        subjectKey: `amazon:${amazonOrderId}`,
        orderId: row.omsOrderId,
        summary: `Amazon order ${amazonOrderId} is not in Shopify yet: not enough stock to hold its units (oversold on Amazon); restock or cancel it on Amazon`,
        data: { amazonOrderId, reason: "STOCK_SHORTFALL" },
      },
      now,
    );
    return { outcome: "short", step: step.kind };
  }
  return (await createInShopify(account.shop, row.id, row.omsOrderId, order, catalogue, now))
    ? { outcome: "created", step: step.kind }
    : { outcome: "busy", step: step.kind };
}

async function holdStock(
  shop: string,
  omsOrderId: string,
  order: AmazonOrderData,
  levels: readonly Level[],
  catalogue: ReadonlyMap<string, { inventoryItemId: string }>,
  locationIds: string,
  p: Provenance,
) {
  const serving = locationIds ? new Set(locationIds.split(",")) : null;
  const loc = holdLocation(order, levels, (l) => !serving || serving.has(l));
  if (!loc) return;
  // A read ticket like any other writer of the groups: once the Shopify order's groups are read
  // (a later ticket) this older hold can never overwrite them.
  const ticket = await startGroupsRead(shop, omsOrderId);
  await withOrderLock(shop, omsOrderId, () =>
    replaceGroups(
      omsOrderId,
      [
        {
          sourceId: holdGroupId(order.orderId),
          status: "OPEN",
          requestStatus: null,
          locationId: loc,
          locationName: null,
          lines: order.orderItems.map((i) => ({
            lineItemId: `amazon-item:${i.orderItemId}`,
            sku: i.product.sellerSku ?? null,
            inventoryItemId: catalogue.get(i.product.sellerSku ?? "")?.inventoryItemId ?? null,
            quantity: i.quantityOrdered,
            remaining: i.quantityOrdered,
          })),
        },
      ],
      ticket,
    ),
  );
  await syncOrderReservations(shop, omsOrderId, p);
}

/** Creates the Shopify order once: a claim guards concurrent jobs; the Shopify order then adopts the record. */
async function createInShopify(
  shop: string,
  rowId: string,
  omsOrderId: string,
  order: AmazonOrderData,
  catalogue: ReadonlyMap<string, CatalogueEntry>,
  now: Date,
): Promise<boolean> {
  if (!(await claimShopifyCreate(rowId, now, CREATE_LEASE_MS))) return false;
  try {
    const snap = amazonSnapshot(order, "USD", catalogue);
    const graphql = await adminFor(shop);
    // Created by a run that stopped before adopting it (the claim's lease lapsed): adopted, not created again.
    const earlier = await findMarketplaceOrder(graphql, "amazon", order.orderId);
    const created = earlier
      ? { ok: true as const, ...earlier }
      : await createMarketplaceOrder(graphql, {
          sourceName: "amazon",
          sourceIdentifier: order.orderId,
          processedAt: order.createdTime,
          currency: snap.currency,
          email: null, // Amazon's relay address stays with the OMS record; Shopify sends the buyer nothing
          tags: snap.tags,
          note: `Amazon order ${order.orderId} (${order.salesChannel.marketplaceName ?? order.salesChannel.marketplaceId ?? "Amazon"}), imported by the OMS`,
          lines: order.orderItems.map((i) => ({
            variantId: catalogue.get(i.product.sellerSku ?? "")?.variantId ?? null,
            sku: i.product.sellerSku ?? null,
            title: i.product.title ?? i.orderItemId,
            quantity: i.quantityOrdered,
            unitPrice: i.product.price?.unitPrice?.amount ?? "0",
          })),
          shippingAddress: snap.shippingAddress,
        });
    if (!created.ok) {
      await raiseException(
        {
          shop,
          kind: "marketplace_order_not_created",
          severity: "critical",
          subjectKey: `amazon:${order.orderId}`,
          orderId: omsOrderId,
          summary: `Shopify refused Amazon order ${order.orderId}: ${created.message}`,
          data: { amazonOrderId: order.orderId, message: created.message },
        },
        now,
      );
      await releaseShopifyClaim(rowId);
      return true;
    }
    await adoptMarketplaceOrder(shop, amazonSourceId(order.orderId), created.orderId);
    await markShopifyCreated(rowId, created.orderId);
    await recordTimeline(
      omsOrderId,
      shop,
      [
        {
          kind: "transition",
          summary: `Created in Shopify as ${created.name} (released to fulfilment: Amazon says Unshipped)`,
          fromState: null,
          toState: null,
          owner: "oms",
          dedupeKey: `amazon:shopify-created`,
          source: "oms",
          actor: "oms:amazon-intake",
        },
      ],
      { at: now, actor: "oms:amazon-intake", source: "oms", deliveryId: null },
    );
    await enqueue("syncOrder", { shop, orderId: created.orderId, reason: "amazon-created", via: "amazon-intake" });
    return true;
  } catch (e) {
    await releaseShopifyClaim(rowId);
    throw e;
  }
}

async function cancelInShopify(shop: string, amazonOrderId: string, shopifyOrderId: string | null, omsOrderId: string, p: Provenance, now: Date) {
  if (shopifyOrderId) {
    const res = await cancelMarketplaceOrder(await adminFor(shop), shopifyOrderId, `Cancelled on Amazon (${amazonOrderId})`);
    if (!res.ok && !/already|cancel/i.test(res.message)) {
      await raiseException(
        {
          shop,
          kind: "marketplace_cancel_after_ship",
          severity: "critical",
          subjectKey: `amazon:${amazonOrderId}`,
          orderId: omsOrderId,
          summary: `Amazon cancelled ${amazonOrderId}; Shopify refused the cancellation: ${res.message}`,
          data: { amazonOrderId, message: res.message },
        },
        now,
      );
      return;
    }
    await enqueue("syncOrder", { shop, orderId: shopifyOrderId, reason: "amazon-cancelled", via: "amazon-intake" });
  }
  await recordTimeline(
    omsOrderId,
    shop,
    [
      {
        kind: "transition",
        summary: `Cancelled on Amazon${shopifyOrderId ? "; cancelled in Shopify and its stock released" : "; its held stock released"}`,
        fromState: null,
        toState: null,
        owner: null,
        dedupeKey: `amazon:cancelled`,
        source: "amazon",
        actor: "amazon:searchOrders",
      },
    ],
    p,
  );
}
