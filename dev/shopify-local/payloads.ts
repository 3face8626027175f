// REST-shaped webhook payloads, as Shopify serialises them for API 2026-04. Each starts from
// Shopify's own example payload for the topic (dev/contracts/shopify/webhooks), so every field Shopify
// sends is present with its type, and every field the stand-in models is overwritten with the
// shop's real values; sample-only content (discounts, tax lines, client details) is emptied.
import { readFileSync } from "node:fs";
import path from "node:path";
import { gid, orderSet, type Presentment } from "./gid";
import { currentTotalMinor, financialStatusOf, fulfilledQuantity, fulfillmentStatusOf, orderTotalMinor } from "./presenters";
import type { Address, Fulfillment, FulfillmentOrder, Level, Order, ShopState } from "./store";

const samples = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../contracts/shopify/webhooks");
const cache = new Map<string, Record<string, unknown>>();
function sample(topic: string): Record<string, unknown> {
  let s = cache.get(topic);
  if (!s) {
    s = JSON.parse(readFileSync(path.join(samples, `${topic}.json`), "utf8")) as Record<string, unknown>;
    cache.set(topic, s);
  }
  return structuredClone(s);
}

const amount = (minor: number) => (minor / 100).toFixed(2);
const set = (minor: number, currency: string, presentment?: Presentment) => orderSet({ currency, presentment }, minor);
const restAddress = (a: Address | null) =>
  a && {
    first_name: a.firstName ?? "",
    last_name: a.lastName ?? "",
    name: [a.firstName, a.lastName].filter(Boolean).join(" "),
    company: a.company,
    address1: a.address1 ?? "",
    address2: a.address2,
    city: a.city ?? "",
    province: a.provinceCode ?? "",
    province_code: a.provinceCode ?? "",
    zip: a.zip ?? "",
    country: a.countryCode ?? "",
    country_code: a.countryCode ?? "",
    phone: a.phone ?? "",
    latitude: a.latitude,
    longitude: a.longitude,
  };

