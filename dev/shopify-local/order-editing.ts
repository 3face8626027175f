// Changes after purchase, as Shopify makes them: order editing (orderEditBegin → a CalculatedOrder
// with staged changes → orderEditCommit), orderCancel (restock, refund), and the cancellation
// request a merchant sends to a fulfilment-service location, which that service accepts or rejects.
// Every business refusal is a userError in the payload, as Shopify answers.
import { gid, idOf, moneyBag } from "./gid";
import { moveQuantity, touch, type Announcement } from "./operations";
import { foRef, inventoryLevelPayload, orderPayload } from "./payloads";
import { capturedOf, issueRefund, refundedOf } from "./refunds";
import { currentTotalMinor, fulfilledQuantity, presentFulfillmentOrder, presentLineItem, presentOrder, presentVariant } from "./presenters";
import { routeOrder, StandInError, type FulfillmentOrder, type Level, type Order, type ShopState } from "./store";
import type { StandIn } from "./standin";

type Ctx = { standIn: StandIn; shop: ShopState; now: Date; announce: (events: Announcement) => void };
type UserError = { message: string; field: string[] };
const userError = (message: string, field: string[]): UserError => ({ message, field });
const iso = (d: Date) => d.toISOString();

// --- order editing ---------------------------------------------------------------------------

type QuantityChange = { lineItemId: number; quantity: number; restock: boolean };
type Addition = { calcLineId: number; variantId: number; quantity: number; locationId: number | null };
type EditSession = {
  id: number;
  calculatedOrderId: number;
  orderId: number;
  quantities: Map<number, QuantityChange>;
  additions: Addition[];
  committed: boolean;
};

/** Open edit sessions per shop, by calculated order id (Shopify keeps them server-side too). */
const sessions = new WeakMap<ShopState, Map<number, EditSession>>();
const sessionsOf = (shop: ShopState) => {
  let m = sessions.get(shop);
  if (!m) sessions.set(shop, (m = new Map()));
  return m;
};

/** Fulfilment orders a fulfilment service has accepted: their lines are the service's, not editable. */
const ACCEPTED_BY_SERVICE = new Set(["ACCEPTED", "CANCELLATION_REQUESTED", "CANCELLATION_REJECTED"]);
const openFos = (shop: ShopState, orderId: number) =>
  [...shop.fulfillmentOrders.values()].filter(
    (f) => f.orderId === orderId && (f.status === "OPEN" || f.status === "ON_HOLD" || f.status === "IN_PROGRESS" || f.status === "SCHEDULED"),
  );
const lockedByService = (shop: ShopState, orderId: number, lineItemId: number) =>
  openFos(shop, orderId).some((f) => ACCEPTED_BY_SERVICE.has(f.requestStatus) && f.lines.some((l) => l.lineItemId === lineItemId && l.remainingQuantity > 0));

const netPaidMinor = (o: Order): number => capturedOf(o) - refundedOf(o);

/** The order as it would be after the staged changes: line quantities and the added lines. */
function calculated(shop: ShopState, s: EditSession) {
  const order = shop.orders.get(s.orderId)!;
  const lines = order.lines.map((l) => ({ line: l, quantity: s.quantities.get(l.id)?.quantity ?? l.currentQuantity }));
  const added = s.additions.map((a) => ({ a, variant: shop.variants.get(a.variantId)! }));
  const subtotal = lines.reduce((n, x) => n + x.line.priceMinor * x.quantity, 0) + added.reduce((n, x) => n + x.variant.priceMinor * x.a.quantity, 0);
  return { order, lines, added, subtotal, total: subtotal + order.shippingMinor };
}

