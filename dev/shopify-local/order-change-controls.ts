// /_dev controls for changes made outside the app: the merchant edits or cancels in Shopify admin,
// a fulfilment service answers a cancellation request. Orders and fulfilment orders are named by
// GID (URL-encoded) or by plain number alike.
import { z } from "zod";
import { gid } from "./gid";
import { answerCancellationRequest, cancelOrder, editFromAdmin, foByRef, orderByRef } from "./order-editing";
import type { StandIn } from "./standin";
import type { ShopState } from "./store";

type Answer = { status: number; body: unknown };

export function orderChangeControls(
  standIn: StandIn,
  shop: ShopState,
  method: string,
  rest: string,
  json: () => Record<string, unknown>,
  now: Date,
): Answer | null {
  if (method !== "POST") return null;
  const announce = (events: { topic: string; payload: unknown }[]) => standIn.announce(shop.domain, events);

  const edit = /^\/orders\/([^/]+)\/edit$/.exec(rest);
  if (edit) {
    const order = orderByRef(shop, decodeURIComponent(edit[1]!));
    if (!order) return { status: 404, body: { error: "no such order" } };
    const body = z.object({ sku: z.string(), quantity: z.number().int().nonnegative() }).parse(json());
    if (!order.lines.some((l) => l.sku === body.sku)) return { status: 404, body: { error: `no line for ${body.sku}` } };
    return { status: 200, body: editFromAdmin(standIn, shop, order, body.sku, body.quantity, now) };
  }

  const cancel = /^\/orders\/([^/]+)\/cancel$/.exec(rest);
  if (cancel) {
    const order = orderByRef(shop, decodeURIComponent(cancel[1]!));
    if (!order) return { status: 404, body: { error: "no such order" } };
    const body = z
      .object({
        restock: z.boolean().default(true),
        refund: z.boolean().default(false),
        reason: z.enum(["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"]).default("CUSTOMER"),
      })
      .parse(json());
    announce(cancelOrder(standIn, shop, order, { reason: body.reason, restock: body.restock, refund: body.refund }, now));
    return { status: 200, body: { cancelledAt: order.cancelledAt } };
  }

  const answer = /^\/fulfillment-orders\/([^/]+)\/cancellation-request\/(accept|reject)$/.exec(rest);
  if (answer) {
    const fo = foByRef(shop, decodeURIComponent(answer[1]!));
    if (!fo) return { status: 404, body: { error: "no such fulfillment order" } };
    const body = z.object({ message: z.string().optional() }).parse(json());
    announce(answerCancellationRequest(standIn, shop, fo, answer[2] === "accept", body.message ?? null, now));
    return { status: 200, body: { id: gid("FulfillmentOrder", fo.id), status: fo.status, requestStatus: fo.requestStatus } };
  }
  return null;
}
