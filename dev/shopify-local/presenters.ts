// State → objects shaped like the Admin API's types. Fields that take arguments are functions,
// which graphql-js's default resolver calls with the field's arguments.
import { connection, gid, orderBag, toPresentment as toPresentmentOf } from "./gid";
import { paymentFields } from "./payments";
import { presentReturn } from "./returns";
import { capturedOf, presentRefund, refundedOf } from "./refunds";
import {
  levelKey,
  onHandOf,
  supportedActions,
  type Address,
  type Fulfillment,
  type FulfillmentOrder,
  type Level,
  type Location,
  type Order,
  type ShopState,
  type Variant,
} from "./store";

type ConnArgs = { first?: number; last?: number; after?: string; before?: string; reverse?: boolean };

export function presentMailingAddress(a: Address | null) {
  if (!a) return null;
  return {
    __typename: "MailingAddress",
    id: gid("MailingAddress", 1),
    firstName: a.firstName,
    lastName: a.lastName,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.provinceCode,
    provinceCode: a.provinceCode,
    zip: a.zip,
    country: a.countryCode,
    countryCodeV2: a.countryCode,
    phone: a.phone,
    latitude: a.latitude,
    longitude: a.longitude,
    formatted: () => [a.address1, a.city, a.provinceCode, a.zip, a.countryCode].filter(Boolean),
  };
}

export function presentLocation(shop: ShopState, l: Location) {
  const a = l.address;
  return {
    __typename: "Location",
    id: gid("Location", l.id),
    name: l.name,
    isActive: l.isActive,
    fulfillsOnlineOrders: l.fulfillsOnlineOrders,
    shipsInventory: l.fulfillsOnlineOrders,
    isFulfillmentService: l.fulfillmentService ?? false,
    isPrimary: [...shop.locations.keys()][0] === l.id,
    hasActiveInventory: true,
    createdAt: l.createdAt,
    updatedAt: l.createdAt,
    address: {
      address1: a.address1,
      address2: a.address2,
      city: a.city,
      province: a.provinceCode,
      provinceCode: a.provinceCode,
      zip: a.zip,
      country: a.countryCode,
      countryCode: a.countryCode,
      phone: a.phone,
      latitude: a.latitude,
      longitude: a.longitude,
      formatted: [a.address1, a.city, a.provinceCode, a.zip, a.countryCode].filter(Boolean),
    },
    inventoryLevels: (args: ConnArgs) => levelsConnection(shop, (lv) => lv.locationId === l.id, args),
    inventoryLevel: ({ inventoryItemId }: { inventoryItemId: string }) =>
      oneLevel(shop, (lv) => lv.locationId === l.id && gid("InventoryItem", lv.inventoryItemId) === inventoryItemId),
  };
}

const levelsConnection = (shop: ShopState, keep: (lv: Level) => boolean, args: ConnArgs) =>
  connection(
    [...shop.levels.values()].filter(keep).map((lv) => presentLevel(shop, lv)),
    args,
  );

function oneLevel(shop: ShopState, match: (lv: Level) => boolean) {
  const lv = [...shop.levels.values()].find(match);
  return lv ? presentLevel(shop, lv) : null;
}

export function presentLevel(shop: ShopState, lv: Level) {
  const item = [...shop.variants.values()].find((v) => v.inventoryItemId === lv.inventoryItemId);
  const location = shop.locations.get(lv.locationId);
  return {
    __typename: "InventoryLevel",
    id: `gid://shopify/InventoryLevel/${lv.locationId}?inventory_item_id=${lv.inventoryItemId}`,
    isActive: true,
    canDeactivate: true,
    createdAt: lv.updatedAt,
    updatedAt: lv.updatedAt,
    location: location ? presentLocation(shop, location) : null,
    item: item ? presentInventoryItem(shop, item) : null,
    quantities: ({ names }: { names: string[] }) =>
      names.map((name) => ({
        __typename: "InventoryQuantity",
        id: `gid://shopify/InventoryQuantity/${lv.inventoryItemId}-${lv.locationId}-${name}`,
        name,
        quantity: name === "on_hand" ? onHandOf(lv.q) : (lv.q[name as keyof typeof lv.q] ?? 0),
        updatedAt: lv.updatedAt,
      })),
  };
}

