// Payments and the kinds of order beyond a paid web checkout: authorisations on a manual-capture
// gateway with their expiry, orderCapture (partial, multi-capture), orderMarkAsPaid, Shopify's order
// risk assessment, payment terms (B2B / drafts), selling plans with a later fulfilment date
// (SCHEDULED fulfillment orders, fulfillmentOrderOpen), POS sales fulfilled at the counter, and
// local pickup's ready-for-pickup (fulfillmentOrderLineItemsPreparedForPickup).
import { z } from "zod";
import { gid, idOf, orderBag } from "./gid";
import { fulfill, moveQuantity, touch, type Announcement } from "./operations";
import { fulfillmentPayload, inventoryLevelPayload, orderPayload } from "./payloads";
import { currentTotalMinor, presentFulfillmentOrder, presentOrder } from "./presenters";
import { StandInError, type FulfillmentOrder, type Order, type ShopState, type Transaction } from "./store";
import type { StandIn } from "./standin";

const iso = (d: Date) => d.toISOString();
const userError = (message: string, field: string[] = [], code?: string) => ({ message, field, ...(code ? { code } : {}) });

/** The gateway Shopify uses for "authorise at checkout, capture manually" in the stand-in. */
export const MANUAL_CAPTURE_GATEWAY = "manual_capture";
/** Card authorisations lapse after about a week (gateway-dependent); the default here. */
const DEFAULT_AUTHORIZATION_HOURS = 7 * 24;

export const checkoutExtrasSchema = z
  .object({
    payment: z
      .object({
        gateway: z.enum(["bogus", MANUAL_CAPTURE_GATEWAY]),
        authorizationHours: z.number().positive().optional(),
        multiCapture: z.boolean().optional(),
      })
      .optional(),
    risk: z
      .object({
        level: z.enum(["HIGH", "MEDIUM", "LOW", "NONE", "PENDING"]),
        recommendation: z.enum(["CANCEL", "INVESTIGATE", "ACCEPT", "NONE"]).optional(),
        facts: z.array(z.object({ description: z.string(), sentiment: z.enum(["POSITIVE", "NEUTRAL", "NEGATIVE"]) })).optional(),
      })
      .optional(),
    paymentTerms: z.object({ type: z.enum(["NET", "FIXED", "RECEIPT", "FULFILLMENT"]), dueInDays: z.number().int().positive().optional() }).optional(),
    sellingPlan: z.object({ name: z.string().min(1), fulfillAt: z.string().datetime() }).optional(),
    // The customer pays in another (two-decimal) currency than the shop's: `rate` of its units per shop unit.
    presentment: z.object({ currency: z.string().regex(/^[A-Z]{3}$/), rate: z.number().positive() }).optional(),
  })
  .strict();
export type CheckoutExtras = z.infer<typeof checkoutExtrasSchema>;

const RECOMMENDATION = { HIGH: "CANCEL", MEDIUM: "INVESTIGATE", LOW: "ACCEPT", NONE: "NONE", PENDING: "NONE" } as const;

/**
 * What a checkout with these extras looks like in Shopify: the payment as an authorisation (manual
 * capture) or nothing yet (payment terms), the risk assessment, and pre-order lines' fulfillment
 * orders SCHEDULED until their fulfilment date. Called by checkout() before it announces the order.
 */
