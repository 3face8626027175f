// Shopify's behaviour for the actions a shopper, a warehouse or the app takes. Each operation
// changes the shop's state and returns the webhooks Shopify would send for it.
import { foRef, fulfillmentPayload, inventoryLevelPayload, orderPayload, progressReportedPayload } from "./payloads";
import {
  emptyQuantities,
  levelKey,
  routeOrder,
  StandInError,
  type Address,
  type FulfillmentOrder,
  type Level,
  type Order,
  type QuantityName,
  type ShopState,
} from "./store";
import type { StandIn } from "./standin";
import { gid } from "./gid";
import { applyCheckoutExtras, type CheckoutExtras } from "./payments";

export type Announcement = { topic: string; payload: unknown }[];

const iso = (d: Date) => d.toISOString();

export function level(shop: ShopState, inventoryItemId: number, locationId: number, now: Date): Level {
  const k = levelKey(inventoryItemId, locationId);
  let lv = shop.levels.get(k);
  if (!lv) {
    lv = { inventoryItemId, locationId, q: emptyQuantities(), updatedAt: iso(now) };
    shop.levels.set(k, lv);
  }
  return lv;
}

function moveQuantity(
  shop: ShopState,
  inventoryItemId: number,
  locationId: number,
  from: QuantityName | null,
  to: QuantityName | null,
  qty: number,
  now: Date,
): Level {
  const lv = level(shop, inventoryItemId, locationId, now);
  if (from) lv.q[from] -= qty;
  if (to) lv.q[to] += qty;
  lv.updatedAt = iso(now);
  return lv;
}

export type CheckoutInput = {
  lines: { sku?: string; variantId?: string; quantity: number }[];
  shippingAddress: Address;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  shippingMethod?: string;
  /** Local pickup at this location (name or GID): every line is fulfilled there, or checkout fails. */
  pickupLocation?: string;
  /** Cart attributes set during checkout (by the buyer or a checkout UI extension). */
  attributes?: { key: string; value: string }[];
  /** A carrier-calculated rate the buyer chose (carrier-service.ts): title, code and price. */
  shippingRate?: { title: string; code: string; priceMinor: number } | null;
  /** Manual capture, risk, payment terms, a selling plan (payments.ts). */
  extras?: CheckoutExtras;
};

/** Pickup is offered only where every line is available (or may be sold without stock). */
function pickupPlan(
  shop: ShopState,
  locationId: number,
  lines: { inventoryItemId: number; quantity: number; key: number; cont: boolean }[],
): Map<number, number[]> | { outOfStock: number[] } {
  const short = lines.filter((l) => !l.cont && (shop.levels.get(levelKey(l.inventoryItemId, locationId))?.q.available ?? 0) < l.quantity).map((l) => l.key);
  return short.length ? { outOfStock: short } : new Map([[locationId, lines.map((l) => l.key)]]);
}

