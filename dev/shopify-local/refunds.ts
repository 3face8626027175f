// refundCreate (and the refund inside returnProcess's financialTransfer) as Shopify does it: the
// money is what the transactions and refund methods say; line items only change quantities (and
// restock when asked). Refused above what was paid minus what is already refunded — unless
// allowOverRefunding, which is how a refund above the captured amount can exist at all.
import { connection, fromPresentment, gid, idOf, orderBag, orderSet, toPresentment } from "./gid";
import { moveQuantity, touch, type Announcement } from "./operations";
import { inventoryLevelPayload, orderPayload, refundSample } from "./payloads";
import { presentOrder } from "./presenters";
import type { Order, Refund, ShopState } from "./store";
import type { StandIn } from "./standin";

export type RefundExtra = { shippingMinor: number; storeCreditMinor: number; storeCreditTransactionId: number | null; returnId: number | null };
type Ctx = { standIn: StandIn; shop: ShopState; now: Date; announce: (events: Announcement) => void };
type UserError = { message: string; field: string[] };

const toMinor = (amount: string | number) => Math.round(Number(amount) * 100);
const usd = (minor: number) => `$${(minor / 100).toFixed(2)}`;
export const STORE_CREDIT_GATEWAY = "shopify_store_credit";

export const capturedOf = (o: Order) =>
  o.transactions.filter((t) => (t.kind === "sale" || t.kind === "capture") && t.status === "success").reduce((n, t) => n + t.amountMinor, 0);
export const refundedOf = (o: Order) => o.refunds.reduce((n, r) => n + r.amountMinor, 0);
const shippingRefundedOf = (o: Order) => o.refunds.reduce((n, r) => n + (r.extra?.shippingMinor ?? 0), 0);

export type RefundSpec = {
  note: string | null;
  lines: { lineItemId: string; quantity: number; restockType?: string; locationId?: string | null }[];
  gatewayMinor: number;
  gateway: string;
  storeCreditMinor: number;
  shipping: { amountMinor?: number; full?: boolean } | null;
  allowOverRefunding: boolean;
  returnId: number | null;
  /** The amounts as given in the order's presentment currency (a multi-currency order), kept on the transactions. */
  presentment?: { gatewayMinor: number; storeCreditMinor: number };
};