function presentCalculatedOrder(shop: ShopState, s: EditSession) {
  const c = calculated(shop, s);
  const cur = c.order.currency;
  const staged = (lineId: number) => {
    const q = s.quantities.get(lineId);
    const line = c.order.lines.find((l) => l.id === lineId)!;
    if (!q || q.quantity === line.currentQuantity) return [];
    const delta = q.quantity - line.currentQuantity;
    return delta > 0
      ? [{ __typename: "OrderStagedChangeIncrementItem", delta, lineItem: presentLineItem(shop, c.order, lineId) }]
      : [{ __typename: "OrderStagedChangeDecrementItem", delta: -delta, restock: q.restock, lineItem: presentLineItem(shop, c.order, lineId) }];
  };
  const existing = c.lines.map(({ line, quantity }) => {
    const fulfilled = fulfilledQuantity(shop, c.order.id, line.id);
    const editable = Math.max(0, line.currentQuantity - fulfilled);
    return calculatedLine(shop, cur, {
      id: line.id,
      quantity,
      editableQuantity: Math.max(0, quantity - fulfilled),
      editableBefore: editable,
      sku: line.sku,
      title: line.title,
      variantId: line.variantId,
      priceMinor: line.priceMinor,
      uneditableMinor: line.priceMinor * fulfilled,
      restocking: s.quantities.get(line.id)?.restock ?? false,
      stagedChanges: staged(line.id),
    });
  });
  const added = c.added.map(({ a, variant }) =>
    calculatedLine(shop, cur, {
      id: a.calcLineId,
      quantity: a.quantity,
      editableQuantity: a.quantity,
      editableBefore: 0,
      sku: variant.sku,
      title: `${shop.products.get(variant.productId)?.title ?? ""} - ${variant.title}`,
      variantId: variant.id,
      priceMinor: variant.priceMinor,
      uneditableMinor: 0,
      restocking: false,
      stagedChanges: [{ __typename: "OrderStagedChangeAddVariant", quantity: a.quantity, variant: presentVariant(shop, variant) }],
    }),
  );
  const all = [...existing, ...added];
  const stagedAll = [
    ...c.order.lines.flatMap((l) => staged(l.id)),
    ...c.added.map(({ a, variant }) => ({ __typename: "OrderStagedChangeAddVariant", quantity: a.quantity, variant: presentVariant(shop, variant) })),
  ];
  const conn = <T>(items: T[]) => ({
    nodes: items,
    edges: items.map((node, i) => ({ node, cursor: Buffer.from(`c:${i}`).toString("base64url") })),
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  });
  return {
    __typename: "CalculatedOrder",
    id: gid("CalculatedOrder", s.calculatedOrderId),
    committed: s.committed,
    originalOrder: presentOrder(shop, c.order),
    lineItems: () => conn(all),
    addedLineItems: () => conn(added),
    addedDiscountApplications: () => conn([]),
    stagedChanges: () => conn(stagedAll),
    shippingLines: [],
    taxLines: [],
    notificationPreviewHtml: null,
    notificationPreviewTitle: `Order ${c.order.name} was updated`,
    subtotalLineItemsQuantity: c.lines.reduce((n, x) => n + x.quantity, 0) + c.added.reduce((n, x) => n + x.a.quantity, 0),
    subtotalPriceSet: moneyBag(c.subtotal, cur),
    cartDiscountAmountSet: null,
    totalPriceSet: moneyBag(c.total, cur),
    // What the customer still owes after the edit (negative: what the merchant owes back).
    totalOutstandingSet: moneyBag(c.total - netPaidMinor(c.order), cur),
  };
}

function calculatedLine(
  shop: ShopState,
  cur: string,
  l: {
    id: number;
    quantity: number;
    editableQuantity: number;
    editableBefore: number;
    sku: string | null;
    title: string;
    variantId: number | null;
    priceMinor: number;
    uneditableMinor: number;
    restocking: boolean;
    stagedChanges: unknown[];
  },
) {
  const variant = l.variantId ? shop.variants.get(l.variantId) : undefined;
  return {
    __typename: "CalculatedLineItem",
    id: gid("CalculatedLineItem", l.id),
    quantity: l.quantity,
    editableQuantity: l.editableQuantity,
    editableQuantityBeforeChanges: l.editableBefore,
    sku: l.sku,
    title: l.title,
    variantTitle: variant?.title ?? null,
    variant: variant ? presentVariant(shop, variant) : null,
    image: null,
    customAttributes: [],
    calculatedDiscountAllocations: [],
    discountAllocations: [],
    hasStagedLineItemDiscount: false,
    originalUnitPriceSet: moneyBag(l.priceMinor, cur),
    discountedUnitPriceSet: moneyBag(l.priceMinor, cur),
    editableSubtotalSet: moneyBag(l.priceMinor * l.editableQuantity, cur),
    uneditableSubtotalSet: moneyBag(l.uneditableMinor, cur),
    restockable: true,
    restocking: l.restocking,
    stagedChanges: l.stagedChanges,
  };
}