export function applyCheckoutExtras(standIn: StandIn, order: Order, fos: FulfillmentOrder[], extras: CheckoutExtras | undefined, now: Date): void {
  if (!extras) return;
  if (extras.presentment && extras.presentment.currency !== order.currency) order.presentment = extras.presentment;
  const total = order.transactions.find((t) => t.kind === "sale")?.amountMinor ?? currentTotalMinor(order);
  if (extras.paymentTerms) {
    const t = extras.paymentTerms;
    const dueInDays = t.type === "NET" ? (t.dueInDays ?? 30) : t.type === "FIXED" ? (t.dueInDays ?? 30) : null;
    order.transactions = [];
    order.sourceName = "shopify_draft_order";
    order.paymentTerms = {
      id: standIn.ids.next(),
      scheduleId: standIn.ids.next(),
      type: t.type,
      name: t.type === "NET" ? `Net ${dueInDays}` : t.type === "FIXED" ? "Fixed" : t.type === "RECEIPT" ? "Due on receipt" : "Due on fulfillment",
      dueInDays,
      dueAt: dueInDays ? iso(new Date(now.getTime() + dueInDays * 86_400_000)) : null,
      completedAt: null,
    };
  } else if (extras.payment?.gateway === MANUAL_CAPTURE_GATEWAY) {
    const hours = extras.payment.authorizationHours ?? DEFAULT_AUTHORIZATION_HOURS;
    order.transactions = [
      {
        id: standIn.ids.next(),
        kind: "authorization",
        status: "success",
        amountMinor: total,
        gateway: MANUAL_CAPTURE_GATEWAY,
        createdAt: iso(now),
        authorizationExpiresAt: iso(new Date(now.getTime() + hours * 3_600_000)),
        multiCapturable: extras.payment.multiCapture ?? true,
      },
    ];
  }
  if (extras.risk)
    order.risk = { level: extras.risk.level, recommendation: extras.risk.recommendation ?? RECOMMENDATION[extras.risk.level], facts: extras.risk.facts ?? [] };
  if (extras.sellingPlan) {
    const plan = { id: standIn.ids.next(), name: extras.sellingPlan.name };
    for (const l of order.lines) l.sellingPlan = plan;
    for (const fo of fos) {
      fo.status = "SCHEDULED";
      fo.fulfillAt = extras.sellingPlan.fulfillAt;
    }
  }
}

const capturedBy = (o: Order, auth: Transaction) =>
  o.transactions.filter((t) => t.kind === "capture" && t.parentId === auth.id).reduce((n, t) => n + t.amountMinor, 0);
const voided = (o: Order, auth: Transaction) => o.transactions.some((t) => t.kind === "void" && t.parentId === auth.id);
/** What an authorisation can still capture: nothing once voided, expired, closed by a final capture. */
export function capturableOf(o: Order, auth: Transaction, now: Date): number {
  if (auth.kind !== "authorization" || auth.closed || voided(o, auth)) return 0;
  if (auth.authorizationExpiresAt && new Date(auth.authorizationExpiresAt) <= now) return 0;
  return auth.amountMinor - capturedBy(o, auth);
}

/** Order fields for payments, risk, terms and POS, spread over presentOrder's. */
export function paymentFields(shop: ShopState, o: Order, now: Date) {
  const c = o.currency;
  const auths = o.transactions.filter((t) => t.kind === "authorization");
  const capturable = auths.reduce((n, t) => n + capturableOf(o, t, now), 0);
  const risk = o.risk ?? { level: "LOW" as const, recommendation: "ACCEPT" as const, facts: [] };
  const retail = o.retailLocationId ? shop.locations.get(o.retailLocationId) : undefined;
  const presentTransaction = (t: Transaction): Record<string, unknown> => ({
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", t.id),
    kind: t.kind.toUpperCase(),
    status: t.status.toUpperCase(),
    gateway: t.gateway,
    formattedGateway: t.gateway === MANUAL_CAPTURE_GATEWAY ? "Manual capture" : t.gateway,
    createdAt: t.createdAt,
    processedAt: t.createdAt,
    amountSet: orderBag(o, t.amountMinor, t.presentmentMinor),
    authorizationExpiresAt: t.kind === "authorization" ? (t.authorizationExpiresAt ?? null) : null,
    manuallyCapturable: t.kind === "authorization" && capturableOf(o, t, now) > 0,
    multiCapturable: t.kind === "authorization" && Boolean(t.multiCapturable),
    manualPaymentGateway: t.gateway === "manual",
    test: true,
    fees: [],
    errorCode: null,
    parentTransaction: () => {
      const parent = o.transactions.find((p) => p.id === t.parentId);
      return parent ? presentTransaction(parent) : null;
    },
  });
  return {
    capturable: capturable > 0,
    totalShippingPriceSet: orderBag(o, o.shippingMinor),
    totalCapturableSet: orderBag(o, capturable),
    paymentGatewayNames: [...new Set(o.transactions.map((t) => t.gateway))],
    unpaid: !o.transactions.some((t) => t.kind === "sale" || t.kind === "capture"),
    transactions: ({ first, capturable: onlyCapturable }: { first?: number; capturable?: boolean }) =>
      o.transactions
        .filter((t) => !onlyCapturable || (t.kind === "authorization" && capturableOf(o, t, now) > 0))
        .slice(0, first ?? 250)
        .map(presentTransaction),
    risk: {
      __typename: "OrderRiskSummary",
      recommendation: risk.recommendation,
      assessments: [{ __typename: "OrderRiskAssessment", riskLevel: risk.level, provider: null, facts: risk.facts }],
    },
    paymentTerms: o.paymentTerms
      ? {
          __typename: "PaymentTerms",
          id: gid("PaymentTerms", o.paymentTerms.id),
          paymentTermsType: o.paymentTerms.type,
          paymentTermsName: o.paymentTerms.name,
          translatedName: o.paymentTerms.name,
          dueInDays: o.paymentTerms.dueInDays,
          due: o.paymentTerms.dueAt !== null && new Date(o.paymentTerms.dueAt) <= now && !o.paymentTerms.completedAt,
          overdue: o.paymentTerms.dueAt !== null && new Date(o.paymentTerms.dueAt) < now && !o.paymentTerms.completedAt,
          paymentSchedules: ({ first }: { first?: number }) => {
            const schedule = {
              __typename: "PaymentSchedule",
              id: gid("PaymentSchedule", o.paymentTerms!.scheduleId),
              dueAt: o.paymentTerms!.dueAt,
              issuedAt: o.createdAt,
              completedAt: o.paymentTerms!.completedAt,
              due: false,
              balanceDue: { amount: ((o.paymentTerms!.completedAt ? 0 : currentTotalMinor(o)) / 100).toFixed(2), currencyCode: c },
              totalBalance: { amount: (currentTotalMinor(o) / 100).toFixed(2), currencyCode: c },
            };
            const nodes = first === 0 ? [] : [schedule];
            return {
              nodes,
              edges: nodes.map((node) => ({ node, cursor: "c0" })),
              pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
            };
          },
        }
      : null,
    retailLocation: retail ? { __typename: "Location", id: gid("Location", retail.id), name: retail.name } : null,
  };
}