/** Applies a refund to the order, or says why Shopify would refuse it. */
export function issueRefund(ctx: Ctx, order: Order, spec: RefundSpec): { refund: Refund } | { errors: UserError[] } {
  const { shop, now } = ctx;
  const errors: UserError[] = [];
  const shippingLeft = order.shippingMinor - shippingRefundedOf(order);
  const shippingMinor = spec.shipping ? (spec.shipping.amountMinor ?? (spec.shipping.full ? shippingLeft : 0)) : 0;
  if (shippingMinor > shippingLeft)
    errors.push({
      message: `Shipping refund amount ${usd(shippingMinor)} is greater than the refundable shipping amount ${usd(shippingLeft)}`,
      field: ["shipping"],
    });
  const lines = [];
  for (const [i, rl] of spec.lines.entries()) {
    const li = order.lines.find((l) => gid("LineItem", l.id) === rl.lineItemId);
    if (!li) {
      errors.push({ message: "Line item does not exist.", field: ["refundLineItems", String(i), "lineItemId"] });
      continue;
    }
    if (rl.quantity < 1 || rl.quantity > li.currentQuantity) {
      errors.push({ message: "Quantity cannot refund more items than were purchased.", field: ["refundLineItems", String(i), "quantity"] });
      continue;
    }
    const restockType = rl.restockType ?? "NO_RESTOCK";
    const locationId = rl.locationId ? idOf("Location", rl.locationId) : null;
    if (restockType === "RETURN" && (locationId === null || !shop.locations.has(locationId))) {
      errors.push({ message: "A restock needs a valid location.", field: ["refundLineItems", String(i), "locationId"] });
      continue;
    }
    lines.push({ lineItemId: li.id, quantity: rl.quantity, restockType, locationId });
  }
  const amountMinor = spec.gatewayMinor + spec.storeCreditMinor;
  const net = capturedOf(order) - refundedOf(order);
  if (!spec.allowOverRefunding && amountMinor > net)
    errors.push({ message: `Refund amount ${usd(amountMinor)} is greater than net payment received ${usd(net)}`, field: ["transactions"] });
  if (errors.length) return { errors };

  const refund: Refund = {
    id: ctx.standIn.ids.next(),
    note: spec.note,
    createdAt: now.toISOString(),
    amountMinor,
    lines,
    ...(spec.presentment ? { presentmentMinor: spec.presentment.gatewayMinor + spec.presentment.storeCreditMinor } : {}),
    transactionId: spec.gatewayMinor > 0 ? ctx.standIn.ids.next() : null,
    extra: {
      shippingMinor,
      storeCreditMinor: spec.storeCreditMinor,
      storeCreditTransactionId: spec.storeCreditMinor > 0 ? ctx.standIn.ids.next() : null,
      returnId: spec.returnId,
    },
  };
  const events: Announcement = [];
  for (const rl of lines) {
    const li = order.lines.find((l) => l.id === rl.lineItemId)!;
    li.currentQuantity -= rl.quantity;
    if (rl.restockType === "RETURN" && rl.locationId !== null && li.variantId) {
      events.push({
        topic: "inventory_levels/update",
        payload: inventoryLevelPayload(
          moveQuantity(shop, shop.variants.get(li.variantId)!.inventoryItemId, rl.locationId, null, "available", rl.quantity, now),
        ),
      });
    }
  }
  order.refunds.push(refund);
  if (refund.transactionId)
    order.transactions.push({
      id: refund.transactionId,
      kind: "refund",
      status: "success",
      amountMinor: spec.gatewayMinor,
      ...(spec.presentment ? { presentmentMinor: spec.presentment.gatewayMinor } : {}),
      gateway: spec.gateway,
      createdAt: refund.createdAt,
    });
  if (refund.extra?.storeCreditTransactionId)
    order.transactions.push({
      id: refund.extra.storeCreditTransactionId,
      kind: "refund",
      status: "success",
      amountMinor: spec.storeCreditMinor,
      ...(spec.presentment ? { presentmentMinor: spec.presentment.storeCreditMinor } : {}),
      gateway: STORE_CREDIT_GATEWAY,
      createdAt: refund.createdAt,
    });
  touch(order, now);
  ctx.announce([
    { topic: "refunds/create", payload: refundCreatedPayload(order, refund, () => ctx.standIn.ids.next()) },
    { topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") },
    ...events,
  ]);
  return { refund };
}

const amount = (minor: number) => (minor / 100).toFixed(2);
/** refunds/create, from Shopify's example payload with the refund's real values. */
export function refundCreatedPayload(order: Order, refund: Refund, lineIds: () => number) {
  const p = refundSample();
  const set = (minor: number, presentmentMinor?: number) => orderSet(order, minor, presentmentMinor);
  const template = ((p.refund_line_items as Record<string, unknown>[])[0] ?? {}) as Record<string, unknown>;
  const txTemplate = ((p.transactions as Record<string, unknown>[])[0] ?? {}) as Record<string, unknown>;
  const tx = (id: number, minor: number, gateway: string) => ({
    ...txTemplate,
    id,
    admin_graphql_api_id: gid("OrderTransaction", id),
    order_id: order.id,
    kind: "refund",
    status: "success",
    amount: amount(order.transactions.find((t) => t.id === id)?.presentmentMinor ?? toPresentment(order, minor)),
    currency: order.presentment?.currency ?? order.currency,
    gateway,
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    parent_id: null,
  });
  const extra = refund.extra;
  return {
    ...p,
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: order.id,
    created_at: refund.createdAt,
    processed_at: refund.createdAt,
    note: refund.note ?? "",
    restock: refund.lines.some((l) => l.restockType !== "NO_RESTOCK"),
    duties: [],
    order_adjustments: [],
    total_duties_set: set(0),
    return: extra?.returnId ? { id: extra.returnId, admin_graphql_api_id: gid("Return", extra.returnId) } : null,
    refund_shipping_lines: extra?.shippingMinor
      ? [
          {
            id: lineIds(),
            shipping_line_id: lineIds(),
            subtotal_amount_set: set(extra.shippingMinor),
            shipping_line: { title: order.shippingMethod ?? "Shipping", price: amount(order.shippingMinor) },
          },
        ]
      : [],
    refund_line_items: refund.lines.map((l) => {
      const li = order.lines.find((x) => x.id === l.lineItemId)!;
      return {
        ...template,
        id: lineIds(),
        line_item_id: l.lineItemId,
        quantity: l.quantity,
        restock_type: l.restockType.toLowerCase(),
        location_id: l.locationId ?? null,
        subtotal: (li.priceMinor * l.quantity) / 100,
        total_tax: 0,
        subtotal_set: set(li.priceMinor * l.quantity),
        total_tax_set: set(0),
        line_item: {
          ...(template.line_item as object),
          id: li.id,
          admin_graphql_api_id: gid("LineItem", li.id),
          variant_id: li.variantId,
          title: li.title,
          name: li.title,
          sku: li.sku ?? "",
          quantity: li.quantity,
          price: amount(li.priceMinor),
          price_set: set(li.priceMinor),
        },
      };
    }),
    transactions: [
      ...(refund.transactionId
        ? [
            tx(
              refund.transactionId,
              refund.amountMinor - (extra?.storeCreditMinor ?? 0),
              order.transactions.find((t) => t.id === refund.transactionId)?.gateway ?? "bogus",
            ),
          ]
        : []),
      ...(extra?.storeCreditTransactionId ? [tx(extra.storeCreditTransactionId, extra.storeCreditMinor, STORE_CREDIT_GATEWAY)] : []),
    ],
  };
}

export function presentRefund(order: Order, r: Refund) {
  const txIds = [r.transactionId, r.extra?.storeCreditTransactionId].filter((x): x is number => x != null);
  return {
    __typename: "Refund",
    id: gid("Refund", r.id),
    legacyResourceId: String(r.id),
    note: r.note,
    createdAt: r.createdAt,
    processedAt: r.createdAt,
    totalRefundedSet: orderBag(order, r.amountMinor, r.presentmentMinor),
    refundShippingLines: (args: { first?: number }) =>
      connection(
        r.extra?.shippingMinor
          ? [{ __typename: "RefundShippingLine", id: gid("RefundShippingLine", r.id), subtotalAmountSet: orderBag(order, r.extra.shippingMinor) }]
          : [],
        args,
      ),
    transactions: (args: { first?: number }) =>
      connection(
        order.transactions
          .filter((t) => txIds.includes(t.id))
          .map((t) => ({
            __typename: "OrderTransaction",
            id: gid("OrderTransaction", t.id),
            kind: "REFUND",
            status: "SUCCESS",
            gateway: t.gateway,
            createdAt: t.createdAt,
            processedAt: t.createdAt,
            amountSet: orderBag(order, t.amountMinor, t.presentmentMinor),
          })),
        args,
      ),
  };
}

type RefundInput = {
  orderId: string;
  note?: string;
  currency?: string;
  shipping?: { amount?: string; fullRefund?: boolean };
  refundLineItems?: { lineItemId: string; quantity: number; restockType?: string; locationId?: string }[];
  transactions?: { amount: string; gateway: string; kind: string; orderId: string; parentId?: string }[];
  refundMethods?: { storeCreditRefund?: { amount: { amount: string; currencyCode: string } } }[];
  allowOverRefunding?: boolean;
};

export function refundMutations(ctx: Ctx) {
  const { shop } = ctx;
  return {
    refundCreate: ({ input }: { input: RefundInput }) => {
      const order = shop.orders.get(idOf("Order", input.orderId) ?? -1);
      if (!order) return { order: null, refund: null, userErrors: [{ message: "Order does not exist.", field: ["orderId"] }] };
      const refunds = (input.transactions ?? []).filter((t) => t.kind === "REFUND");
      if ((input.transactions ?? []).some((t) => t.kind !== "REFUND"))
        return { order: null, refund: null, userErrors: [{ message: "Transactions of a refund must be of kind refund.", field: ["transactions"] }] };
      // RefundInput.currency: "This must be the presentment currency … required for orders where the
      // currency and presentment currency differ"; the amounts are then in that currency.
      const presentmentCurrency = order.presentment?.currency ?? order.currency;
      if (order.presentment && !input.currency)
        return {
          order: null,
          refund: null,
          userErrors: [{ message: "Currency is required for orders where the currency and presentment currency differ.", field: ["currency"] }],
        };
      if (input.currency && input.currency !== presentmentCurrency)
        return {
          order: null,
          refund: null,
          userErrors: [{ message: `Currency must be the order's presentment currency (${presentmentCurrency}).`, field: ["currency"] }],
        };
      const gatewayGiven = refunds.reduce((n, t) => n + toMinor(t.amount), 0);
      const storeCreditGiven = (input.refundMethods ?? []).reduce((n, m) => n + (m.storeCreditRefund ? toMinor(m.storeCreditRefund.amount.amount) : 0), 0);
      const result = issueRefund(ctx, order, {
        note: input.note ?? null,
        lines: input.refundLineItems ?? [],
        gatewayMinor: fromPresentment(order, gatewayGiven),
        gateway: refunds[0]?.gateway ?? "bogus",
        storeCreditMinor: fromPresentment(order, storeCreditGiven),
        shipping: input.shipping
          ? {
              amountMinor: input.shipping.amount !== undefined ? fromPresentment(order, toMinor(input.shipping.amount)) : undefined,
              full: input.shipping.fullRefund ?? false,
            }
          : null,
        allowOverRefunding: input.allowOverRefunding ?? false,
        returnId: null,
        ...(order.presentment ? { presentment: { gatewayMinor: gatewayGiven, storeCreditMinor: storeCreditGiven } } : {}),
      });
      if ("errors" in result) return { order: null, refund: null, userErrors: result.errors };
      return { order: presentOrder(shop, order), refund: presentRefund(order, result.refund), userErrors: [] };
    },
  };
}