/** Applies a committed edit: removed units leave open fulfilment orders, added ones are committed where they will ship. */
function commitEdit(standIn: StandIn, shop: ShopState, s: EditSession, now: Date): Announcement {
  const order = shop.orders.get(s.orderId)!;
  const levels: Level[] = [];
  const additions: { id: number; delta: number }[] = [];
  const removals: { id: number; delta: number }[] = [];
  for (const q of s.quantities.values()) {
    const line = order.lines.find((l) => l.id === q.lineItemId)!;
    const delta = q.quantity - line.currentQuantity;
    if (delta === 0) continue;
    const item = line.variantId ? shop.variants.get(line.variantId)!.inventoryItemId : null;
    const fos = openFos(shop, order.id);
    if (delta < 0) {
      let remove = -delta;
      for (const fo of fos) {
        for (const fl of fo.lines.filter((l) => l.lineItemId === line.id)) {
          const take = Math.min(remove, fl.remainingQuantity);
          if (take === 0) continue;
          fl.remainingQuantity -= take;
          fl.totalQuantity -= take;
          remove -= take;
          // Unfulfilled units leave committed; restocked, they are available again.
          if (item !== null) levels.push(moveQuantity(shop, item, fo.locationId, "committed", q.restock ? "available" : null, take, now));
        }
        fo.lines = fo.lines.filter((l) => l.totalQuantity > 0);
        if (fo.lines.length === 0) fo.status = "CLOSED";
        fo.updatedAt = iso(now);
      }
      removals.push({ id: line.id, delta: -delta });
    } else {
      const fo =
        fos.find((f) => !ACCEPTED_BY_SERVICE.has(f.requestStatus) && f.lines.some((l) => l.lineItemId === line.id)) ??
        fos.find((f) => !ACCEPTED_BY_SERVICE.has(f.requestStatus));
      if (!fo) throw new StandInError("No open fulfillment order to add items to", "INVALID");
      const fl = fo.lines.find((l) => l.lineItemId === line.id);
      if (fl) {
        fl.totalQuantity += delta;
        fl.remainingQuantity += delta;
      } else fo.lines.push({ id: standIn.ids.next(), lineItemId: line.id, totalQuantity: delta, remainingQuantity: delta });
      if (item !== null) levels.push(moveQuantity(shop, item, fo.locationId, "available", "committed", delta, now));
      fo.updatedAt = iso(now);
      line.quantity = Math.max(line.quantity, q.quantity);
      additions.push({ id: line.id, delta });
    }
    line.currentQuantity = q.quantity;
  }
  const placed: FulfillmentOrder[] = [];
  for (const a of s.additions) {
    const variant = shop.variants.get(a.variantId)!;
    const lineId = standIn.ids.next();
    order.lines.push({
      id: lineId,
      variantId: variant.id,
      sku: variant.sku,
      title: `${shop.products.get(variant.productId)?.title ?? ""} - ${variant.title}`,
      quantity: a.quantity,
      currentQuantity: a.quantity,
      priceMinor: variant.priceMinor,
      requiresShipping: true,
    });
    // The new line ships from the location asked for, else where Shopify's routing puts it.
    let locationId = a.locationId;
    if (locationId === null) {
      const plan = routeOrder(shop, [{ inventoryItemId: variant.inventoryItemId, quantity: a.quantity, key: lineId }], order.shippingAddress);
      locationId = "outOfStock" in plan ? [...shop.locations.values()].find((l) => l.isActive)!.id : [...plan.keys()][0]!;
    }
    let fo = openFos(shop, order.id).find((f) => f.locationId === locationId && f.status === "OPEN" && !ACCEPTED_BY_SERVICE.has(f.requestStatus));
    if (!fo) {
      fo = {
        id: standIn.ids.next(),
        orderId: order.id,
        locationId,
        status: "OPEN",
        requestStatus: "UNSUBMITTED",
        lines: [],
        holds: [],
        createdAt: iso(now),
        updatedAt: iso(now),
        deliveryMethod: "SHIPPING",
      };
      shop.fulfillmentOrders.set(fo.id, fo);
      placed.push(fo);
    }
    fo.lines.push({ id: standIn.ids.next(), lineItemId: lineId, totalQuantity: a.quantity, remainingQuantity: a.quantity });
    fo.updatedAt = iso(now);
    levels.push(moveQuantity(shop, variant.inventoryItemId, locationId, "available", "committed", a.quantity, now));
    additions.push({ id: lineId, delta: a.quantity });
  }
  s.committed = true;
  touch(order, now);
  const edit = {
    order_edit: {
      id: s.id,
      app_id: null,
      created_at: iso(now),
      committed_at: iso(now),
      notify_customer: false,
      order_id: order.id,
      staff_note: "",
      user_id: null,
      line_items: { additions, removals },
      discounts: { line_item: { additions: [], removals: [] } },
      shipping_lines: { additions: [], removals: [] },
    },
  };
  return [
    { topic: "orders/edited", payload: edit },
    { topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") },
    ...placed.map((fo) => ({ topic: "fulfillment_orders/order_routing_complete", payload: { fulfillment_order: foRef(fo) } })),
    ...levels.map((lv) => ({ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) })),
  ];
}