export function presentInventoryItem(shop: ShopState, v: Variant) {
  return {
    __typename: "InventoryItem",
    id: gid("InventoryItem", v.inventoryItemId),
    sku: v.sku,
    tracked: true,
    requiresShipping: true,
    createdAt: shop.products.get(v.productId)?.createdAt,
    updatedAt: shop.products.get(v.productId)?.createdAt,
    variant: () => presentVariant(shop, v),
    inventoryLevels: (args: ConnArgs) => levelsConnection(shop, (lv) => lv.inventoryItemId === v.inventoryItemId, args),
    inventoryLevel: ({ locationId }: { locationId: string }) =>
      oneLevel(shop, (lv) => lv.inventoryItemId === v.inventoryItemId && gid("Location", lv.locationId) === locationId),
  };
}

export function presentVariant(shop: ShopState, v: Variant) {
  const product = shop.products.get(v.productId);
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", v.id),
    sku: v.sku,
    title: v.title,
    displayName: `${product?.title ?? ""} - ${v.title}`,
    price: (v.priceMinor / 100).toFixed(2),
    inventoryPolicy: v.inventoryPolicy ?? "DENY",
    inventoryItem: () => presentInventoryItem(shop, v),
    product: () => (product ? presentProduct(shop, product.id) : null),
    createdAt: product?.createdAt,
    updatedAt: product?.createdAt,
  };
}

export function presentProduct(shop: ShopState, id: number) {
  const p = shop.products.get(id);
  if (!p) return null;
  return {
    __typename: "Product",
    id: gid("Product", p.id),
    title: p.title,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags,
    createdAt: p.createdAt,
    updatedAt: p.createdAt,
    variants: (args: ConnArgs) =>
      connection(
        p.variantIds.map((vid) => presentVariant(shop, shop.variants.get(vid)!)),
        args,
      ),
  };
}

export function financialStatusOf(o: Order): string {
  const paid = capturedOf(o);
  const refunded = refundedOf(o);
  const authorized = o.transactions.some((t) => t.kind === "authorization");
  if (paid === 0) return authorized ? (o.transactions.some((t) => t.kind === "void") ? "VOIDED" : "AUTHORIZED") : "PENDING";
  if (refunded >= paid) return "REFUNDED";
  if (refunded > 0) return "PARTIALLY_REFUNDED";
  // Captured per shipment: part of the authorisation is still to come.
  if (authorized && paid < currentTotalMinor(o)) return "PARTIALLY_PAID";
  return "PAID";
}

export function orderTotalMinor(o: Order): number {
  return o.lines.reduce((n, l) => n + l.priceMinor * l.quantity, 0) + o.shippingMinor;
}

export function currentTotalMinor(o: Order): number {
  return o.lines.reduce((n, l) => n + l.priceMinor * l.currentQuantity, 0) + o.shippingMinor;
}

export function fulfilledQuantity(shop: ShopState, orderId: number, lineItemId: number): number {
  return [...shop.fulfillments.values()]
    .filter((f) => f.orderId === orderId && f.status === "SUCCESS")
    .flatMap((f) => f.lines)
    .filter((l) => l.lineItemId === lineItemId)
    .reduce((n, l) => n + l.quantity, 0);
}

export function fulfillmentStatusOf(shop: ShopState, o: Order): "FULFILLED" | "PARTIALLY_FULFILLED" | "UNFULFILLED" | "IN_PROGRESS" | "ON_HOLD" {
  const wanted = o.lines.reduce((n, l) => n + l.currentQuantity, 0);
  const done = o.lines.reduce((n, l) => n + Math.min(l.currentQuantity, fulfilledQuantity(shop, o.id, l.id)), 0);
  if (wanted > 0 && done >= wanted) return "FULFILLED";
  if (done > 0) return "PARTIALLY_FULFILLED";
  const fos = [...shop.fulfillmentOrders.values()].filter((f) => f.orderId === o.id && f.status !== "CANCELLED" && f.status !== "CLOSED");
  if (fos.some((f) => f.status === "IN_PROGRESS")) return "IN_PROGRESS";
  if (fos.length > 0 && fos.every((f) => f.status === "ON_HOLD")) return "ON_HOLD";
  return "UNFULFILLED";
}

