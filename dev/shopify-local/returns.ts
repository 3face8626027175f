// Returns as Shopify runs them (Returns Processing APIs, 2026-04):
// - returnRequest (REQUESTED, the customer asks) → returnApproveRequest (OPEN) or returnDeclineRequest
//   (DECLINED, with a reason); returnCreate opens a return at once (approved outside Shopify).
// - A return takes fulfilled, not-yet-returned quantities only; it can carry restocking fees (a
//   percentage per line), a return shipping fee, and exchange line items. Exchange items are added
//   to the order on a new fulfillment order held with AWAITING_RETURN_ITEMS, released once every
//   returned item is processed (or earlier by fulfillmentOrderReleaseHold).
// - Each return has a reverse fulfillment order; reverseDeliveryCreateWithShipping attaches a
//   label and tracking. returnProcess disposes items (RESTOCKED puts units back in `available` at
//   the location; NOT_RESTOCKED, PROCESSING_REQUIRED, MISSING leave stock alone), processes exchange
//   items, and may issue the refund (financialTransfer.issueRefund), refused above what was paid.
import { connection, gid, idOf, moneyBag } from "./gid";
import { level, moveQuantity, touch, type Announcement } from "./operations";
import { foRef, inventoryLevelPayload, orderPayload, placedOnHoldPayload } from "./payloads";
import { presentLineItem, presentOrder } from "./presenters";
import { issueRefund, presentRefund } from "./refunds";
import { routeOrder, type FulfillmentOrder, type Order, type Return, type ShopState } from "./store";
import type { StandIn } from "./standin";

export type ExchangeLine = { id: number; variantId: number; quantity: number; processedQuantity: number; lineItemId: number };
export type ReverseDelivery = {
  id: number;
  lines: { reverseLineId: number; quantity: number }[];
  tracking: { number: string | null; url: string | null } | null;
  labelUrl: string | null;
  createdAt: string;
};
export type ReturnExtra = {
  decline: { reason: string; note: string | null } | null;
  exchanges: ExchangeLine[];
  exchangeFoId: number | null;
  shippingFeeMinor: number;
  shippingFeeId: number | null;
  deliveries: ReverseDelivery[];
};

type Ctx = { standIn: StandIn; shop: ShopState; now: Date; announce: (events: Announcement) => void };
type LineInput = {
  fulfillmentLineItemId: string;
  quantity: number;
  returnReason?: string;
  customerNote?: string;
  returnReasonNote?: string;
  restockingFee?: { percentage: number };
};
type Money = { amount: string; currencyCode: string };
type UserError = { message: string; field: string[]; code: string };
const userError = (message: string, field: string[], code: string): UserError => ({ message, field, code });
const toMinor = (amount: string) => Math.round(Number(amount) * 100);
const extraOf = (r: Return): ReturnExtra =>
  (r.extra ??= { decline: null, exchanges: [], exchangeFoId: null, shippingFeeMinor: 0, shippingFeeId: null, deliveries: [] });
const LIVE = (r: Return) => r.status !== "DECLINED" && r.status !== "CANCELED";

