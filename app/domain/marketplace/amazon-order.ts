/**
 * An Amazon order (SP-API Orders v2026-01-01) in the OMS's terms: the order snapshot every channel
 * produces, and what the OMS must do about it next. Pure: the catalogue lookup and time come in.
 */
import type { AmazonOrderData } from "~/schemas/amazon";
import type { Address, OrderSnapshot } from "../order/snapshot";
import { parseMoney } from "../shared/money";

export const AMAZON_SOURCE_PREFIX = "amazon:";
export const amazonSourceId = (amazonOrderId: string) => `${AMAZON_SOURCE_PREFIX}${amazonOrderId}`;

/** Country codes of the marketplaces, for the channel label "Amazon US". */
const MARKETPLACE_COUNTRY: Record<string, string> = {
  ATVPDKIKX0DER: "US",
  A2EUQ1WTGCTBG2: "CA",
  A1AM78C64UM0Y8: "MX",
  A2Q3Y263D00KWC: "BR",
  A1F83G8C2ARO7P: "UK",
  A1PA6795UKMFR9: "DE",
  A13V1IB3VIYZZH: "FR",
  APJ6JRA9NG5V4: "IT",
  A1RKKUPIHCS9HS: "ES",
  A1VC38T7YXB528: "JP",
  A39IBJ37TRP1C6: "AU",
};
export const marketplaceLabel = (marketplaceId: string) => `Amazon ${MARKETPLACE_COUNTRY[marketplaceId] ?? marketplaceId}`;

export type AmazonStatus = "PENDING_AVAILABILITY" | "PENDING" | "UNSHIPPED" | "PARTIALLY_SHIPPED" | "SHIPPED" | "CANCELLED" | "UNFULFILLABLE" | "OTHER";
const KNOWN = new Set(["PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"]);
export const amazonStatus = (o: AmazonOrderData): AmazonStatus => {
  const s = o.fulfillment?.fulfillmentStatus ?? "OTHER";
  return (KNOWN.has(s) ? s : "OTHER") as AmazonStatus;
};

export const isPending = (s: AmazonStatus) => s === "PENDING" || s === "PENDING_AVAILABILITY";
export const isShippedOnAmazon = (s: AmazonStatus) => s === "SHIPPED" || s === "PARTIALLY_SHIPPED";
export const buyerRequestedCancel = (o: AmazonOrderData) => o.orderItems.some((i) => i.cancellation?.cancellationRequest?.requester === "BUYER");

export type CatalogueEntry = { variantId: string; title: string };

function minor(amount: string | undefined, currency: string): bigint {
  if (!amount) return 0n;
  const m = parseMoney(amount, currency);
  return m.ok ? m.value.amount : 0n;
}

function addressOf(o: AmazonOrderData): Address | null {
  const a = o.recipient?.deliveryAddress;
  if (!a) return null;
  return {
    name: a.name ?? null,
    company: a.companyName ?? null,
    address1: a.addressLine1 ?? null,
    address2: a.addressLine2 ?? null,
    city: a.city ?? null,
    provinceCode: a.stateOrRegion ?? null,
    zip: a.postalCode ?? null,
    countryCode: a.countryCode ?? null,
    phone: a.phone ?? null,
    latitude: null,
    longitude: null,
  };
}

/**
 * The snapshot of an Amazon order. Pending orders are not paid yet (the release policy holds them,
 * "awaiting payment"); every later status is paid (Amazon collected). Cancelled is a cancellation
 * at the order's last update.
 */