/** A shopper completes checkout: order, payment, native routing, stock committed. */
export function checkout(
  standIn: StandIn,
  shop: ShopState,
  input: CheckoutInput,
  now: Date,
): { order: Order; fulfillmentOrders: FulfillmentOrder[]; events: Announcement } {
  if (input.lines.length === 0) throw new StandInError("Cart is empty", "INVALID");
  const variants = [...shop.variants.values()];
  const resolved = input.lines.map((l, i) => {
    const v = l.sku ? variants.find((x) => x.sku === l.sku) : variants.find((x) => gid("ProductVariant", x.id) === l.variantId);
    if (!v) throw new StandInError(`Line ${i + 1}: no variant ${l.sku ?? l.variantId}`, "NOT_FOUND");
    if (!Number.isInteger(l.quantity) || l.quantity < 1) throw new StandInError(`Line ${i + 1}: quantity must be at least 1`, "INVALID");
    return { variant: v, quantity: l.quantity };
  });
  const lineIds = resolved.map(() => standIn.ids.next());
  const pickup = input.pickupLocation
    ? [...shop.locations.values()].find((l) => l.name === input.pickupLocation || gid("Location", l.id) === input.pickupLocation)
    : undefined;
  if (input.pickupLocation && !pickup) throw new StandInError(`No pickup location ${input.pickupLocation}`, "NOT_FOUND");
  const plan = pickup
    ? pickupPlan(
        shop,
        pickup.id,
        resolved.map((r, i) => ({
          inventoryItemId: r.variant.inventoryItemId,
          quantity: r.quantity,
          key: lineIds[i]!,
          cont: r.variant.inventoryPolicy === "CONTINUE",
        })),
      )
    : routeOrder(
        shop,
        resolved.map((r, i) => ({ inventoryItemId: r.variant.inventoryItemId, quantity: r.quantity, key: lineIds[i]! })),
        input.shippingAddress,
      );
  if ("outOfStock" in plan) {
    const skus = plan.outOfStock.map((k) => resolved[lineIds.indexOf(k)]!.variant.sku);
    throw new StandInError(`Not enough stock to sell ${skus.join(", ")} (inventory policy: deny)`, "OUT_OF_STOCK");
  }
  const id = standIn.ids.next();
  const number = shop.nextOrderNumber++;
  const order: Order = {
    id,
    number,
    name: `#${number}`,
    createdAt: iso(now),
    updatedAt: iso(now),
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    email: input.email,
    currency: shop.currencyCode,
    sourceName: "web",
    sourceIdentifier: null,
    tags: [],
    note: null,
    customAttributes: input.attributes ?? [],
    customer: { id: standIn.ids.next(), firstName: input.firstName, lastName: input.lastName, email: input.email },
    shippingAddress: input.shippingAddress,
    shippingMethod: pickup ? "Pickup in store" : (input.shippingRate?.title ?? input.shippingMethod ?? "Standard"),
    shippingCode: pickup ? null : (input.shippingRate?.code ?? null),
    shippingMinor: pickup ? 0 : input.shippingRate ? input.shippingRate.priceMinor : input.shippingMethod?.toLowerCase().includes("express") ? 2500 : 995,
    lines: resolved.map((r, i) => ({
      id: lineIds[i]!,
      variantId: r.variant.id,
      sku: r.variant.sku,
      title: `${shop.products.get(r.variant.productId)?.title ?? ""} - ${r.variant.title}`,
      quantity: r.quantity,
      currentQuantity: r.quantity,
      priceMinor: r.variant.priceMinor,
      requiresShipping: true,
    })),
    transactions: [],
    refunds: [],
  };
  order.transactions.push({
    id: standIn.ids.next(),
    kind: "sale",
    status: "success",
    amountMinor: order.lines.reduce((n, l) => n + l.priceMinor * l.quantity, 0) + order.shippingMinor,
    gateway: "bogus",
    createdAt: iso(now),
  });
  shop.orders.set(id, order);

  const fulfillmentOrders: FulfillmentOrder[] = [];
  const levels: Level[] = [];
  for (const [locationId, keys] of plan) {
    const fo: FulfillmentOrder = {
      id: standIn.ids.next(),
      orderId: id,
      locationId,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      lines: [],
      holds: [],
      createdAt: iso(now),
      updatedAt: iso(now),
      deliveryMethod: pickup ? "PICK_UP" : "SHIPPING",
    };
    for (const key of keys) {
      const line = order.lines.find((l) => l.id === key)!;
      fo.lines.push({ id: standIn.ids.next(), lineItemId: line.id, totalQuantity: line.quantity, remainingQuantity: line.quantity });
      levels.push(moveQuantity(shop, shop.variants.get(line.variantId!)!.inventoryItemId, locationId, "available", "committed", line.quantity, now));
    }
    shop.fulfillmentOrders.set(fo.id, fo);
    fulfillmentOrders.push(fo);
  }
  applyCheckoutExtras(standIn, order, fulfillmentOrders, input.extras, now);
  const events: Announcement = [
    { topic: "orders/create", payload: orderPayload(shop, order, "orders/create") },
    ...levels.map((lv) => ({ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) })),
    ...fulfillmentOrders.map((fo) => ({ topic: "fulfillment_orders/order_routing_complete", payload: { fulfillment_order: foRef(fo) } })),
  ];
  return { order, fulfillmentOrders, events };
}

export function touch(order: Order, now: Date) {
  order.updatedAt = iso(now);
}

/** A location starts work on a fulfillment order (Shopify: reporting progress / IN_PROGRESS). */
export function startFulfillmentOrder(shop: ShopState, fo: FulfillmentOrder, now: Date): Announcement {
  if (fo.status !== "OPEN") throw new StandInError(`Fulfillment order is ${fo.status.toLowerCase()}, not open`, "INVALID_STATE");
  fo.status = "IN_PROGRESS";
  // At a fulfilment service, starting work means it accepted the fulfilment request.
  if (shop.locations.get(fo.locationId)?.fulfillmentService) fo.requestStatus = "ACCEPTED";
  fo.updatedAt = iso(now);
  return [{ topic: "fulfillment_orders/progress_reported", payload: progressReportedPayload(fo, iso(now)) }];
}

