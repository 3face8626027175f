// Small helpers the return commands share.
import type { Owner } from "~/domain/order/lifecycle";
import { recordTimeline, type Provenance } from "../../db/orders";
import type { ShopifyReturn } from "../../shopify/returns";
import { minorOf } from "../../shopify/returns";

export type ReturnError =
  | { code: "NOT_FOUND" }
  | { code: "CHANGED"; message: string }
  | { code: "INVALID"; message: string }
  | { code: "SHOPIFY_REFUSED"; message: string };

export const staffProvenance = (actor: string, at: Date): Provenance => ({ at, actor, source: "user", deliveryId: null });

export async function onTimeline(orderId: string | null, shop: string, summary: string, dedupeKey: string, p: Provenance, owner: Owner = "oms") {
  if (!orderId) return;
  await recordTimeline(orderId, shop, [{ kind: "return", summary, fromState: null, toState: null, owner, dedupeKey }], p);
}

/** The return's lines as the OMS stores them, from Shopify's return. */
export function linesFromShopify(ret: ShopifyReturn, currency: string) {
  const rfoLines = ret.reverseFulfillmentOrders.nodes.flatMap((r) => r.lineItems.nodes);
  return ret.returnLineItems.nodes.flatMap((l) => {
    if (!("fulfillmentLineItem" in l) || !l.fulfillmentLineItem) return [];
    const fl = l.fulfillmentLineItem;
    return [
      {
        sourceLineId: fl.lineItem.id,
        fulfillmentLineItemId: fl.id,
        returnLineItemId: l.id,
        reverseLineItemId: rfoLines.find((r) => r.fulfillmentLineItem?.id === fl.id)?.id ?? null,
        sku: fl.lineItem.sku ?? null,
        inventoryItemId: fl.lineItem.variant?.inventoryItem.id ?? null,
        title: fl.lineItem.title,
        quantity: l.quantity,
        unitPriceMinor: minorOf(fl.lineItem.originalUnitPriceSet.shopMoney.amount, currency),
      },
    ];
  });
}

export const statusFromShopify = (s: string): "requested" | "in_transit" | "declined" | "closed" | "cancelled" =>
  s === "REQUESTED" ? "requested" : s === "DECLINED" ? "declined" : s === "CLOSED" ? "closed" : s === "CANCELED" ? "cancelled" : "in_transit";