export function amazonSnapshot(o: AmazonOrderData, currencyFallback: string, catalogue: ReadonlyMap<string, CatalogueEntry>): OrderSnapshot {
  const status = amazonStatus(o);
  const marketplaceId = o.salesChannel.marketplaceId ?? "";
  const currency =
    o.proceeds?.grandTotal?.currencyCode ?? o.orderItems.find((i) => i.product.price?.unitPrice)?.product.price?.unitPrice?.currencyCode ?? currencyFallback;
  const lines = o.orderItems.map((i) => {
    const sku = i.product.sellerSku ?? null;
    const known = sku ? catalogue.get(sku) : undefined;
    const unit = minor(i.product.price?.unitPrice?.amount, currency);
    return {
      sourceLineId: `amazon-item:${i.orderItemId}`,
      sku,
      title: known?.title ?? i.product.title ?? sku ?? i.orderItemId,
      variantId: known?.variantId ?? null,
      quantity: i.quantityOrdered,
      currentQuantity: status === "CANCELLED" ? 0 : i.quantityOrdered,
      unitPriceMinor: unit,
    };
  });
  const total = o.proceeds?.grandTotal ? minor(o.proceeds.grandTotal.amount, currency) : lines.reduce((n, l) => n + l.unitPriceMinor * BigInt(l.quantity), 0n);
  const updatedAt = new Date(o.lastUpdatedTime);
  return {
    sourceId: amazonSourceId(o.orderId),
    name: o.orderId,
    channel: "amazon",
    placedAt: new Date(o.createdTime),
    updatedAt,
    cancelledAt: status === "CANCELLED" ? updatedAt : null,
    financialStatus: isPending(status) ? "pending" : "paid",
    fulfillmentStatus: status === "SHIPPED" ? "fulfilled" : status === "PARTIALLY_SHIPPED" ? "partial" : null,
    currency,
    totalMinor: total,
    email: o.buyer?.buyerEmail ?? null,
    customerName: o.buyer?.buyerName ?? o.recipient?.deliveryAddress?.name ?? null,
    shippingAddress: addressOf(o),
    tags: amazonTags(o, marketplaceId),
    lines,
  };
}

const ID_TAG = "AmazonOrderId:";
/** The Amazon order a Shopify order was created for (its tag), if any. */
export const amazonOrderIdFromTags = (tags: readonly string[]) => tags.find((t) => t.startsWith(ID_TAG))?.slice(ID_TAG.length) ?? null;

export function amazonTags(o: AmazonOrderData, marketplaceId: string): string[] {
  const tags = ["Amazon", marketplaceLabel(marketplaceId), o.fulfillment?.fulfilledBy === "AMAZON" ? "FBA" : "FBM", `${ID_TAG}${o.orderId}`];
  if (buyerRequestedCancel(o)) tags.push("BuyerRequestedCancel");
  return tags;
}

/** What the OMS does next with an Amazon order it has just stored (merchant-fulfilled only). */
export type AmazonNextStep =
  | { kind: "hold_stock" } // Pending: units held, nothing released to fulfilment yet
  | { kind: "create_in_shopify" } // Unshipped and not yet in Shopify
  | { kind: "cancel_in_shopify" } // Amazon cancelled it (a buyer's request accepted, or Amazon's own) before it shipped
  | { kind: "cancel_requested" } // the buyer asked; not accepted yet: a person decides before it ships
  | { kind: "cancel_after_ship" } // Amazon cancelled an order that already shipped: a person decides
  | { kind: "none" };

export function nextStep(o: {
  status: AmazonStatus;
  fulfilledBy: string;
  buyerCancel: boolean;
  inShopify: boolean;
  shippedInShopify: boolean;
  cancelApplied: boolean;
}): AmazonNextStep {
  if (o.fulfilledBy === "AMAZON") return { kind: "none" }; // Amazon's stock, not the merchant's
  if (o.status === "CANCELLED") {
    if (o.shippedInShopify) return { kind: "cancel_after_ship" };
    return o.cancelApplied ? { kind: "none" } : { kind: "cancel_in_shopify" };
  }
  if (o.buyerCancel && !o.shippedInShopify && !isShippedOnAmazon(o.status)) return { kind: "cancel_requested" };
  if (isPending(o.status)) return { kind: "hold_stock" };
  if (o.status === "UNSHIPPED" && !o.inShopify) return { kind: "create_in_shopify" };
  return { kind: "none" };
}