/** fulfillmentCreate for whole fulfillment orders at one location: committed and on_hand go down. */
export function fulfill(
  standIn: StandIn,
  shop: ShopState,
  requests: { fo: FulfillmentOrder; lines: { foLineId: number; quantity: number }[] | null }[],
  tracking: { company: string | null; number: string | null; url: string | null } | null,
  now: Date,
) {
  const first = requests[0];
  if (!first) throw new StandInError("lineItemsByFulfillmentOrder must not be empty", "INVALID");
  const orderId = first.fo.orderId;
  const locationId = first.fo.locationId;
  for (const r of requests) {
    if (r.fo.orderId !== orderId) throw new StandInError("All fulfillment orders must belong to the same order", "INVALID");
    if (r.fo.locationId !== locationId) throw new StandInError("All fulfillment orders must be assigned to the same location", "INVALID");
    if (r.fo.status !== "OPEN" && r.fo.status !== "IN_PROGRESS")
      throw new StandInError(`Fulfillment order ${r.fo.id} is ${r.fo.status.toLowerCase()} and cannot be fulfilled`, "INVALID");
  }
  const order = shop.orders.get(orderId)!;
  if (order.cancelledAt) throw new StandInError("The order has been canceled", "INVALID");
  const fulfilledLines: { id: number; lineItemId: number; quantity: number }[] = [];
  const levels: Level[] = [];
  for (const r of requests) {
    const wanted = r.lines ?? r.fo.lines.map((l) => ({ foLineId: l.id, quantity: l.remainingQuantity }));
    for (const w of wanted) {
      const fl = r.fo.lines.find((l) => l.id === w.foLineId);
      if (!fl) throw new StandInError(`Fulfillment order line item ${w.foLineId} not found`, "INVALID");
      if (w.quantity > fl.remainingQuantity || w.quantity < 0) throw new StandInError(`Invalid quantity for fulfillment order line item ${fl.id}`, "INVALID");
      if (w.quantity === 0) continue;
      fl.remainingQuantity -= w.quantity;
      fulfilledLines.push({ id: standIn.ids.next(), lineItemId: fl.lineItemId, quantity: w.quantity });
      const li = order.lines.find((l) => l.id === fl.lineItemId)!;
      if (li.variantId) levels.push(moveQuantity(shop, shop.variants.get(li.variantId)!.inventoryItemId, locationId, "committed", null, w.quantity, now));
    }
    r.fo.status = r.fo.lines.every((l) => l.remainingQuantity === 0) ? "CLOSED" : "IN_PROGRESS";
    r.fo.updatedAt = iso(now);
  }
  if (fulfilledLines.length === 0) throw new StandInError("Nothing to fulfill", "INVALID");
  const fulfillment = {
    id: standIn.ids.next(),
    orderId,
    locationId,
    status: "SUCCESS" as const,
    shipmentStatus: null,
    tracking: tracking ? [tracking] : [],
    lines: fulfilledLines,
    createdAt: iso(now),
    updatedAt: iso(now),
  };
  shop.fulfillments.set(fulfillment.id, fulfillment);
  touch(order, now);
  const events: Announcement = [
    { topic: "fulfillments/create", payload: fulfillmentPayload(shop, fulfillment, "fulfillments/create") },
    { topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") },
    ...levels.map((lv) => ({ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) })),
  ];
  return { fulfillment, events };
}

export function markDelivered(shop: ShopState, fulfillmentId: number, now: Date): Announcement {
  const f = shop.fulfillments.get(fulfillmentId);
  if (!f) throw new StandInError("Fulfillment not found", "NOT_FOUND");
  f.shipmentStatus = "delivered";
  f.updatedAt = iso(now);
  return [{ topic: "fulfillments/update", payload: fulfillmentPayload(shop, f, "fulfillments/update") }];
}

/** A WMS or ERP changes on_hand: the difference lands in available (Shopify's on_hand set). */
export function adjustOnHand(shop: ShopState, inventoryItemId: number, locationId: number, delta: number, now: Date): { level: Level; events: Announcement } {
  // Shopify lets available go negative (oversold); so does the stand-in.
  const lv = level(shop, inventoryItemId, locationId, now);
  lv.q.available += delta;
  lv.updatedAt = iso(now);
  return { level: lv, events: [{ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) }] };
}

export { moveQuantity };