export function presentReturn(shop: ShopState, r: Return) {
  const order = shop.orders.get(r.orderId)!;
  const x = extraOf(r);
  const c = order.currency;
  const fulfillmentLine = (id: number) => [...shop.fulfillments.values()].flatMap((f) => f.lines).find((l) => l.id === id)!;
  const refunds = order.refunds.filter((f) => f.extra?.returnId === r.id);
  const refundedQty = (lineItemId: number) =>
    refunds
      .flatMap((f) => f.lines)
      .filter((l) => l.lineItemId === lineItemId)
      .reduce((n, l) => n + l.quantity, 0);
  const rfoLine = (l: Return["lines"][number]) => ({
    __typename: "ReverseFulfillmentOrderLineItem",
    id: gid("ReverseFulfillmentOrderLineItem", l.reverseLineId),
    totalQuantity: l.quantity,
    fulfillmentLineItem: { id: gid("FulfillmentLineItem", l.fulfillmentLineItemId), quantity: fulfillmentLine(l.fulfillmentLineItemId).quantity },
    dispositions: (l.dispositions ?? []).map((d, i) => ({
      __typename: "ReverseFulfillmentOrderDisposition",
      id: gid("ReverseFulfillmentOrderDisposition", l.reverseLineId * 100 + i),
      quantity: d.quantity,
      type: d.type,
      location: d.locationId ? { id: gid("Location", d.locationId), name: shop.locations.get(d.locationId)?.name } : null,
    })),
  });
  return {
    __typename: "Return",
    id: gid("Return", r.id),
    name: r.name,
    status: r.status,
    createdAt: r.createdAt,
    requestApprovedAt: r.requestApprovedAt,
    closedAt: r.closedAt,
    decline: x.decline,
    totalQuantity: r.lines.reduce((n, l) => n + l.quantity, 0),
    order: () => presentOrder(shop, order),
    returnShippingFees:
      x.shippingFeeMinor > 0
        ? [{ __typename: "ReturnShippingFee", id: gid("ReturnShippingFee", x.shippingFeeId ?? r.id), amountSet: moneyBag(x.shippingFeeMinor, c) }]
        : [],
    refunds: (args: { first?: number }) =>
      connection(
        refunds.map((f) => presentRefund(order, f)),
        args,
      ),
    exchangeLineItems: (args: { first?: number }) =>
      connection(
        x.exchanges.map((e) => ({
          __typename: "ExchangeLineItem",
          id: gid("ExchangeLineItem", e.id),
          variantId: gid("ProductVariant", e.variantId),
          quantity: e.quantity,
          processedQuantity: e.processedQuantity,
          processableQuantity: e.quantity - e.processedQuantity,
          unprocessedQuantity: e.quantity - e.processedQuantity,
          lineItems: [presentLineItem(shop, order, e.lineItemId)],
          lineItem: presentLineItem(shop, order, e.lineItemId),
        })),
        args,
      ),
    returnLineItems: (args: { first?: number }) =>
      connection(
        r.lines.map((l) => {
          const li = order.lines.find((x) => x.id === l.lineItemId)!;
          const fl = fulfillmentLine(l.fulfillmentLineItemId);
          const fee = l.restockingFeePercent ? Math.round((li.priceMinor * l.quantity * l.restockingFeePercent) / 100) : 0;
          return {
            __typename: "ReturnLineItem",
            id: gid("ReturnLineItem", l.id),
            quantity: l.quantity,
            processedQuantity: l.processedQuantity,
            processableQuantity: l.quantity - l.processedQuantity,
            unprocessedQuantity: l.quantity - l.processedQuantity,
            refundableQuantity: Math.max(0, l.processedQuantity - refundedQty(l.lineItemId)),
            refundedQuantity: Math.min(l.quantity, refundedQty(l.lineItemId)),
            returnReason: l.returnReason,
            returnReasonNote: l.note ?? "",
            customerNote: l.note,
            restockingFee: l.restockingFeePercent
              ? { __typename: "RestockingFee", id: gid("RestockingFee", l.id), percentage: l.restockingFeePercent, amountSet: moneyBag(fee, c) }
              : null,
            fulfillmentLineItem: {
              id: gid("FulfillmentLineItem", fl.id),
              quantity: fl.quantity,
              lineItem: presentLineItem(shop, order, li.id),
              originalTotalSet: moneyBag(li.priceMinor * fl.quantity, c),
              discountedTotalSet: moneyBag(li.priceMinor * fl.quantity, c),
            },
            withCodeDiscountedTotalPriceSet: moneyBag(li.priceMinor * l.quantity, c),
          };
        }),
        args,
      ),
    reverseFulfillmentOrders: (args: { first?: number }) =>
      connection(
        [
          {
            __typename: "ReverseFulfillmentOrder",
            id: gid("ReverseFulfillmentOrder", r.reverseFulfillmentOrderId),
            status: r.status === "CLOSED" ? "CLOSED" : "OPEN",
            order: () => presentOrder(shop, order),
            lineItems: (a: { first?: number }) => connection(r.lines.map(rfoLine), a),
            reverseDeliveries: (a: { first?: number }) =>
              connection(
                x.deliveries.map((d) => presentDelivery(r, d)),
                a,
              ),
          },
        ],
        args,
      ),
  };
}

