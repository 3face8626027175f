// returns/* webhooks: a return the customer asked for in Shopify (or another app created) becomes a
// ReturnCase; a known one follows Shopify's status (declined, cancelled, closed). Replays change nothing.
import { parseJsonExact } from "~/schemas/json";
import { returnPayloadSchema } from "~/schemas/shopify-order-payloads";
import { findOrderHead } from "../../db/orders";
import { createReturnCase, findReturnBySource, hasMatchingParcel, orderForRefund, transitionReturn } from "../../db/returns";
import type { StoredDelivery } from "../../db/webhook-deliveries";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { readReturn } from "../../shopify/returns";
import { exchangeLinesFromShopify, linesFromShopify, onTimeline, statusFromShopify } from "./shared";

/** Retriable: a parcel is being matched to this order right now; its return is about to be recorded. */
export class ParcelBeingMatchedError extends Error {
  override name = "ParcelBeingMatchedError";
}

export async function handleReturnWebhook(d: StoredDelivery, now: Date, graphql?: AdminGraphql): Promise<string> {
  const p = returnPayloadSchema.parse(parseJsonExact(d.body));
  const sourceId = p.admin_graphql_api_id;
  const shopifyStatus = p.status ? statusFromShopify(p.status.toUpperCase()) : null;
  const provenance = { at: now, actor: `shopify:webhook ${d.topic}`, source: "shopify" as const, deliveryId: d.id };
  const known = await findReturnBySource(d.shop, sourceId);
  if (known) {
    // Shopify's own end states win; the OMS's finer states (received) are kept otherwise.
    if ((shopifyStatus === "declined" || shopifyStatus === "cancelled") && known.status !== shopifyStatus) {
      if (await transitionReturn(known.id, ["requested", "in_transit"], known.version, { status: shopifyStatus, closedAt: now }))
        await onTimeline(known.orderId, d.shop, `Return ${known.name} ${shopifyStatus} in Shopify`, `return:${sourceId}:${shopifyStatus}`, provenance);
      return shopifyStatus;
    }
    if (shopifyStatus === "in_transit" && known.status === "requested") {
      if (await transitionReturn(known.id, ["requested"], known.version, { status: "in_transit" }))
        await onTimeline(known.orderId, d.shop, `Return ${known.name} approved in Shopify`, `return:${sourceId}:approved`, provenance);
      return "approved";
    }
    return "already known";
  }
  const orderGid = p.order?.admin_graphql_api_id ?? (p.order_id !== undefined ? `gid://shopify/Order/${p.order_id}` : null);
  const head = orderGid ? await findOrderHead(d.shop, orderGid) : null;
  if (!head) return "order unknown to the OMS";
  if (await hasMatchingParcel(head.id)) throw new ParcelBeingMatchedError(`return ${sourceId}: a parcel is being matched to this order`);
  const ret = await readReturn(graphql ?? (await adminFor(d.shop)), sourceId);
  if (!ret) return "return not found in Shopify";
  const order = await orderForRefund(d.shop, head.id);
  const currency = order?.currency ?? "USD";
  const { created } = await createReturnCase({
    shop: d.shop,
    orderId: head.id,
    orderName: order?.name ?? null,
    sourceId,
    name: ret.name,
    status: statusFromShopify(ret.status),
    reverseFulfillmentOrderId: ret.reverseFulfillmentOrders.nodes[0]?.id ?? null,
    declineReason: ret.decline ? `${ret.decline.reason}${ret.decline.note ? `: ${ret.decline.note}` : ""}` : null,
    exchangeLines: exchangeLinesFromShopify(ret, currency),
    currency,
    requestedBy: "shopify",
    createdAt: now,
    lines: linesFromShopify(ret, currency),
  });
  if (created)
    await onTimeline(
      head.id,
      d.shop,
      `Return ${ret.name} ${ret.status === "REQUESTED" ? "requested by the customer" : "opened"} in Shopify: ${ret.returnLineItems.nodes.reduce((n, l) => n + l.quantity, 0)} unit(s)`,
      `return:${sourceId}:opened`,
      provenance,
      "commerce",
    );
  return created ? "recorded" : "already known";
}
