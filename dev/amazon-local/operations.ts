// The SP-API operations the stand-in serves, over a request already validated against the model.
// Each returns [status, body]; business rejections use Amazon's error shape ({ errors: [...] }).
import { createHash, randomUUID } from "node:crypto";
import { iso, renderOrder, type AmazonStore, type StoredOrder } from "./store";

export type Reply = [number, unknown];
type Params = Record<string, unknown>;

export const error = (status: number, code: string, message: string, details?: string): Reply => [
  status,
  { errors: [{ code, message, ...(details !== undefined ? { details } : {}) }] },
];
const invalid = (message: string) => error(400, "InvalidInput", message);

const TWO_MINUTES = 120_000;
const TOKEN_LIFETIME = 24 * 3600_000;

/** Amazon's documented carrier codes (confirmShipment's carrierCode); "Other" needs a carrierName. */
export const CARRIER_CODES = new Set([
  "USPS",
  "UPS",
  "UPSMI",
  "FedEx",
  "FedEx SmartPost",
  "DHL",
  "DHL eCommerce",
  "OnTrac",
  "Amazon Shipping",
  "Canada Post",
  "Purolator",
  "Royal Mail",
  "Deutsche Post",
  "Japan Post",
  "Yamato Transport",
  "LaserShip",
  "Other",
]);

type Cursor = { f: string; b: number; t: number; id: string; e: number };
const fingerprint = (p: Params) =>
  createHash("sha1")
    .update(
      JSON.stringify(
        ["createdAfter", "createdBefore", "lastUpdatedAfter", "lastUpdatedBefore", "fulfillmentStatuses", "marketplaceIds", "fulfilledBy"].map(
          (k) => p[k] ?? null,
        ),
      ),
    )
    .digest("hex")
    .slice(0, 12);

export function searchOrders(store: AmazonStore, sellerId: string, p: Params): Reply {
  const now = store.now();
  const byCreated = p.createdAfter !== undefined;
  if ((p.createdAfter === undefined) === (p.lastUpdatedAfter === undefined))
    return invalid("Exactly one of createdAfter and lastUpdatedAfter must be provided.");
  if (byCreated && p.lastUpdatedBefore !== undefined) return invalid("lastUpdatedBefore cannot be combined with createdAfter.");
  if (!byCreated && p.createdBefore !== undefined) return invalid("createdBefore cannot be combined with lastUpdatedAfter.");
  const after = Date.parse(String(byCreated ? p.createdAfter : p.lastUpdatedAfter));
  const beforeParam = byCreated ? p.createdBefore : p.lastUpdatedBefore;
  if (beforeParam !== undefined) {
    const before = Date.parse(String(beforeParam));
    if (before < after)
      return invalid(`${byCreated ? "createdBefore" : "lastUpdatedBefore"} must be equal to or after ${byCreated ? "createdAfter" : "lastUpdatedAfter"}.`);
    if (before > now - TWO_MINUTES)
      return invalid(`${byCreated ? "createdBefore" : "lastUpdatedBefore"} must be at least two minutes before the time of the request.`);
  }
  if (after > now) return invalid(`${byCreated ? "createdAfter" : "lastUpdatedAfter"} must not be in the future.`);
  const max = p.maxResultsPerPage === undefined ? 100 : Number(p.maxResultsPerPage);
  if (!Number.isInteger(max) || max < 1 || max > 100) return invalid("maxResultsPerPage must be between 1 and 100.");
  const seller = store.sellers.get(sellerId)!;
  const marketplaces = (p.marketplaceIds as string[] | undefined) ?? seller.marketplaceIds;
  const unknown = marketplaces.find((m) => !seller.marketplaceIds.includes(m));
  if (unknown) return invalid(`Invalid marketplace ${unknown}: the seller does not participate in it.`);

  const f = fingerprint(p);
  let bound = beforeParam !== undefined ? Date.parse(String(beforeParam)) : now;
  let from: { t: number; id: string } | null = null;
  if (p.paginationToken !== undefined) {
    let c: Cursor;
    try {
      c = JSON.parse(Buffer.from(String(p.paginationToken), "base64").toString("utf8")) as Cursor;
    } catch {
      return invalid("Invalid paginationToken.");
    }
    if (typeof c?.f !== "string" || c.f !== f)
      return invalid("Invalid paginationToken: the other parameters must be the same as in the request that returned it.");
    if (now > c.e) return invalid("The paginationToken has expired.");
    bound = c.b;
    from = { t: c.t, id: c.id };
  }
  const key = (o: StoredOrder) => (byCreated ? o.createdTime : o.lastUpdatedTime);
  const statuses = p.fulfillmentStatuses as string[] | undefined;
  const by = p.fulfilledBy as string[] | undefined;
  // Keyset pages in (time, orderId) order: an order that changes while a search is being paged
  // leaves this window (its new time is past the bound) without shifting the others.
  const matching = [...store.orders.values()]
    .filter((o) => o.sellerId === sellerId && o.visibleAt <= now && marketplaces.includes(o.marketplaceId))
    .filter((o) => key(o) >= after && key(o) <= bound)
    .filter((o) => !statuses || statuses.includes(o.status))
    .filter((o) => !by || by.includes(o.fulfilledBy))
    .filter((o) => !from || key(o) > from.t || (key(o) === from.t && o.orderId > from.id))
    .sort((a, b) => key(a) - key(b) || (a.orderId < b.orderId ? -1 : 1));
  const page = matching.slice(0, max);
  const included = (p.includedData as string[] | undefined) ?? [];
  const roles = store.sellers.get(sellerId)?.roles ?? [];
  const body: Record<string, unknown> = { orders: page.map((o) => renderOrder(o, included, roles)) };
  if (matching.length > max) {
    const last = page[page.length - 1]!;
    const c: Cursor = {
      f,
      b: bound,
      t: key(last),
      id: last.orderId,
      e: p.paginationToken !== undefined ? JSON.parse(Buffer.from(String(p.paginationToken), "base64").toString("utf8")).e : now + TOKEN_LIFETIME,
    };
    body.pagination = { nextToken: Buffer.from(JSON.stringify(c)).toString("base64") };
  }
  body[byCreated ? "createdBefore" : "lastUpdatedBefore"] = iso(bound);
  return [200, body];
}