// --- orderCancel -----------------------------------------------------------------------------

/**
 * orderCancel: unfulfilled fulfilment orders close; committed stock is restocked (or written off
 * with restock false); with refund, what was paid and not yet refunded goes back, once. Refused
 * for an order with fulfilments, or while a fulfilment service holds accepted work on it.
 */
export function cancelOrder(
  standIn: StandIn,
  shop: ShopState,
  order: Order,
  opts: { reason: string; restock: boolean; refund: boolean; staffNote?: string | null },
  now: Date,
): Announcement {
  if (order.cancelledAt) throw new StandInError("Order has already been cancelled.", "INVALID");
  if ([...shop.fulfillments.values()].some((f) => f.orderId === order.id && f.status === "SUCCESS")) {
    throw new StandInError("Cannot cancel an order that has fulfillments.", "INVALID");
  }
  if (openFos(shop, order.id).some((f) => ACCEPTED_BY_SERVICE.has(f.requestStatus))) {
    throw new StandInError("A fulfillment service has accepted a fulfillment order on this order: request cancellation first.", "INVALID");
  }
  const levels: Level[] = [];
  for (const fo of openFos(shop, order.id)) {
    for (const fl of fo.lines) {
      const li = order.lines.find((l) => l.id === fl.lineItemId)!;
      if (li.variantId && fl.remainingQuantity > 0) {
        levels.push(
          moveQuantity(
            shop,
            shop.variants.get(li.variantId)!.inventoryItemId,
            fo.locationId,
            "committed",
            opts.restock ? "available" : null,
            fl.remainingQuantity,
            now,
          ),
        );
      }
    }
    fo.status = "CLOSED";
    fo.updatedAt = iso(now);
  }
  order.cancelledAt = iso(now);
  order.cancelReason = opts.reason.toLowerCase();
  order.closedAt = iso(now);
  if (opts.staffNote) order.note = opts.staffNote;
  const events: Announcement = [];
  const owed = netPaidMinor(order);
  if (opts.refund && owed > 0) {
    // The refund is refundCreate's own (refunds.ts): the same arithmetic, transactions and refunds/create.
    const gateway = order.transactions.find((t) => t.kind === "sale" || t.kind === "capture")?.gateway ?? "bogus";
    const lines = order.lines
      .filter((l) => l.currentQuantity > 0)
      .map((l) => ({ lineItemId: gid("LineItem", l.id), quantity: l.currentQuantity, restockType: opts.restock ? "CANCEL" : "NO_RESTOCK" }));
    const result = issueRefund({ standIn, shop, now, announce: (e) => events.push(...e.filter((x) => x.topic === "refunds/create")) }, order, {
      note: "Order canceled",
      lines,
      gatewayMinor: owed,
      gateway,
      storeCreditMinor: 0,
      shipping: null,
      allowOverRefunding: false,
      returnId: null,
    });
    if ("errors" in result) throw new StandInError(result.errors.map((e) => e.message).join("; "), "INVALID");
  }
  for (const li of order.lines) li.currentQuantity = 0;
  touch(order, now);
  return [
    { topic: "orders/cancelled", payload: orderPayload(shop, order, "orders/cancelled") },
    { topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") },
    ...events,
    ...levels.map((lv) => ({ topic: "inventory_levels/update", payload: inventoryLevelPayload(lv) })),
  ];
}

// --- fulfilment-service cancellation requests ------------------------------------------------

/** The merchant's last message on a fulfilment order (Shopify's merchantRequests). */
const merchantMessages = new WeakMap<FulfillmentOrder, { id: number; message: string | null }>();

/** The fulfilment service answers a cancellation request: accepted → closed with a replacement for the work left; rejected → it keeps working. */
export function answerCancellationRequest(
  standIn: StandIn,
  shop: ShopState,
  fo: FulfillmentOrder,
  accept: boolean,
  message: string | null,
  now: Date,
): Announcement {
  if (fo.requestStatus !== "CANCELLATION_REQUESTED") throw new StandInError("The fulfillment order does not have a pending cancellation request.", "INVALID");
  fo.updatedAt = iso(now);
  if (!accept) {
    fo.requestStatus = "CANCELLATION_REJECTED";
    return [
      {
        topic: "fulfillment_orders/cancellation_request_rejected",
        payload: { fulfillment_order: { ...foRef(fo), request_status: "cancellation_rejected" }, message: message ?? "" },
      },
    ];
  }
  fo.requestStatus = "CANCELLATION_ACCEPTED";
  fo.status = "CLOSED";
  // The work left goes back to the merchant as a new, unsubmitted fulfilment order (committed stays).
  const left = fo.lines.filter((l) => l.remainingQuantity > 0);
  if (left.length) {
    const replacement: FulfillmentOrder = {
      id: standIn.ids.next(),
      orderId: fo.orderId,
      locationId: fo.locationId,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      lines: left.map((l) => ({
        id: standIn.ids.next(),
        lineItemId: l.lineItemId,
        totalQuantity: l.remainingQuantity,
        remainingQuantity: l.remainingQuantity,
      })),
      holds: [],
      createdAt: iso(now),
      updatedAt: iso(now),
      deliveryMethod: fo.deliveryMethod,
    };
    for (const l of left) {
      l.totalQuantity -= l.remainingQuantity;
      l.remainingQuantity = 0;
    }
    shop.fulfillmentOrders.set(replacement.id, replacement);
  }
  return [{ topic: "fulfillment_orders/cancellation_request_accepted", payload: { fulfillment_order: foRef(fo), message: message ?? "" } }];
}

// --- GraphQL mutations -----------------------------------------------------------------------

export function orderEditingMutations(ctx: Ctx) {
  const { shop, standIn } = ctx;
  const sessionFor = (id: string) => sessionsOf(shop).get(idOf("CalculatedOrder", id) ?? -1);
  const noEdit = { calculatedOrder: null, calculatedLineItem: null, orderEditSession: null };
  const foById = (id: string) => shop.fulfillmentOrders.get(idOf("FulfillmentOrder", id) ?? -1);

  return {
    orderEditBegin: ({ id }: { id: string }) => {
      const order = shop.orders.get(idOf("Order", id) ?? -1);
      if (!order) return { calculatedOrder: null, orderEditSession: null, userErrors: [userError("The order does not exist.", ["id"])] };
      if (order.cancelledAt)
        return { calculatedOrder: null, orderEditSession: null, userErrors: [userError("The order can't be edited because it has been canceled.", ["id"])] };
      const s: EditSession = {
        id: standIn.ids.next(),
        calculatedOrderId: standIn.ids.next(),
        orderId: order.id,
        quantities: new Map(),
        additions: [],
        committed: false,
      };
      sessionsOf(shop).set(s.calculatedOrderId, s);
      return {
        calculatedOrder: presentCalculatedOrder(shop, s),
        orderEditSession: { __typename: "OrderEditSession", id: gid("OrderEditSession", s.id) },
        userErrors: [],
      };
    },

    orderEditSetQuantity: ({
      id,
      lineItemId,
      quantity,
      restock,
    }: {
      id: string;
      lineItemId: string;
      quantity: number;
      restock?: boolean | null;
      locationId?: string | null;
    }) => {
      const s = sessionFor(id);
      if (!s || s.committed) return { ...noEdit, userErrors: [userError("The calculated order does not exist.", ["id"])] };
      const order = shop.orders.get(s.orderId)!;
      const lineNo = idOf("CalculatedLineItem", lineItemId);
      const added = s.additions.find((a) => a.calcLineId === lineNo);
      if (added) {
        if (quantity < 0) return { ...noEdit, userErrors: [userError("Quantity must be greater than or equal to 0.", ["quantity"])] };
        if (quantity === 0) s.additions = s.additions.filter((a) => a !== added);
        else added.quantity = quantity;
        return {
          calculatedOrder: presentCalculatedOrder(shop, s),
          calculatedLineItem: null,
          orderEditSession: { id: gid("OrderEditSession", s.id) },
          userErrors: [],
        };
      }
      const line = order.lines.find((l) => l.id === lineNo);
      if (!line) return { ...noEdit, userErrors: [userError("The line item does not exist on the calculated order.", ["lineItemId"])] };
      if (quantity < 0) return { ...noEdit, userErrors: [userError("Quantity must be greater than or equal to 0.", ["quantity"])] };
      const fulfilled = fulfilledQuantity(shop, order.id, line.id);
      if (quantity < fulfilled)
        return { ...noEdit, userErrors: [userError(`Quantity can't be less than the fulfilled quantity (${fulfilled}).`, ["quantity"])] };
      if (quantity < line.currentQuantity && lockedByService(shop, order.id, line.id)) {
        return {
          ...noEdit,
          userErrors: [userError("This line item can't be edited: a fulfillment service has accepted its fulfillment request.", ["lineItemId"])],
        };
      }
      s.quantities.set(line.id, { lineItemId: line.id, quantity, restock: restock ?? false });
      const calc = presentCalculatedOrder(shop, s);
      return {
        calculatedOrder: calc,
        calculatedLineItem: calc.lineItems().nodes.find((n) => n.id === gid("CalculatedLineItem", line.id)) ?? null,
        orderEditSession: { id: gid("OrderEditSession", s.id) },
        userErrors: [],
      };
    },

    orderEditAddVariant: ({
      id,
      variantId,
      locationId,
      quantity,
      allowDuplicates,
    }: {
      id: string;
      variantId: string;
      locationId?: string | null;
      quantity: number;
      allowDuplicates?: boolean | null;
    }) => {
      const s = sessionFor(id);
      if (!s || s.committed) return { ...noEdit, userErrors: [userError("The calculated order does not exist.", ["id"])] };
      const variant = shop.variants.get(idOf("ProductVariant", variantId) ?? -1);
      if (!variant) return { ...noEdit, userErrors: [userError("The variant does not exist.", ["variantId"])] };
      if (quantity < 1) return { ...noEdit, userErrors: [userError("Quantity must be greater than 0.", ["quantity"])] };
      const location = locationId ? shop.locations.get(idOf("Location", locationId) ?? -1) : undefined;
      if (locationId && (!location || !location.isActive))
        return { ...noEdit, userErrors: [userError("The location does not exist or is inactive.", ["locationId"])] };
      const order = shop.orders.get(s.orderId)!;
      const already = order.lines.some((l) => l.variantId === variant.id && l.currentQuantity > 0) || s.additions.some((a) => a.variantId === variant.id);
      if (already && !allowDuplicates)
        return { ...noEdit, userErrors: [userError("The variant is already on the order; pass allowDuplicates to add it again.", ["variantId"])] };
      const addition: Addition = { calcLineId: standIn.ids.next(), variantId: variant.id, quantity, locationId: location?.id ?? null };
      s.additions.push(addition);
      const calc = presentCalculatedOrder(shop, s);
      return {
        calculatedOrder: calc,
        calculatedLineItem: calc.addedLineItems().nodes.find((n) => n.id === gid("CalculatedLineItem", addition.calcLineId)) ?? null,
        orderEditSession: { id: gid("OrderEditSession", s.id) },
        userErrors: [],
      };
    },

    orderEditCommit: ({ id, staffNote }: { id: string; notifyCustomer?: boolean | null; staffNote?: string | null }) => {
      const s = sessionFor(id);
      if (!s) return { order: null, successMessages: null, userErrors: [userError("The calculated order does not exist.", ["id"])] };
      if (s.committed) return { order: null, successMessages: null, userErrors: [userError("The order edit has already been committed.", ["id"])] };
      const order = shop.orders.get(s.orderId)!;
      if (order.cancelledAt)
        return { order: null, successMessages: null, userErrors: [userError("The order can't be edited because it has been canceled.", ["id"])] };
      const changes =
        [...s.quantities.values()].filter((q) => q.quantity !== order.lines.find((l) => l.id === q.lineItemId)!.currentQuantity).length + s.additions.length;
      if (changes === 0) return { order: null, successMessages: null, userErrors: [userError("There are no changes to commit.", ["id"])] };
      try {
        ctx.announce(commitEdit(standIn, shop, s, ctx.now));
      } catch (e) {
        if (e instanceof StandInError) return { order: null, successMessages: null, userErrors: [userError(e.message, ["id"])] };
        throw e;
      }
      if (staffNote) order.note = staffNote;
      sessionsOf(shop).delete(s.calculatedOrderId);
      const outstanding = currentTotalMinor(order) - netPaidMinor(order);
      const messages = ["Order updated"];
      if (outstanding < 0) messages.push(`Refund owed: ${(-outstanding / 100).toFixed(2)} ${order.currency}`);
      if (outstanding > 0) messages.push(`Amount to collect: ${(outstanding / 100).toFixed(2)} ${order.currency}`);
      return { order: presentOrder(shop, order), successMessages: messages, userErrors: [] };
    },

    orderCancel: ({
      orderId,
      reason,
      restock,
      refund,
      refundMethod,
      staffNote,
    }: {
      orderId: string;
      reason: string;
      restock: boolean;
      refund?: boolean | null;
      refundMethod?: { originalPaymentMethodsRefund?: boolean | null; storeCreditRefund?: unknown } | null;
      notifyCustomer?: boolean | null;
      staffNote?: string | null;
    }) => {
      const order = shop.orders.get(idOf("Order", orderId) ?? -1);
      const fail = (message: string, code: "NOT_FOUND" | "INVALID") => ({
        job: null,
        orderCancelUserErrors: [{ message, field: ["orderId"], code }],
        userErrors: [userError(message, ["orderId"])],
      });
      if (!order) return fail("Order not found.", "NOT_FOUND");
      if (refund != null && refundMethod != null)
        return {
          job: null,
          orderCancelUserErrors: [{ message: "Only one of refund and refundMethod can be given.", field: ["refundMethod"], code: "INVALID" }],
          userErrors: [userError("Only one of refund and refundMethod can be given.", ["refundMethod"])],
        };
      try {
        ctx.announce(
          cancelOrder(standIn, shop, order, { reason, restock, refund: Boolean(refund ?? refundMethod?.originalPaymentMethodsRefund), staffNote }, ctx.now),
        );
        // Shopify cancels in a job; here it has already run when the job is returned.
        return { job: { __typename: "Job", id: gid("Job", standIn.ids.next()), done: true, query: null }, orderCancelUserErrors: [], userErrors: [] };
      } catch (e) {
        if (e instanceof StandInError) return fail(e.message, "INVALID");
        throw e;
      }
    },

    fulfillmentOrderSubmitCancellationRequest: ({ id, message }: { id: string; message?: string | null }) => {
      const fo = foById(id);
      if (!fo) return { fulfillmentOrder: null, userErrors: [userError("Fulfillment order does not exist.", ["id"])] };
      const location = shop.locations.get(fo.locationId);
      if (!location?.fulfillmentService)
        return { fulfillmentOrder: null, userErrors: [userError("Cancellation requests can only be sent to fulfillment services.", ["id"])] };
      if (fo.requestStatus === "CANCELLATION_REQUESTED")
        return { fulfillmentOrder: null, userErrors: [userError("A cancellation request has already been submitted for this fulfillment order.", ["id"])] };
      if (fo.requestStatus !== "ACCEPTED" && fo.requestStatus !== "CANCELLATION_REJECTED")
        return { fulfillmentOrder: null, userErrors: [userError("The fulfillment order's request has not been accepted by the fulfillment service.", ["id"])] };
      fo.requestStatus = "CANCELLATION_REQUESTED";
      fo.updatedAt = iso(ctx.now);
      const request = { id: standIn.ids.next(), message: message ?? null };
      merchantMessages.set(fo, request);
      ctx.announce([
        {
          topic: "fulfillment_orders/cancellation_request_submitted",
          payload: {
            fulfillment_order: { ...foRef(fo), request_status: "cancellation_request" },
            fulfillment_order_merchant_request: { id: gid("FulfillmentOrderMerchantRequest", request.id), message: request.message ?? "" },
          },
        },
      ]);
      return { fulfillmentOrder: presentFulfillmentOrder(shop, fo), userErrors: [] };
    },

    // Called by the fulfilment service's app (the stand-in's /_dev controls do the same).
    fulfillmentOrderAcceptCancellationRequest: ({ id, message }: { id: string; message?: string | null }) => answerMutation(id, true, message ?? null),
    fulfillmentOrderRejectCancellationRequest: ({ id, message }: { id: string; message?: string | null }) => answerMutation(id, false, message ?? null),
  };

  function answerMutation(id: string, accept: boolean, message: string | null) {
    const fo = foById(id);
    if (!fo) return { fulfillmentOrder: null, userErrors: [userError("Fulfillment order does not exist.", ["id"])] };
    try {
      ctx.announce(answerCancellationRequest(standIn, shop, fo, accept, message, ctx.now));
      return { fulfillmentOrder: presentFulfillmentOrder(shop, fo), userErrors: [] };
    } catch (e) {
      if (e instanceof StandInError) return { fulfillmentOrder: null, userErrors: [userError(e.message, ["id"])] };
      throw e;
    }
  }
}

// --- /_dev controls --------------------------------------------------------------------------

/** An order by GID or plain number, as the fulfilment-order controls accept them. */
export const orderByRef = (shop: ShopState, raw: string) => shop.orders.get(idOf("Order", raw) ?? Number(raw));
export const foByRef = (shop: ShopState, raw: string) => shop.fulfillmentOrders.get(idOf("FulfillmentOrder", raw) ?? Number(raw));

/**
 * The merchant's edit in Shopify admin, made through the same mutations an app calls
 * (orderEditBegin → orderEditSetQuantity → orderEditCommit): the control is their client.
 */
export function editFromAdmin(
  standIn: StandIn,
  shop: ShopState,
  order: Order,
  sku: string,
  quantity: number,
  now: Date,
): { lineItemId: string; currentQuantity: number } {
  const events: Announcement = [];
  const m = orderEditingMutations({ standIn, shop, now, announce: (e) => events.push(...e) });
  const line = order.lines.find((l) => l.sku === sku);
  if (!line) throw new StandInError(`no line for ${sku}`, "NOT_FOUND");
  const fail = (errors: UserError[]) => {
    if (errors.length) throw new StandInError(errors.map((e) => e.message).join("; "), "INVALID");
  };
  const begun = m.orderEditBegin({ id: gid("Order", order.id) });
  fail(begun.userErrors);
  const calcId = begun.calculatedOrder!.id;
  fail(m.orderEditSetQuantity({ id: calcId, lineItemId: gid("CalculatedLineItem", line.id), quantity, restock: true }).userErrors);
  fail(m.orderEditCommit({ id: calcId }).userErrors);
  standIn.announce(shop.domain, events);
  return { lineItemId: gid("LineItem", line.id), currentQuantity: line.currentQuantity };
}