export function presentOrder(shop: ShopState, o: Order) {
  const c = o.currency;
  return {
    __typename: "Order",
    id: gid("Order", o.id),
    name: o.name,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    processedAt: o.createdAt,
    cancelledAt: o.cancelledAt,
    cancelReason: o.cancelReason?.toUpperCase() ?? null,
    closedAt: o.closedAt,
    closed: o.closedAt !== null,
    displayFinancialStatus: financialStatusOf(o),
    displayFulfillmentStatus: fulfillmentStatusOf(shop, o),
    currencyCode: c,
    presentmentCurrencyCode: o.presentment?.currency ?? c,
    currentTotalPriceSet: orderBag(o, currentTotalMinor(o)),
    totalPriceSet: orderBag(o, orderTotalMinor(o)),
    // What the customer owes (negative: what is owed back), e.g. after an order edit.
    totalOutstandingSet: orderBag(
      o,
      currentTotalMinor(o) -
        o.transactions.filter((t) => t.kind === "sale").reduce((n, t) => n + t.amountMinor, 0) +
        o.refunds.reduce((n, r) => n + r.amountMinor, 0),
    ),
    totalRefundedSet: orderBag(
      o,
      o.refunds.reduce((n, r) => n + r.amountMinor, 0),
      o.refunds.reduce((n, r) => n + (r.presentmentMinor ?? toPresentmentOf(o, r.amountMinor)), 0),
    ),
    email: o.email,
    sourceName: o.sourceName,
    sourceIdentifier: o.sourceIdentifier,
    tags: o.tags,
    note: o.note,
    customAttributes: (o.customAttributes ?? []).map((a) => ({ __typename: "Attribute", key: a.key, value: a.value })),
    test: false,
    customer: o.customer
      ? {
          __typename: "Customer",
          id: gid("Customer", o.customer.id),
          firstName: o.customer.firstName,
          lastName: o.customer.lastName,
          displayName: [o.customer.firstName, o.customer.lastName].filter(Boolean).join(" "),
        }
      : null,
    shippingAddress: presentMailingAddress(o.shippingAddress),
    lineItems: (args: ConnArgs) =>
      connection(
        o.lines.map((l) => presentLineItem(shop, o, l.id)),
        args,
      ),
    fulfillmentOrders: (args: ConnArgs) =>
      connection(
        [...shop.fulfillmentOrders.values()].filter((f) => f.orderId === o.id).map((f) => presentFulfillmentOrder(shop, f)),
        args,
      ),
    fulfillments: ({ first }: { first?: number }) =>
      [...shop.fulfillments.values()]
        .filter((f) => f.orderId === o.id)
        .slice(0, first ?? 250)
        .map((f) => presentFulfillment(shop, f)),
    // transactions: paymentFields below (kinds, parents, authorisation expiry).
    returns: (args: ConnArgs) =>
      connection(
        [...shop.returns.values()].filter((r) => r.orderId === o.id).map((r) => presentReturn(shop, r)),
        args,
      ),
    refunds: ({ first }: { first?: number }) => o.refunds.slice(0, first ?? 250).map((r) => presentRefund(o, r)),
    // Authorisations, captures, risk, payment terms, POS (payments.ts).
    ...paymentFields(shop, o, new Date()),
  };
}

export function presentLineItem(shop: ShopState, o: Order, lineId: number) {
  const l = o.lines.find((x) => x.id === lineId)!;
  const variant = l.variantId ? shop.variants.get(l.variantId) : undefined;
  const fulfilled = fulfilledQuantity(shop, o.id, l.id);
  return {
    sellingPlan: l.sellingPlan ? { __typename: "LineItemSellingPlan", name: l.sellingPlan.name, sellingPlanId: gid("SellingPlan", l.sellingPlan.id) } : null,
    __typename: "LineItem",
    id: gid("LineItem", l.id),
    sku: l.sku,
    title: l.title,
    name: l.title,
    quantity: l.quantity,
    currentQuantity: l.currentQuantity,
    unfulfilledQuantity: Math.max(0, l.currentQuantity - fulfilled),
    requiresShipping: l.requiresShipping,
    originalUnitPriceSet: orderBag(o, l.priceMinor),
    variant: variant ? presentVariant(shop, variant) : null,
    product: variant ? presentProduct(shop, variant.productId) : null,
  };
}