/** orders/create, orders/updated, orders/cancelled (and orders/fulfilled, …): the whole order. */
export function orderPayload(shop: ShopState, o: Order, topic: string) {
  const p = sample(topic);
  const c = o.currency;
  const subtotal = o.lines.reduce((n, l) => n + l.priceMinor * l.quantity, 0);
  const currentSubtotal = o.lines.reduce((n, l) => n + l.priceMinor * l.currentQuantity, 0);
  const lineTemplate = (p.line_items as Record<string, unknown>[])[0] ?? {};
  const status = fulfillmentStatusOf(shop, o);
  Object.assign(p, {
    id: o.id,
    admin_graphql_api_id: gid("Order", o.id),
    name: o.name,
    number: o.number - 1000,
    order_number: o.number,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    processed_at: o.createdAt,
    cancelled_at: o.cancelledAt,
    cancel_reason: o.cancelReason,
    closed_at: o.closedAt,
    confirmed: true,
    email: o.email ?? "",
    contact_email: o.email ?? "",
    phone: null,
    currency: c,
    presentment_currency: o.presentment?.currency ?? c,
    financial_status: financialStatusOf(o).toLowerCase(),
    fulfillment_status: status === "FULFILLED" ? "fulfilled" : status === "PARTIALLY_FULFILLED" ? "partial" : null,
    source_name: o.sourceName,
    source_identifier: o.sourceIdentifier,
    tags: o.tags.join(", "),
    note: o.note,
    test: false,
    subtotal_price: amount(subtotal),
    subtotal_price_set: set(subtotal, c, o.presentment),
    current_subtotal_price: amount(currentSubtotal),
    current_subtotal_price_set: set(currentSubtotal, c, o.presentment),
    total_line_items_price: amount(subtotal),
    total_line_items_price_set: set(subtotal, c, o.presentment),
    total_price: amount(orderTotalMinor(o)),
    total_price_set: set(orderTotalMinor(o), c, o.presentment),
    current_total_price: amount(currentTotalMinor(o)),
    current_total_price_set: set(currentTotalMinor(o), c, o.presentment),
    total_shipping_price_set: set(o.shippingMinor, c, o.presentment),
    current_shipping_price_set: set(o.shippingMinor, c, o.presentment),
    total_discounts: "0.00",
    total_discounts_set: set(0, c, o.presentment),
    current_total_discounts: "0.00",
    current_total_discounts_set: set(0, c, o.presentment),
    total_tax: "0.00",
    total_tax_set: set(0, c, o.presentment),
    current_total_tax: "0.00",
    current_total_tax_set: set(0, c, o.presentment),
    total_outstanding: financialStatusOf(o) === "PENDING" ? amount(currentTotalMinor(o)) : "0.00",
    discount_codes: [],
    discount_applications: [],
    note_attributes: (o.customAttributes ?? []).map((a) => ({ name: a.key, value: a.value })),
    tax_lines: [],
    shipping_address: restAddress(o.shippingAddress),
    billing_address: restAddress(o.shippingAddress),
    customer: o.customer
      ? {
          ...(p.customer as Record<string, unknown>),
          id: o.customer.id,
          admin_graphql_api_id: gid("Customer", o.customer.id),
          email: o.customer.email ?? "",
          first_name: o.customer.firstName ?? "",
          last_name: o.customer.lastName ?? "",
          created_at: o.createdAt,
          updated_at: o.updatedAt,
          default_address: {
            ...((p.customer as { default_address?: Record<string, unknown> } | null)?.default_address ?? {}),
            ...restAddress(o.shippingAddress),
            id: o.customer.id + 1,
            customer_id: o.customer.id,
            default: true,
          },
        }
      : null,
    line_items: o.lines.map((l) => {
      const variant = l.variantId ? shop.variants.get(l.variantId) : undefined;
      const fulfilled = fulfilledQuantity(shop, o.id, l.id);
      return {
        ...lineTemplate,
        id: l.id,
        admin_graphql_api_id: gid("LineItem", l.id),
        attributed_staffs: [],
        current_quantity: l.currentQuantity,
        fulfillable_quantity: Math.max(0, l.currentQuantity - fulfilled),
        fulfillment_service: "manual",
        fulfillment_status: fulfilled >= l.currentQuantity && l.currentQuantity > 0 ? "fulfilled" : fulfilled > 0 ? "partial" : null,
        gift_card: false,
        grams: 500,
        name: l.title,
        title: l.title,
        price: amount(l.priceMinor),
        price_set: set(l.priceMinor, c, o.presentment),
        product_exists: Boolean(variant),
        product_id: variant?.productId ?? null,
        properties: [],
        quantity: l.quantity,
        requires_shipping: l.requiresShipping,
        sku: l.sku ?? "",
        taxable: true,
        total_discount: "0.00",
        total_discount_set: set(0, c, o.presentment),
        variant_id: l.variantId,
        variant_inventory_management: "shopify",
        variant_title: variant?.title ?? null,
        vendor: variant ? (shop.products.get(variant.productId)?.vendor ?? null) : null,
        tax_lines: [],
        duties: [],
        discount_allocations: [],
      };
    }),
    fulfillments: [...shop.fulfillments.values()]
      .filter((f) => f.orderId === o.id)
      .map((f) => {
        const location = shop.locations.get(f.locationId);
        const embedded = fulfillmentPayload(shop, f);
        // Inside an order, Shopify serialises the origin as an object (the fulfilling location's address).
        return {
          ...embedded,
          origin_address: {
            address1: location?.address.address1 ?? "",
            city: location?.address.city ?? "",
            zip: location?.address.zip ?? "",
            province_code: location?.address.provinceCode ?? "",
            country_code: location?.address.countryCode ?? "",
          },
        };
      }),
    refunds: [],
    returns: [],
    line_item_groups: [],
    shipping_lines: (p.shipping_lines as Record<string, unknown>[]).slice(0, 1).map((s) => ({
      ...s,
      title: o.shippingMethod ?? "Standard",
      code: o.shippingCode ?? o.shippingMethod ?? "Standard",
      price: amount(o.shippingMinor),
      price_set: set(o.shippingMinor, c, o.presentment),
      discounted_price: amount(o.shippingMinor),
      discounted_price_set: set(o.shippingMinor, c, o.presentment),
      current_discounted_price_set: set(o.shippingMinor, c, o.presentment),
      tax_lines: [],
      discount_allocations: [],
    })),
  });
  return p;
}