function presentDelivery(r: Return, d: ReverseDelivery) {
  return {
    __typename: "ReverseDelivery",
    id: gid("ReverseDelivery", d.id),
    deliverable: {
      __typename: "ReverseDeliveryShippingDeliverable",
      tracking: d.tracking ? { carrierName: null, number: d.tracking.number, url: d.tracking.url } : null,
      label: d.labelUrl ? { createdAt: d.createdAt, updatedAt: d.createdAt, publicFileUrl: d.labelUrl } : null,
    },
    reverseDeliveryLineItems: (a: { first?: number }) =>
      connection(
        d.lines.map((l) => ({ __typename: "ReverseDeliveryLineItem", id: gid("ReverseDeliveryLineItem", l.reverseLineId), quantity: l.quantity })),
        a,
      ),
    reverseFulfillmentOrder: {
      __typename: "ReverseFulfillmentOrder",
      id: gid("ReverseFulfillmentOrder", r.reverseFulfillmentOrderId),
      status: r.status === "CLOSED" ? "CLOSED" : "OPEN",
    },
  };
}

/** returns/* payloads: Shopify's example shape (dev/contracts/shopify/webhooks/returns). */
function returnPayload(r: Return) {
  const x = extraOf(r);
  return {
    id: r.id,
    admin_graphql_api_id: gid("Return", r.id),
    status: r.status.toLowerCase(),
    order: { id: r.orderId, admin_graphql_api_id: gid("Order", r.orderId) },
    total_return_line_items: r.lines.length,
    // Shopify's 2026-04 example and schema carry no name in these payloads (null); read it over GraphQL.
    name: null,
    return_line_items: [],
    return_shipping_fees:
      x.shippingFeeMinor > 0
        ? [
            {
              id: x.shippingFeeId,
              admin_graphql_api_id: gid("ReturnShippingFee", x.shippingFeeId ?? 0),
              price: {
                shop_money: { amount: (x.shippingFeeMinor / 100).toFixed(1), currency_code: "XXX" },
                presentment_money: { amount: (x.shippingFeeMinor / 100).toFixed(1), currency_code: "XXX" },
              },
            },
          ]
        : [],
    exchange_line_items: x.exchanges.map((e) => ({ id: e.id, admin_graphql_api_id: gid("ExchangeLineItem", e.id), line_item: null })),
    total_exchange_line_items: x.exchanges.length,
  };
}
const declinePayload = (r: Return) => ({
  id: r.id,
  admin_graphql_api_id: gid("Return", r.id),
  status: "declined",
  order: { id: r.orderId, admin_graphql_api_id: gid("Order", r.orderId) },
  decline: { reason: extraOf(r).decline!.reason.toLowerCase(), note: extraOf(r).decline!.note },
});
const closePayload = (r: Return) => ({ id: r.id, admin_graphql_api_id: gid("Return", r.id), order_id: r.orderId, status: "closed" });