export function getOrder(store: AmazonStore, sellerId: string, p: Params): Reply {
  const o = store.orders.get(String(p.orderId));
  if (!o || o.sellerId !== sellerId) return error(404, "NotFound", `Order ${String(p.orderId)} not found.`);
  return [200, { order: renderOrder(o, (p.includedData as string[] | undefined) ?? [], store.sellers.get(sellerId)?.roles ?? []) }];
}

type ConfirmBody = {
  marketplaceId: string;
  packageDetail: {
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    shippingMethod?: string;
    trackingNumber: string;
    shipDate: string;
    orderItems: { orderItemId: string; quantity: number }[];
  };
};

/** confirmShipment (v0): one call per package; the same packageReferenceId again edits that package. */
export function confirmShipment(store: AmazonStore, sellerId: string, p: Params): Reply {
  const o = store.orders.get(String(p.orderId));
  if (!o || o.sellerId !== sellerId) return error(404, "NotFound", `Order ${String(p.orderId)} not found.`);
  const body = p.body as ConfirmBody;
  const pkg = body.packageDetail;
  if (body.marketplaceId !== o.marketplaceId) return invalid(`Marketplace ID ${body.marketplaceId} does not match the order's marketplace.`);
  if (!/^[1-9]\d*$/.test(pkg.packageReferenceId)) return invalid("PackageReferenceId: is invalid, must be a positive numeric value.");
  if (!CARRIER_CODES.has(pkg.carrierCode)) return invalid(`CarrierCode ${pkg.carrierCode} is invalid.`);
  if (pkg.carrierCode === "Other" && !pkg.carrierName) return invalid("CarrierName is required when CarrierCode is Other.");
  if (Number.isNaN(Date.parse(pkg.shipDate)) || !/^\d{4}-\d{2}-\d{2}T/.test(pkg.shipDate)) return invalid("Invalid Input");
  if (o.fulfilledBy !== "MERCHANT") return invalid("Shipments of orders fulfilled by Amazon cannot be confirmed.");
  if (o.status === "CANCELLED") return invalid("The order is cancelled.");
  if (o.status === "PENDING" || o.status === "PENDING_AVAILABILITY") return invalid("The order is pending and cannot be shipped yet.");
  const existing = o.packages.find((x) => x.packageReferenceId === pkg.packageReferenceId);
  // An edit gives back the units that package held before counting the new ones.
  const shippedBefore = new Map(o.items.map((i) => [i.orderItemId, i.shipped - (existing?.items.find((x) => x.orderItemId === i.orderItemId)?.quantity ?? 0)]));
  if (!existing && o.status === "SHIPPED") return error(400, "InvalidInput", "Failed to create package: order already fulfilled.", "PackageToUpdateNotFound");
  for (const li of pkg.orderItems) {
    const item = o.items.find((i) => i.orderItemId === li.orderItemId);
    if (!item) return invalid(`OrderItemId ${li.orderItemId} is invalid, please obtain the value through the getOrder API.`);
    if (li.quantity < 1 || shippedBefore.get(item.orderItemId)! + li.quantity > item.quantity)
      return invalid(`Quantity for OrderItemId ${li.orderItemId} exceeds the unshipped quantity.`);
  }
  for (const i of o.items)
    i.shipped = shippedBefore.get(i.orderItemId)! + pkg.orderItems.filter((x) => x.orderItemId === i.orderItemId).reduce((n, x) => n + x.quantity, 0);
  const record = {
    packageReferenceId: pkg.packageReferenceId,
    carrierCode: pkg.carrierCode,
    carrierName: pkg.carrierName ?? null,
    trackingNumber: pkg.trackingNumber,
    shipDate: pkg.shipDate,
    shippingMethod: pkg.shippingMethod ?? null,
    items: pkg.orderItems.map((x) => ({ orderItemId: x.orderItemId, quantity: x.quantity })),
    createdTime: existing?.createdTime ?? store.now(),
  };
  o.packages = [...o.packages.filter((x) => x !== existing), record];
  store.refreshShipStatus(o);
  store.touch(o);
  return [204, undefined];
}

