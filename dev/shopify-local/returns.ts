// Returns: returnRequest (REQUESTED) → returnApproveRequest (OPEN), or returnCreate (OPEN at once),
// then returnProcess with dispositions (restocked items go back to available). A return takes
// fulfilled, not-yet-returned quantities only.
import { connection, gid, idOf, moneyBag } from "./gid";
import { moveQuantity, touch, type Announcement } from "./operations";
import { inventoryLevelPayload } from "./payloads";
import { presentLineItem, presentOrder } from "./presenters";
import type { Return, ShopState } from "./store";
import type { StandIn } from "./standin";

type Ctx = { standIn: StandIn; shop: ShopState; now: Date; announce: (events: Announcement) => void };
type LineInput = { fulfillmentLineItemId: string; quantity: number; returnReason?: string; customerNote?: string; returnReasonNote?: string };
const userError = (message: string, field: string[], code: string) => ({ message, field, code });

export function presentReturn(shop: ShopState, r: Return) {
  const order = shop.orders.get(r.orderId)!;
  const fulfillmentLine = (id: number) => [...shop.fulfillments.values()].flatMap((f) => f.lines).find((l) => l.id === id)!;
  return {
    __typename: "Return",
    id: gid("Return", r.id),
    name: r.name,
    status: r.status,
    createdAt: r.createdAt,
    requestApprovedAt: r.requestApprovedAt,
    closedAt: r.closedAt,
    totalQuantity: r.lines.reduce((n, l) => n + l.quantity, 0),
    order: () => presentOrder(shop, order),
    returnShippingFees: [],
    returnLineItems: (args: { first?: number }) =>
      connection(
        r.lines.map((l) => {
          const li = order.lines.find((x) => x.id === l.lineItemId)!;
          const fl = fulfillmentLine(l.fulfillmentLineItemId);
          return {
            __typename: "ReturnLineItem",
            id: gid("ReturnLineItem", l.id),
            quantity: l.quantity,
            processedQuantity: l.processedQuantity,
            processableQuantity: l.quantity - l.processedQuantity,
            unprocessedQuantity: l.quantity - l.processedQuantity,
            refundableQuantity: l.quantity,
            refundedQuantity: 0,
            returnReason: l.returnReason,
            returnReasonNote: l.note ?? "",
            customerNote: l.note,
            fulfillmentLineItem: { id: gid("FulfillmentLineItem", fl.id), quantity: fl.quantity, lineItem: presentLineItem(shop, order, li.id), originalTotalSet: moneyBag(li.priceMinor * fl.quantity, order.currency), discountedTotalSet: moneyBag(li.priceMinor * fl.quantity, order.currency) },
            withCodeDiscountedTotalPriceSet: moneyBag(li.priceMinor * l.quantity, order.currency),
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
            lineItems: (a: { first?: number }) => connection(r.lines.map((l) => ({ __typename: "ReverseFulfillmentOrderLineItem", id: gid("ReverseFulfillmentOrderLineItem", l.reverseLineId), totalQuantity: l.quantity })), a),
          },
        ],
        args,
      ),
  };
}

const returnPayload = (r: Return) => ({
  id: r.id,
  admin_graphql_api_id: gid("Return", r.id),
  status: r.status.toLowerCase(),
  order: { id: r.orderId, admin_graphql_api_id: gid("Order", r.orderId) },
  total_return_line_items: r.lines.length,
  // Shopify's 2026-04 example and schema carry no name in these payloads (null); read it over GraphQL.
  name: null,
  return_line_items: [],
  return_shipping_fees: [],
  exchange_line_items: [],
  total_exchange_line_items: 0,
});

export function returnMutations(ctx: Ctx) {
  const { shop } = ctx;

  function open(orderGid: string, inputs: LineInput[], status: "REQUESTED" | "OPEN") {
    const order = shop.orders.get(idOf("Order", orderGid) ?? -1);
    if (!order) return { return: null, userErrors: [userError("Order does not exist.", ["orderId"], "NOT_FOUND")] };
    if (inputs.length === 0) return { return: null, userErrors: [userError("Return line items can't be blank.", ["returnLineItems"], "BLANK")] };
    const fulfillmentLines = [...shop.fulfillments.values()].filter((f) => f.orderId === order.id && f.status === "SUCCESS").flatMap((f) => f.lines);
    const alreadyReturned = (flId: number) =>
      [...shop.returns.values()].filter((r) => r.orderId === order.id && r.status !== "DECLINED" && r.status !== "CANCELED").flatMap((r) => r.lines).filter((l) => l.fulfillmentLineItemId === flId).reduce((n, l) => n + l.quantity, 0);
    const lines = [];
    for (const [i, input] of inputs.entries()) {
      const fl = fulfillmentLines.find((l) => gid("FulfillmentLineItem", l.id) === input.fulfillmentLineItemId);
      if (!fl) return { return: null, userErrors: [userError("Fulfillment line item does not exist or is not fulfilled.", ["returnLineItems", String(i), "fulfillmentLineItemId"], "NOT_FOUND")] };
      if (input.quantity < 1) return { return: null, userErrors: [userError("Quantity must be greater than 0.", ["returnLineItems", String(i), "quantity"], "GREATER_THAN")] };
      if (input.quantity > fl.quantity - alreadyReturned(fl.id)) {
        return { return: null, userErrors: [userError(`Quantity must be less than or equal to the returnable quantity ${fl.quantity - alreadyReturned(fl.id)}.`, ["returnLineItems", String(i), "quantity"], "LESS_THAN_OR_EQUAL_TO")] };
      }
      lines.push({ id: ctx.standIn.ids.next(), fulfillmentLineItemId: fl.id, lineItemId: fl.lineItemId, quantity: input.quantity, processedQuantity: 0, returnReason: input.returnReason ?? "UNKNOWN", note: input.customerNote ?? input.returnReasonNote ?? null, reverseLineId: ctx.standIn.ids.next() });
    }
    const count = [...shop.returns.values()].filter((r) => r.orderId === order.id).length;
    const ret: Return = { id: ctx.standIn.ids.next(), orderId: order.id, name: `${order.name}-R${count + 1}`, status, createdAt: ctx.now.toISOString(), requestApprovedAt: status === "OPEN" ? ctx.now.toISOString() : null, closedAt: null, reverseFulfillmentOrderId: ctx.standIn.ids.next(), lines };
    shop.returns.set(ret.id, ret);
    touch(order, ctx.now);
    ctx.announce([{ topic: status === "REQUESTED" ? "returns/request" : "returns/approve", payload: returnPayload(ret) }]);
    return { return: presentReturn(shop, ret), userErrors: [] };
  }

  return {
    returnRequest: ({ input }: { input: { orderId: string; returnLineItems: LineInput[] } }) => open(input.orderId, input.returnLineItems, "REQUESTED"),
    returnCreate: ({ returnInput }: { returnInput: { orderId: string; returnLineItems: LineInput[] } }) => open(returnInput.orderId, returnInput.returnLineItems, "OPEN"),
    returnApproveRequest: ({ input }: { input: { id: string } }) => {
      const ret = shop.returns.get(idOf("Return", input.id) ?? -1);
      if (!ret) return { return: null, userErrors: [userError("Return does not exist.", ["id"], "NOT_FOUND")] };
      if (ret.status !== "REQUESTED") return { return: null, userErrors: [userError(`Return is ${ret.status.toLowerCase()}; only a requested return can be approved.`, ["id"], "INVALID_STATE")] };
      ret.status = "OPEN";
      ret.requestApprovedAt = ctx.now.toISOString();
      ctx.announce([{ topic: "returns/approve", payload: returnPayload(ret) }]);
      return { return: presentReturn(shop, ret), userErrors: [] };
    },
    returnProcess: ({ input }: { input: { returnId: string; returnLineItems?: { id: string; quantity: number; dispositions?: { reverseFulfillmentOrderLineItemId: string; quantity: number; locationId?: string; dispositionType: string }[] }[] } }) => {
      const ret = shop.returns.get(idOf("Return", input.returnId) ?? -1);
      if (!ret) return { return: null, userErrors: [userError("Return does not exist.", ["returnId"], "NOT_FOUND")] };
      if (ret.status !== "OPEN") return { return: null, userErrors: [userError(`Return is ${ret.status.toLowerCase()} and cannot be processed.`, ["returnId"], "INVALID_STATE")] };
      const events: Announcement = [];
      for (const [i, item] of (input.returnLineItems ?? []).entries()) {
        const line = ret.lines.find((l) => gid("ReturnLineItem", l.id) === item.id);
        if (!line) return { return: null, userErrors: [userError("Return line item does not exist.", ["returnLineItems", String(i), "id"], "NOT_FOUND")] };
        if (item.quantity < 1 || item.quantity > line.quantity - line.processedQuantity) return { return: null, userErrors: [userError("Quantity exceeds the processable quantity.", ["returnLineItems", String(i), "quantity"], "LESS_THAN_OR_EQUAL_TO")] };
        for (const d of item.dispositions ?? []) {
          if (d.dispositionType !== "RESTOCKED") continue;
          const location = shop.locations.get(idOf("Location", d.locationId ?? "") ?? -1);
          if (!location) return { return: null, userErrors: [userError("A restock needs a valid location.", ["returnLineItems", String(i), "dispositions"], "INVALID")] };
          const li = shop.orders.get(ret.orderId)!.lines.find((l) => l.id === line.lineItemId)!;
          if (li.variantId) events.push({ topic: "inventory_levels/update", payload: inventoryLevelPayload(moveQuantity(shop, shop.variants.get(li.variantId)!.inventoryItemId, location.id, null, "available", d.quantity, ctx.now)) });
        }
        line.processedQuantity += item.quantity;
      }
      if (ret.lines.every((l) => l.processedQuantity === l.quantity)) {
        ret.status = "CLOSED";
        ret.closedAt = ctx.now.toISOString();
        events.push({ topic: "returns/close", payload: { id: ret.id, admin_graphql_api_id: gid("Return", ret.id), order_id: ret.orderId, status: "closed" } });
      }
      ctx.announce(events);
      return { return: presentReturn(shop, ret), userErrors: [] };
    },
  };
}