export function returnMutations(ctx: Ctx) {
  const { shop } = ctx;
  const returnOf = (id: string) => shop.returns.get(idOf("Return", id) ?? -1);

  /** Exchange items join the order on a fulfillment order held until the return's items arrive (checked by open). */
  function addExchanges(
    order: Order,
    ret: Return,
    lines: { variantId: number; quantity: number; inventoryItemId: number }[],
    keys: number[],
    plan: Map<number, number[]>,
    events: Announcement,
  ) {
    const x = extraOf(ret);
    const iso = ctx.now.toISOString();
    for (const [locationId, lineKeys] of plan) {
      const hold = { id: ctx.standIn.ids.next(), reason: "AWAITING_RETURN_ITEMS", reasonNotes: `Exchange on return ${ret.name}`, handle: null };
      const fo: FulfillmentOrder = {
        id: ctx.standIn.ids.next(),
        orderId: order.id,
        locationId,
        status: "ON_HOLD",
        requestStatus: "UNSUBMITTED",
        lines: [],
        holds: [hold],
        createdAt: iso,
        updatedAt: iso,
        deliveryMethod: "SHIPPING",
      };
      for (const key of lineKeys) {
        const l = lines[keys.indexOf(key)]!;
        const v = shop.variants.get(l.variantId)!;
        order.lines.push({
          id: key,
          variantId: v.id,
          sku: v.sku,
          title: `${shop.products.get(v.productId)?.title ?? ""} - ${v.title}`,
          quantity: l.quantity,
          currentQuantity: l.quantity,
          priceMinor: v.priceMinor,
          requiresShipping: true,
        });
        fo.lines.push({ id: ctx.standIn.ids.next(), lineItemId: key, totalQuantity: l.quantity, remainingQuantity: l.quantity });
        x.exchanges.push({ id: ctx.standIn.ids.next(), variantId: v.id, quantity: l.quantity, processedQuantity: 0, lineItemId: key });
        events.push({
          topic: "inventory_levels/update",
          payload: inventoryLevelPayload(moveQuantity(shop, v.inventoryItemId, locationId, "available", "committed", l.quantity, ctx.now)),
        });
      }
      shop.fulfillmentOrders.set(fo.id, fo);
      x.exchangeFoId = fo.id;
      events.push({ topic: "fulfillment_orders/placed_on_hold", payload: placedOnHoldPayload(fo, hold) });
    }
  }

  function open(
    path: string,
    orderGid: string,
    inputs: LineInput[],
    status: "REQUESTED" | "OPEN",
    extras: { exchangeLineItems?: { variantId?: string; quantity: number }[]; returnShippingFee?: { amount: Money } },
  ) {
    const order = shop.orders.get(idOf("Order", orderGid) ?? -1);
    if (!order) return { return: null, userErrors: [userError("Order does not exist.", [path, "orderId"], "NOT_FOUND")] };
    if (inputs.length === 0) return { return: null, userErrors: [userError("Return line items can't be blank.", [path, "returnLineItems"], "BLANK")] };
    const fulfillmentLines = [...shop.fulfillments.values()].filter((f) => f.orderId === order.id && f.status === "SUCCESS").flatMap((f) => f.lines);
    const alreadyReturned = (flId: number) =>
      [...shop.returns.values()]
        .filter((r) => r.orderId === order.id && LIVE(r))
        .flatMap((r) => r.lines)
        .filter((l) => l.fulfillmentLineItemId === flId)
        .reduce((n, l) => n + l.quantity, 0);
    const lines = [];
    const asked = new Map<number, number>();
    for (const [i, input] of inputs.entries()) {
      const at = [path, "returnLineItems", String(i)];
      const fl = fulfillmentLines.find((l) => gid("FulfillmentLineItem", l.id) === input.fulfillmentLineItemId);
      if (!fl)
        return {
          return: null,
          userErrors: [userError("Fulfillment line item does not exist or is not fulfilled.", [...at, "fulfillmentLineItemId"], "NOT_FOUND")],
        };
      if (input.quantity < 1) return { return: null, userErrors: [userError("Quantity must be greater than 0.", [...at, "quantity"], "GREATER_THAN")] };
      const returnable = fl.quantity - alreadyReturned(fl.id) - (asked.get(fl.id) ?? 0);
      if (input.quantity > returnable)
        return {
          return: null,
          userErrors: [
            userError(`Quantity must be less than or equal to the returnable quantity ${returnable}.`, [...at, "quantity"], "LESS_THAN_OR_EQUAL_TO"),
          ],
        };
      const pct = input.restockingFee?.percentage ?? 0;
      if (pct < 0 || pct > 100)
        return {
          return: null,
          userErrors: [userError("Restocking fee percentage must be between 0 and 100.", [...at, "restockingFee", "percentage"], "INVALID")],
        };
      asked.set(fl.id, (asked.get(fl.id) ?? 0) + input.quantity);
      lines.push({
        id: ctx.standIn.ids.next(),
        fulfillmentLineItemId: fl.id,
        lineItemId: fl.lineItemId,
        quantity: input.quantity,
        processedQuantity: 0,
        returnReason: input.returnReason ?? "UNKNOWN",
        note: input.customerNote ?? input.returnReasonNote ?? null,
        reverseLineId: ctx.standIn.ids.next(),
        restockingFeePercent: pct,
      });
    }
    const fee = extras.returnShippingFee?.amount;
    if (fee && fee.currencyCode !== order.currency)
      return {
        return: null,
        userErrors: [
          userError("The return shipping fee must be in the order's presentment currency.", [path, "returnShippingFee", "amount", "currencyCode"], "INVALID"),
        ],
      };
    if (fee && toMinor(fee.amount) < 0)
      return {
        return: null,
        userErrors: [userError("The return shipping fee can't be negative.", [path, "returnShippingFee", "amount"], "GREATER_THAN_OR_EQUAL_TO")],
      };
    // Exchange items: real variants, at least one unit, and stock to route them (as a checkout would).
    const exchangeLines: { variantId: number; quantity: number; inventoryItemId: number }[] = [];
    for (const [i, e] of (extras.exchangeLineItems ?? []).entries()) {
      const v = shop.variants.get(idOf("ProductVariant", e.variantId ?? "") ?? -1);
      if (!v)
        return { return: null, userErrors: [userError("Exchange variant does not exist.", [path, "exchangeLineItems", String(i), "variantId"], "NOT_FOUND")] };
      if (e.quantity < 1)
        return {
          return: null,
          userErrors: [userError("Quantity must be greater than 0.", [path, "exchangeLineItems", String(i), "quantity"], "GREATER_THAN")],
        };
      exchangeLines.push({ variantId: v.id, quantity: e.quantity, inventoryItemId: v.inventoryItemId });
    }
    const exchangeKeys = exchangeLines.map(() => ctx.standIn.ids.next());
    const exchangePlan = exchangeLines.length
      ? routeOrder(
          shop,
          exchangeLines.map((l, i) => ({ inventoryItemId: l.inventoryItemId, quantity: l.quantity, key: exchangeKeys[i]! })),
          order.shippingAddress,
        )
      : new Map<number, number[]>();
    if ("outOfStock" in exchangePlan)
      return { return: null, userErrors: [userError("An exchange item is out of stock.", [path, "exchangeLineItems"], "INVALID")] };
    const count = [...shop.returns.values()].filter((r) => r.orderId === order.id).length;
    const ret: Return = {
      id: ctx.standIn.ids.next(),
      orderId: order.id,
      name: `${order.name}-R${count + 1}`,
      status,
      createdAt: ctx.now.toISOString(),
      requestApprovedAt: status === "OPEN" ? ctx.now.toISOString() : null,
      closedAt: null,
      reverseFulfillmentOrderId: ctx.standIn.ids.next(),
      lines,
    };
    extraOf(ret).shippingFeeMinor = fee ? toMinor(fee.amount) : 0;
    extraOf(ret).shippingFeeId = fee ? ctx.standIn.ids.next() : null;
    const events: Announcement = [];
    addExchanges(order, ret, exchangeLines, exchangeKeys, exchangePlan, events);
    shop.returns.set(ret.id, ret);
    touch(order, ctx.now);
    ctx.announce([
      { topic: status === "REQUESTED" ? "returns/request" : "returns/approve", payload: returnPayload(ret) },
      ...events,
      ...(events.length ? [{ topic: "orders/updated", payload: orderPayload(shop, order, "orders/updated") }] : []),
    ]);
    return { return: presentReturn(shop, ret), userErrors: [] };
  }

  /** Once every returned item is processed, the exchange's AWAITING_RETURN_ITEMS hold goes. */
  function releaseExchangeHold(ret: Return, events: Announcement) {
    const fo = shop.fulfillmentOrders.get(extraOf(ret).exchangeFoId ?? -1);
    if (!fo || fo.status !== "ON_HOLD") return;
    fo.holds = fo.holds.filter((h) => h.reason !== "AWAITING_RETURN_ITEMS");
    if (fo.holds.length) return;
    fo.status = "OPEN";
    fo.updatedAt = ctx.now.toISOString();
    events.push({ topic: "fulfillment_orders/hold_released", payload: { fulfillment_order: foRef(fo) } });
  }

  return {
    returnRequest: ({ input }: { input: { orderId: string; returnLineItems: LineInput[]; returnShippingFee?: { amount: Money } } }) =>
      open("input", input.orderId, input.returnLineItems, "REQUESTED", { returnShippingFee: input.returnShippingFee }),
    returnCreate: ({
      returnInput,
    }: {
      returnInput: {
        orderId: string;
        returnLineItems: LineInput[];
        exchangeLineItems?: { variantId?: string; quantity: number }[];
        returnShippingFee?: { amount: Money };
      };
    }) =>
      open("returnInput", returnInput.orderId, returnInput.returnLineItems, "OPEN", {
        exchangeLineItems: returnInput.exchangeLineItems,
        returnShippingFee: returnInput.returnShippingFee,
      }),
    returnApproveRequest: ({ input }: { input: { id: string } }) => {
      const ret = returnOf(input.id);
      if (!ret) return { return: null, userErrors: [userError("Return does not exist.", ["input", "id"], "NOT_FOUND")] };
      if (ret.status !== "REQUESTED")
        return {
          return: null,
          userErrors: [userError(`Return is ${ret.status.toLowerCase()}; only a requested return can be approved.`, ["input", "id"], "INVALID_STATE")],
        };
      ret.status = "OPEN";
      ret.requestApprovedAt = ctx.now.toISOString();
      ctx.announce([{ topic: "returns/approve", payload: returnPayload(ret) }]);
      return { return: presentReturn(shop, ret), userErrors: [] };
    },
    returnDeclineRequest: ({ input }: { input: { id: string; declineReason: string; declineNote?: string } }) => {
      const ret = returnOf(input.id);
      if (!ret) return { return: null, userErrors: [userError("Return does not exist.", ["input", "id"], "NOT_FOUND")] };
      if (ret.status !== "REQUESTED")
        return {
          return: null,
          userErrors: [userError(`Return is ${ret.status.toLowerCase()}; only a requested return can be declined.`, ["input", "id"], "INVALID_STATE")],
        };
      if ((input.declineNote ?? "").length > 500)
        return { return: null, userErrors: [userError("Decline note is too long (maximum is 500 characters).", ["input", "declineNote"], "TOO_LONG")] };
      ret.status = "DECLINED";
      extraOf(ret).decline = { reason: input.declineReason, note: input.declineNote ?? null };
      ctx.announce([{ topic: "returns/decline", payload: declinePayload(ret) }]);
      return { return: presentReturn(shop, ret), userErrors: [] };
    },
    reverseDeliveryCreateWithShipping: (args: {
      reverseFulfillmentOrderId: string;
      reverseDeliveryLineItems: { reverseFulfillmentOrderLineItemId: string; quantity: number }[];
      trackingInput?: { number?: string; url?: string };
      labelInput?: { fileUrl: string };
    }) => {
      const ret = [...shop.returns.values()].find((r) => gid("ReverseFulfillmentOrder", r.reverseFulfillmentOrderId) === args.reverseFulfillmentOrderId);
      if (!ret)
        return { reverseDelivery: null, userErrors: [userError("Reverse fulfillment order does not exist.", ["reverseFulfillmentOrderId"], "NOT_FOUND")] };
      if (ret.status !== "OPEN")
        return { reverseDelivery: null, userErrors: [userError(`Return is ${ret.status.toLowerCase()}.`, ["reverseFulfillmentOrderId"], "INVALID_STATE")] };
      const lines = [];
      for (const [i, l] of args.reverseDeliveryLineItems.entries()) {
        const line = ret.lines.find((x) => gid("ReverseFulfillmentOrderLineItem", x.reverseLineId) === l.reverseFulfillmentOrderLineItemId);
        if (!line)
          return {
            reverseDelivery: null,
            userErrors: [
              userError(
                "Reverse fulfillment order line item does not exist.",
                ["reverseDeliveryLineItems", String(i), "reverseFulfillmentOrderLineItemId"],
                "NOT_FOUND",
              ),
            ],
          };
        if (l.quantity < 1 || l.quantity > line.quantity)
          return {
            reverseDelivery: null,
            userErrors: [userError("Quantity exceeds the line's quantity.", ["reverseDeliveryLineItems", String(i), "quantity"], "LESS_THAN_OR_EQUAL_TO")],
          };
        lines.push({ reverseLineId: line.reverseLineId, quantity: l.quantity });
      }
      const d: ReverseDelivery = {
        id: ctx.standIn.ids.next(),
        lines,
        tracking: args.trackingInput ? { number: args.trackingInput.number ?? null, url: args.trackingInput.url ?? null } : null,
        labelUrl: args.labelInput?.fileUrl ?? null,
        createdAt: ctx.now.toISOString(),
      };
      extraOf(ret).deliveries.push(d);
      ctx.announce([
        {
          topic: "reverse_deliveries/attach_deliverable",
          payload: {
            id: d.id,
            admin_graphql_api_id: gid("ReverseDelivery", d.id),
            return: { id: ret.id, admin_graphql_api_id: gid("Return", ret.id) },
            shipping_deliverable: {
              tracking: { carrier_name: null, tracking_number: d.tracking?.number ?? null, tracking_url: d.tracking?.url ?? null },
              label: { public_file_url: d.labelUrl, created_at: d.labelUrl ? d.createdAt : null },
            },
          },
        },
      ]);
      return { reverseDelivery: presentDelivery(ret, d), userErrors: [] };
    },
    returnProcess: ({ input }: { input: ProcessInput }) => {
      const ret = returnOf(input.returnId);
      if (!ret) return { return: null, userErrors: [userError("Return does not exist.", ["input", "returnId"], "NOT_FOUND")] };
      if (ret.status !== "OPEN")
        return {
          return: null,
          userErrors: [userError(`Return is ${ret.status.toLowerCase()} and cannot be processed.`, ["input", "returnId"], "INVALID_STATE")],
        };
      const order = shop.orders.get(ret.orderId)!;
      const x = extraOf(ret);
      // Check everything first: a refused process changes nothing.
      const plan: { line: Return["lines"][number]; quantity: number; dispositions: { type: string; quantity: number; locationId: number | null }[] }[] = [];
      for (const [i, item] of (input.returnLineItems ?? []).entries()) {
        const at = ["input", "returnLineItems", String(i)];
        const line = ret.lines.find((l) => gid("ReturnLineItem", l.id) === item.id);
        if (!line) return { return: null, userErrors: [userError("Return line item does not exist.", [...at, "id"], "NOT_FOUND")] };
        const already = plan.filter((p) => p.line === line).reduce((n, p) => n + p.quantity, 0);
        if (item.quantity < 1 || item.quantity > line.quantity - line.processedQuantity - already)
          return { return: null, userErrors: [userError("Quantity exceeds the processable quantity.", [...at, "quantity"], "LESS_THAN_OR_EQUAL_TO")] };
        const dispositions = [];
        for (const [j, d] of (item.dispositions ?? []).entries()) {
          if (d.reverseFulfillmentOrderLineItemId !== gid("ReverseFulfillmentOrderLineItem", line.reverseLineId))
            return {
              return: null,
              userErrors: [
                userError(
                  "The reverse fulfillment order line item does not belong to this return line item.",
                  [...at, "dispositions", String(j), "reverseFulfillmentOrderLineItemId"],
                  "INVALID",
                ),
              ],
            };
          const locationId = d.locationId ? idOf("Location", d.locationId) : null;
          if (d.dispositionType === "RESTOCKED" && (locationId === null || !shop.locations.has(locationId)))
            return { return: null, userErrors: [userError("A restock needs a valid location.", [...at, "dispositions", String(j), "locationId"], "INVALID")] };
          dispositions.push({ type: d.dispositionType, quantity: d.quantity, locationId });
        }
        if (dispositions.length && dispositions.reduce((n, d) => n + d.quantity, 0) !== item.quantity)
          return { return: null, userErrors: [userError("Disposition quantities must add up to the processed quantity.", [...at, "dispositions"], "INVALID")] };
        plan.push({ line, quantity: item.quantity, dispositions });
      }
      const exchangePlan: { line: ExchangeLine; quantity: number }[] = [];
      for (const [i, e] of (input.exchangeLineItems ?? []).entries()) {
        const line = x.exchanges.find((l) => gid("ExchangeLineItem", l.id) === e.id);
        if (!line)
          return { return: null, userErrors: [userError("Exchange line item does not exist.", ["input", "exchangeLineItems", String(i), "id"], "NOT_FOUND")] };
        if (e.quantity < 1 || e.quantity > line.quantity - line.processedQuantity)
          return {
            return: null,
            userErrors: [
              userError("Quantity exceeds the processable quantity.", ["input", "exchangeLineItems", String(i), "quantity"], "LESS_THAN_OR_EQUAL_TO"),
            ],
          };
        exchangePlan.push({ line, quantity: e.quantity });
      }
      const events: Announcement = [];
      const issue = input.financialTransfer?.issueRefund;
      if (issue || input.refundShipping) {
        const result = issueRefund({ ...ctx, announce: (ev) => events.push(...ev) }, order, {
          note: input.note ?? null,
          lines: plan.map((p) => ({ lineItemId: gid("LineItem", p.line.lineItemId), quantity: p.quantity, restockType: "NO_RESTOCK" })),
          gatewayMinor: (issue?.orderTransactions ?? []).reduce((n, t) => n + toMinor(t.transactionAmount.amount), 0),
          gateway: order.transactions.find((t) => gid("OrderTransaction", t.id) === issue?.orderTransactions[0]?.parentId)?.gateway ?? "bogus",
          storeCreditMinor: (issue?.refundMethods ?? []).reduce((n, m) => n + (m.storeCreditRefund ? toMinor(m.storeCreditRefund.amount.amount) : 0), 0),
          shipping: input.refundShipping
            ? {
                amountMinor: input.refundShipping.shippingRefundAmount ? toMinor(input.refundShipping.shippingRefundAmount.amount) : undefined,
                full: input.refundShipping.fullRefund ?? false,
              }
            : null,
          allowOverRefunding: issue?.allowOverRefunding ?? false,
          returnId: ret.id,
        });
        if ("errors" in result)
          return { return: null, userErrors: result.errors.map((e) => userError(e.message, ["input", "financialTransfer", ...e.field], "INVALID")) };
      }
      const dispose: {
        reverse_fulfillment_order_line_item: object;
        reverse_delivery_line_item: null;
        type: string;
        location: object | null;
        quantity: number;
      }[] = [];
      for (const p of plan) {
        for (const d of p.dispositions) {
          (p.line.dispositions ??= []).push(d);
          dispose.push({
            reverse_fulfillment_order_line_item: {
              id: p.line.reverseLineId,
              admin_graphql_api_id: gid("ReverseFulfillmentOrderLineItem", p.line.reverseLineId),
            },
            reverse_delivery_line_item: null,
            type: d.type.toLowerCase(),
            location: d.locationId ? { id: d.locationId, admin_graphql_api_id: gid("Location", d.locationId) } : null,
            quantity: d.quantity,
          });
          if (d.type !== "RESTOCKED" || d.locationId === null) continue;
          const li = order.lines.find((l) => l.id === p.line.lineItemId)!;
          if (!li.variantId) continue;
          const item = shop.variants.get(li.variantId)!.inventoryItemId;
          level(shop, item, d.locationId, ctx.now);
          events.push({
            topic: "inventory_levels/update",
            payload: inventoryLevelPayload(moveQuantity(shop, item, d.locationId, null, "available", d.quantity, ctx.now)),
          });
        }
        p.line.processedQuantity += p.quantity;
      }
      for (const e of exchangePlan) e.line.processedQuantity += e.quantity;
      if (dispose.length)
        events.push({
          topic: "reverse_fulfillment_orders/dispose",
          payload: {
            id: ret.reverseFulfillmentOrderId,
            admin_graphql_api_id: gid("ReverseFulfillmentOrder", ret.reverseFulfillmentOrderId),
            dispositions: dispose,
            total_dispositions: dispose.length,
          },
        });
      if (ret.lines.every((l) => l.processedQuantity === l.quantity)) {
        releaseExchangeHold(ret, events);
        if (x.exchanges.every((e) => e.processedQuantity === e.quantity)) {
          ret.status = "CLOSED";
          ret.closedAt = ctx.now.toISOString();
          events.push({ topic: "returns/close", payload: closePayload(ret) });
        }
      }
      touch(order, ctx.now);
      ctx.announce(events);
      return { return: presentReturn(shop, ret), userErrors: [] };
    },
  };
}

type ProcessInput = {
  returnId: string;
  returnLineItems?: {
    id: string;
    quantity: number;
    dispositions?: { reverseFulfillmentOrderLineItemId: string; quantity: number; locationId?: string; dispositionType: string }[];
  }[];
  exchangeLineItems?: { id: string; quantity: number }[];
  refundShipping?: { shippingRefundAmount?: Money; fullRefund?: boolean };
  note?: string;
  financialTransfer?: {
    issueRefund?: {
      allowOverRefunding?: boolean;
      orderTransactions: { transactionAmount: Money; parentId: string }[];
      refundMethods?: { storeCreditRefund?: { amount: Money } }[];
    };
  };
};