function foWithLines(shop: ShopState, id: string): FulfillmentOrder | undefined {
  return shop.fulfillmentOrders.get(idOf("FulfillmentOrder", id) ?? -1);
}

type Ctx = { standIn: StandIn; shop: ShopState; now: Date; announce: (events: Announcement) => void };

export function paymentMutations(ctx: Ctx) {
  const { shop, now } = ctx;
  return {
    orderCapture: ({ input }: { input: { id: string; parentTransactionId: string; amount: string; currency?: string; finalCapture?: boolean } }) => {
      const none = { transaction: null };
      const order = shop.orders.get(idOf("Order", input.id) ?? -1);
      if (!order) return { ...none, userErrors: [userError("Order does not exist", ["input", "id"])] };
      const parent = order.transactions.find((t) => gid("OrderTransaction", t.id) === input.parentTransactionId);
      if (!parent || parent.kind !== "authorization")
        return { ...none, userErrors: [userError("Parent transaction must be an authorization on this order", ["input", "parentTransactionId"])] };
      if (order.cancelledAt) return { ...none, userErrors: [userError("Cannot capture payment on a cancelled order", ["input", "id"])] };
      if (input.currency && input.currency !== order.currency)
        return { ...none, userErrors: [userError(`Currency must be ${order.currency}`, ["input", "currency"])] };
      if (parent.authorizationExpiresAt && new Date(parent.authorizationExpiresAt) <= now)
        return { ...none, userErrors: [userError("The authorization has expired and can no longer be captured", ["input", "parentTransactionId"])] };
      const amountMinor = Math.round(Number(input.amount) * 100);
      if (!Number.isFinite(amountMinor) || amountMinor <= 0)
        return { ...none, userErrors: [userError("Amount must be greater than zero", ["input", "amount"])] };
      const already = capturedBy(order, parent);
      if (already > 0 && !parent.multiCapturable)
        return {
          ...none,
          userErrors: [userError("This authorization is not multi-capturable and has already been captured", ["input", "parentTransactionId"])],
        };
      const left = capturableOf(order, parent, now);
      if (amountMinor > left)
        return {
          ...none,
          userErrors: [userError(`Amount $${(amountMinor / 100).toFixed(2)} exceeds the capturable amount $${(left / 100).toFixed(2)}`, ["input", "amount"])],
        };
      const capture: Transaction = {
        id: ctx.standIn.ids.next(),
        kind: "capture",
        status: "success",
        amountMinor,
        gateway: parent.gateway,
        createdAt: iso(now),
        parentId: parent.id,
      };
      order.transactions.push(capture);
      if (input.finalCapture || !parent.multiCapturable) parent.closed = true;
      touch(order, now);
      ctx.announce([{ topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") }]);
      return {
        transaction: (paymentFields(shop, order, now).transactions({}) as Record<string, unknown>[]).find((t) => t.id === gid("OrderTransaction", capture.id)),
        userErrors: [],
      };
    },

    orderMarkAsPaid: ({ input }: { input: { id: string } }) => {
      const order = shop.orders.get(idOf("Order", input.id) ?? -1);
      if (!order) return { order: null, userErrors: [userError("Order does not exist", ["id"])] };
      try {
        ctx.announce(markPaid(ctx.standIn, shop, order, now));
        return { order: presentOrder(shop, order), userErrors: [] };
      } catch (e) {
        if (e instanceof StandInError) return { order: null, userErrors: [userError(e.message, ["id"])] };
        throw e;
      }
    },

    fulfillmentOrderOpen: ({ id }: { id: string }) => {
      const fo = foWithLines(shop, id);
      if (!fo) return { fulfillmentOrder: null, userErrors: [userError("Fulfillment order does not exist.", ["id"])] };
      if (fo.status !== "SCHEDULED")
        return { fulfillmentOrder: null, userErrors: [userError("Fulfillment order is not in a state that can be opened.", ["id"])] };
      ctx.announce(openScheduled(fo, now));
      return { fulfillmentOrder: presentFulfillmentOrder(shop, fo), userErrors: [] };
    },

    fulfillmentOrderLineItemsPreparedForPickup: ({ input }: { input: { lineItemsByFulfillmentOrder: { fulfillmentOrderId: string }[] } }) => {
      const errors: ReturnType<typeof userError>[] = [];
      const fos: FulfillmentOrder[] = [];
      input.lineItemsByFulfillmentOrder.forEach((r, i) => {
        const fo = foWithLines(shop, r.fulfillmentOrderId);
        const path = ["input", "lineItemsByFulfillmentOrder", String(i), "fulfillmentOrderId"];
        if (!fo || fo.deliveryMethod !== "PICK_UP" || (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS"))
          return errors.push(userError("Invalid fulfillment order: it must be an open local pickup fulfillment order.", path, "FULFILLMENT_ORDER_INVALID"));
        if (!fo.lines.some((l) => l.remainingQuantity > 0))
          return errors.push(userError("The fulfillment order has no line items left to prepare.", path, "NO_LINE_ITEMS_TO_PREPARE_FOR_FULFILLMENT_ORDER"));
        fos.push(fo);
      });
      if (errors.length) return { userErrors: errors };
      for (const fo of fos) {
        fo.status = "IN_PROGRESS";
        fo.preparedForPickupAt = iso(now);
        fo.updatedAt = iso(now);
      }
      ctx.announce(
        fos.map((fo) => ({
          topic: "fulfillment_orders/line_items_prepared_for_pickup",
          payload: {
            fulfillment_order: { id: gid("FulfillmentOrder", fo.id), status: "in_progress", preparable: false, delivery_method: { method_type: "pickup" } },
          },
        })),
      );
      return { userErrors: [] };
    },
  };
}

/** A SCHEDULED fulfillment order opens (its date came, or the merchant opened it early). */
export function openScheduled(fo: FulfillmentOrder, now: Date): Announcement {
  fo.status = "OPEN";
  fo.updatedAt = iso(now);
  return [
    { topic: "fulfillment_orders/scheduled_fulfillment_order_ready", payload: { fulfillment_order: { id: gid("FulfillmentOrder", fo.id), status: "open" } } },
  ];
}

/** Payment received for an order on terms (or any unpaid order): a sale for the outstanding amount. */
export function markPaid(standIn: StandIn, shop: ShopState, order: Order, now: Date): Announcement {
  const paid = order.transactions.filter((t) => t.kind === "sale" || t.kind === "capture").reduce((n, t) => n + t.amountMinor, 0);
  const outstanding = currentTotalMinor(order) - paid;
  if (order.cancelledAt) throw new StandInError("Order is cancelled", "INVALID");
  if (outstanding <= 0) throw new StandInError("Order has no outstanding balance", "INVALID");
  order.transactions.push({ id: standIn.ids.next(), kind: "sale", status: "success", amountMinor: outstanding, gateway: "manual", createdAt: iso(now) });
  if (order.paymentTerms) order.paymentTerms.completedAt = iso(now);
  touch(order, now);
  return [
    { topic: "orders/paid", payload: orderPayload(shop, order, "orders/paid") },
    { topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") },
  ];
}

/** A capture made outside the app (the gateway's dashboard, a second system): allowed even on a cancelled order — what the OMS must detect. */
export function captureAtGateway(standIn: StandIn, shop: ShopState, order: Order, amountMinor: number | null, now: Date): Announcement {
  const auth = order.transactions.find((t) => t.kind === "authorization" && capturableOf(order, t, now) > 0);
  if (!auth) throw new StandInError("Nothing left to capture", "INVALID");
  const amount = amountMinor ?? capturableOf(order, auth, now);
  order.transactions.push({
    id: standIn.ids.next(),
    kind: "capture",
    status: "success",
    amountMinor: amount,
    gateway: auth.gateway,
    createdAt: iso(now),
    parentId: auth.id,
  });
  touch(order, now);
  return [{ topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") }];
}

export const posSaleSchema = z
  .object({
    lines: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })).min(1),
    location: z.string(),
    email: z.string().email().default("walk-in@example.com"),
  })
  .strict();

/** A sale rung up at a POS: paid, fulfilled at the counter (on hand leaves the store at once), never routed. */
export function posSale(standIn: StandIn, shop: ShopState, input: z.infer<typeof posSaleSchema>, now: Date): { order: Order; events: Announcement } {
  const location = [...shop.locations.values()].find((l) => l.name === input.location || gid("Location", l.id) === input.location);
  if (!location) throw new StandInError(`No location ${input.location}`, "NOT_FOUND");
  const lines = input.lines.map((l) => {
    const v = [...shop.variants.values()].find((x) => x.sku === l.sku);
    if (!v) throw new StandInError(`No variant ${l.sku}`, "NOT_FOUND");
    return {
      id: standIn.ids.next(),
      variantId: v.id,
      sku: v.sku,
      title: `${shop.products.get(v.productId)?.title ?? ""} - ${v.title}`,
      quantity: l.quantity,
      currentQuantity: l.quantity,
      priceMinor: v.priceMinor,
      requiresShipping: false,
    };
  });
  const number = shop.nextOrderNumber++;
  const order: Order = {
    id: standIn.ids.next(),
    number,
    name: `#${number}`,
    createdAt: iso(now),
    updatedAt: iso(now),
    cancelledAt: null,
    cancelReason: null,
    closedAt: iso(now),
    email: input.email,
    currency: shop.currencyCode,
    sourceName: "pos",
    sourceIdentifier: null,
    tags: [],
    note: null,
    customer: null,
    shippingAddress: null,
    shippingMethod: null,
    shippingMinor: 0,
    lines,
    transactions: [],
    refunds: [],
    retailLocationId: location.id,
  };
  order.transactions.push({
    id: standIn.ids.next(),
    kind: "sale",
    status: "success",
    amountMinor: currentTotalMinor(order),
    gateway: "cash",
    createdAt: iso(now),
  });
  shop.orders.set(order.id, order);
  // The counter sale's fulfillment order at the store, fulfilled at once (committed, then shipped).
  const fo: FulfillmentOrder = {
    id: standIn.ids.next(),
    orderId: order.id,
    locationId: location.id,
    status: "OPEN",
    requestStatus: "UNSUBMITTED",
    lines: lines.map((l) => ({ id: standIn.ids.next(), lineItemId: l.id, totalQuantity: l.quantity, remainingQuantity: l.quantity })),
    holds: [],
    createdAt: iso(now),
    updatedAt: iso(now),
    deliveryMethod: "RETAIL",
  };
  shop.fulfillmentOrders.set(fo.id, fo);
  for (const l of lines) moveQuantity(shop, shop.variants.get(l.variantId)!.inventoryItemId, location.id, "available", "committed", l.quantity, now);
  const { fulfillment, events } = fulfill(standIn, shop, [{ fo, lines: null }], null, now);
  const created = orderPayload(shop, order, "orders/create");
  // No tracking at a counter: Shopify sends null, not an empty URL.
  for (const f of (created.fulfillments as Record<string, unknown>[] | undefined) ?? []) f.tracking_url = null;
  if (!order.customer) created.customer = null;
  return {
    order,
    events: [
      { topic: "orders/create", payload: created },
      { topic: "fulfillments/create", payload: fulfillmentPayload(shop, fulfillment) },
      ...events.filter((e) => e.topic === "inventory_levels/update"),
    ],
  };
}

export { inventoryLevelPayload };