export function presentFulfillmentOrder(shop: ShopState, fo: FulfillmentOrder) {
  const order = shop.orders.get(fo.orderId)!;
  const location = shop.locations.get(fo.locationId);
  return {
    __typename: "FulfillmentOrder",
    id: gid("FulfillmentOrder", fo.id),
    orderId: gid("Order", fo.orderId),
    orderName: order.name,
    orderProcessedAt: order.createdAt,
    order: () => presentOrder(shop, order),
    status: fo.status,
    requestStatus: fo.requestStatus,
    createdAt: fo.createdAt,
    updatedAt: fo.updatedAt,
    fulfillAt: fo.fulfillAt ?? fo.createdAt,
    fulfillBy: null,
    channelId: null,
    assignedLocation: {
      name: location?.name ?? "Unknown",
      address1: location?.address.address1 ?? null,
      address2: location?.address.address2 ?? null,
      city: location?.address.city ?? null,
      province: location?.address.provinceCode ?? null,
      zip: location?.address.zip ?? null,
      countryCode: location?.address.countryCode ?? "US",
      phone: location?.address.phone ?? null,
      location: location ? presentLocation(shop, location) : null,
    },
    destination: order.shippingAddress
      ? {
          __typename: "FulfillmentOrderDestination",
          id: gid("FulfillmentOrderDestination", fo.id),
          firstName: order.shippingAddress.firstName,
          lastName: order.shippingAddress.lastName,
          address1: order.shippingAddress.address1,
          city: order.shippingAddress.city,
          province: order.shippingAddress.provinceCode,
          zip: order.shippingAddress.zip,
          countryCode: order.shippingAddress.countryCode,
          email: order.email,
        }
      : null,
    supportedActions: supportedActions(fo, order.cancelledAt !== null).map((action) => ({ action, externalUrl: null })),
    deliveryMethod: {
      __typename: "DeliveryMethod",
      id: gid("DeliveryMethod", fo.id),
      methodType: fo.deliveryMethod ?? "SHIPPING",
      presentedName: fo.deliveryMethod === "PICK_UP" ? "Pickup in store" : fo.deliveryMethod === "RETAIL" ? "Point of sale" : "Standard",
    },
    fulfillmentHolds: fo.holds.map((h) => ({
      __typename: "FulfillmentHold",
      id: gid("FulfillmentHold", h.id),
      reason: h.reason,
      reasonNotes: h.reasonNotes,
      handle: h.handle,
      heldByRequestingApp: true,
      displayReason: h.reason.replace(/_/g, " ").toLowerCase(),
    })),
    lineItems: (args: ConnArgs) =>
      connection(
        fo.lines.map((fl) => {
          const li = order.lines.find((l) => l.id === fl.lineItemId)!;
          const variant = li.variantId ? shop.variants.get(li.variantId) : undefined;
          return {
            __typename: "FulfillmentOrderLineItem",
            id: gid("FulfillmentOrderLineItem", fl.id),
            sku: li.sku,
            totalQuantity: fl.totalQuantity,
            remainingQuantity: fl.remainingQuantity,
            requiresShipping: li.requiresShipping,
            productTitle: li.title,
            variantTitle: variant?.title ?? null,
            inventoryItemId: variant ? gid("InventoryItem", variant.inventoryItemId) : null,
            lineItem: presentLineItem(shop, order, li.id),
            variant: variant ? presentVariant(shop, variant) : null,
            originalUnitPriceSet: orderBag(order, li.priceMinor),
            warnings: [],
          };
        }),
        args,
      ),
  };
}

export function presentFulfillment(shop: ShopState, f: Fulfillment) {
  const location = shop.locations.get(f.locationId);
  const order = shop.orders.get(f.orderId)!;
  return {
    __typename: "Fulfillment",
    id: gid("Fulfillment", f.id),
    name: `${order.name}-F${f.id % 100}`,
    status: f.status,
    displayStatus:
      f.status === "CANCELLED" ? "CANCELED" : f.shipmentStatus === "delivered" ? "DELIVERED" : f.shipmentStatus === "in_transit" ? "IN_TRANSIT" : "FULFILLED",
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    deliveredAt: f.shipmentStatus === "delivered" ? f.updatedAt : null,
    requiresShipping: true,
    totalQuantity: f.lines.reduce((n, l) => n + l.quantity, 0),
    location: location ? presentLocation(shop, location) : null,
    order: () => presentOrder(shop, order),
    trackingInfo: ({ first }: { first?: number }) => f.tracking.slice(0, first ?? 250),
    fulfillmentLineItems: (args: ConnArgs) =>
      connection(
        f.lines.map((l) => {
          const li = order.lines.find((x) => x.id === l.lineItemId)!;
          return {
            __typename: "FulfillmentLineItem",
            id: gid("FulfillmentLineItem", l.id),
            quantity: l.quantity,
            lineItem: presentLineItem(shop, order, li.id),
            originalTotalSet: orderBag(order, li.priceMinor * l.quantity),
            discountedTotalSet: orderBag(order, li.priceMinor * l.quantity),
          };
        }),
        args,
      ),
  };
}

export const levelOf = (shop: ShopState, inventoryItemId: number, locationId: number) => shop.levels.get(levelKey(inventoryItemId, locationId));