type PatchBody = { productType: string; patches: { op: string; path: string; value?: Record<string, unknown>[] }[] };

export function patchListingsItem(store: AmazonStore, sellerId: string, p: Params): Reply {
  if (p.sellerId !== sellerId) return error(403, "Unauthorized", "Access to requested resource is denied.", "The seller id does not match the access token.");
  const listing = store.listings.get(`${sellerId}|${String(p.sku)}`);
  const submissionId = randomUUID();
  const issue = (code: string, message: string) => ({ code, message, severity: "ERROR", categories: ["INVALID_ATTRIBUTE"] });
  if (!listing)
    return [200, { sku: p.sku, status: "INVALID", submissionId, issues: [issue("4000004", `SKU ${String(p.sku)} does not exist for this seller.`)] }];
  const body = p.body as PatchBody;
  let quantity: number | undefined;
  for (const patch of body.patches) {
    if (patch.path !== "/attributes/fulfillment_availability") continue; // other attributes are not modelled
    if (patch.op === "delete") continue;
    const entry = patch.value?.[0];
    const q = entry?.quantity;
    if (!entry || entry.fulfillment_channel_code !== "DEFAULT" || typeof q !== "number" || !Number.isInteger(q) || q < 0) {
      return [
        200,
        {
          sku: p.sku,
          status: "INVALID",
          submissionId,
          issues: [issue("90220", "fulfillment_availability needs fulfillment_channel_code DEFAULT and a whole quantity of 0 or more.")],
        },
      ];
    }
    quantity = q;
  }
  if (p.mode === "VALIDATION_PREVIEW") return [200, { sku: p.sku, status: "VALID", submissionId, issues: [] }];
  if (quantity !== undefined) {
    listing.quantity = quantity;
    listing.patches++;
    listing.lastUpdatedTime = store.now();
  }
  return [200, { sku: p.sku, status: "ACCEPTED", submissionId, issues: [] }];
}

export function getListingsItem(store: AmazonStore, sellerId: string, p: Params): Reply {
  if (p.sellerId !== sellerId) return error(403, "Unauthorized", "Access to requested resource is denied.", "The seller id does not match the access token.");
  const l = store.listings.get(`${sellerId}|${String(p.sku)}`);
  if (!l) return error(404, "NOT_FOUND", `SKU '${String(p.sku)}' not found in marketplace ${String((p.marketplaceIds as string[])[0])}`);
  const included = (p.includedData as string[] | undefined) ?? ["summaries"];
  const body: Record<string, unknown> = { sku: l.sku };
  if (included.includes("summaries")) {
    body.summaries = (p.marketplaceIds as string[])
      .filter((m) => l.marketplaceIds.includes(m))
      .map((m) => ({
        marketplaceId: m,
        asin: l.asin,
        productType: "PRODUCT",
        conditionType: "new_new",
        status: l.quantity > 0 ? ["BUYABLE", "DISCOVERABLE"] : ["DISCOVERABLE"],
        itemName: l.title,
        createdDate: iso(l.createdTime),
        lastUpdatedDate: iso(l.lastUpdatedTime),
      }));
  }
  if (included.includes("fulfillmentAvailability")) body.fulfillmentAvailability = [{ fulfillmentChannelCode: "DEFAULT", quantity: l.quantity }];
  if (included.includes("issues")) body.issues = [];
  return [200, body];
}

/** Keyed by model and operationId (v0 and v2026-01-01 both have a getOrder). */
export const HANDLERS: Record<string, (store: AmazonStore, sellerId: string, p: Params) => Reply> = {
  "orders.searchOrders": searchOrders,
  "orders.getOrder": getOrder,
  "ordersV0.confirmShipment": confirmShipment,
  "listings.patchListingsItem": patchListingsItem,
  "listings.getListingsItem": getListingsItem,
};