/** fulfillments/create and fulfillments/update. */
export function fulfillmentPayload(shop: ShopState, f: Fulfillment, topic = "fulfillments/create") {
  const p = sample(topic);
  const order = shop.orders.get(f.orderId)!;
  const lineTemplate = ((p.line_items as Record<string, unknown>[]) ?? [])[0] ?? {};
  const t = f.tracking[0];
  Object.assign(p, {
    id: f.id,
    admin_graphql_api_id: gid("Fulfillment", f.id),
    order_id: f.orderId,
    status: f.status === "SUCCESS" ? "success" : "cancelled",
    created_at: f.createdAt,
    updated_at: f.updatedAt,
    service: "manual",
    tracking_company: t?.company ?? null,
    tracking_number: t?.number ?? null,
    tracking_numbers: f.tracking.map((x) => x.number).filter(Boolean),
    tracking_url: trackingUrl(t),
    tracking_urls: f.tracking.map(trackingUrl).filter(Boolean),
    shipment_status: f.shipmentStatus,
    location_id: f.locationId,
    email: order.email ?? "",
    destination: restAddress(order.shippingAddress),
    name: `${order.name}.${[...shop.fulfillments.values()].filter((x) => x.orderId === f.orderId).findIndex((x) => x.id === f.id) + 1}`,
    receipt: {},
    line_items: f.lines.map((fl) => {
      const li = order.lines.find((l) => l.id === fl.lineItemId)!;
      const variant = li.variantId ? shop.variants.get(li.variantId) : undefined;
      return {
        ...lineTemplate,
        id: li.id,
        admin_graphql_api_id: gid("LineItem", li.id),
        title: li.title,
        name: li.title,
        sku: li.sku ?? "",
        quantity: fl.quantity,
        variant_id: li.variantId,
        vendor: (variant && shop.products.get(variant.productId)?.vendor) || "",
        price: amount(li.priceMinor),
        price_set: set(li.priceMinor, order.currency, order.presentment),
        fulfillment_status: "fulfilled",
        tax_lines: [],
        duties: [],
        discount_allocations: [],
      };
    }),
  });
  return p;
}

/** Shopify derives a carrier's tracking page from the company and number when none is given. */
function trackingUrl(t: { company: string | null; number: string | null; url: string | null } | undefined): string {
  if (!t) return "";
  if (t.url) return t.url;
  if (!t.number) return "";
  if (t.company?.toUpperCase() === "UPS") return `https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=${t.number}`;
  if (t.company?.toUpperCase() === "FEDEX") return `https://www.fedex.com/fedextrack/?tracknumbers=${t.number}`;
  return `https://www.google.com/search?q=${encodeURIComponent(t.number)}`;
}

// The app ids the stand-in attributes actions to: the OMS itself, and the warehouse's WMS app.
export const OMS_APP_ID = "gid://shopify/App/3100001";
export const WMS_APP_ID = "gid://shopify/App/3100002";

/** fulfillment_orders/progress_reported: a location reported work on a fulfillment order. */
export function progressReportedPayload(fo: FulfillmentOrder, at: string) {
  const p = sample("fulfillment_orders/progress_reported");
  return {
    ...p,
    fulfillment_order: { ...(p.fulfillment_order as object), ...foRef(fo) },
    initial_status: "open",
    progress_report: {
      ...(p.progress_report as object),
      reason_notes: "Picking started",
      progress_reported_by_app: { id: WMS_APP_ID },
      progress_reported_by_user: { id: "gid://shopify/StaffMember/1" },
      reported_at: at,
    },
  };
}

/** fulfillment_orders/placed_on_hold */
export function placedOnHoldPayload(fo: FulfillmentOrder, hold: { id: number; reason: string; reasonNotes: string | null; handle: string | null }) {
  const p = sample("fulfillment_orders/placed_on_hold");
  const holdJson = (h: typeof hold) => ({
    id: gid("FulfillmentHold", h.id),
    reason: h.reason.toLowerCase(),
    reason_notes: h.reasonNotes ?? "",
    handle: h.handle ?? "",
    held_by_app: { id: OMS_APP_ID },
    held_by_requesting_app: true,
  });
  return {
    ...p,
    fulfillment_order: { ...foRef(fo), fulfillment_holds: fo.holds.map(holdJson) },
    remaining_fulfillment_order: null,
    held_fulfillment_order_line_items: fo.lines.map((l) => ({ id: gid("FulfillmentOrderLineItem", l.id), quantity: l.remainingQuantity })),
    created_fulfillment_hold: holdJson(hold),
  };
}

/** Shopify's refunds/create example, for dev/shopify-local/refunds.ts. */
export const refundSample = () => sample("refunds/create");

export const foRef = (fo: FulfillmentOrder) => ({ id: gid("FulfillmentOrder", fo.id), status: fo.status.toLowerCase() });

/** inventory_levels/update: only `available` travels; the other states must be read over GraphQL. */
export function inventoryLevelPayload(lv: Level) {
  return {
    inventory_item_id: lv.inventoryItemId,
    location_id: lv.locationId,
    available: lv.q.available,
    updated_at: lv.updatedAt,
    // Shopify's form (see dev/contracts/shopify/webhooks/inventory_levels/update.json): the level's id, which is
    // the location's, with the exact item id as a parameter.
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${lv.locationId}?inventory_item_id=${lv.inventoryItemId}`,
  };
}

export function appUninstalledPayload(shop: ShopState) {
  const p = sample("app/uninstalled");
  return { ...p, id: shop.id, name: shop.name, myshopify_domain: shop.domain, domain: shop.domain, currency: shop.currencyCode, plan_name: shop.plan };
}
