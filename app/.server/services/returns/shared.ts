// Small helpers the return commands share.
import type { Owner } from "~/domain/order/lifecycle";
import { exchangeDifference, exchangeHeldMinor, type ExchangeDifference } from "~/domain/returns/exchange";
import { recordTimeline, type Provenance } from "../../db/orders";
import { exchangeReturnsOfOrder } from "../../db/returns";
import type { ShopifyReturn } from "../../shopify/returns";
import { minorOf } from "../../shopify/returns";

export type ReturnError =
  { code: "NOT_FOUND" } | { code: "CHANGED"; message: string } | { code: "INVALID"; message: string } | { code: "SHOPIFY_REFUSED"; message: string };

export const staffProvenance = (actor: string, at: Date): Provenance => ({ at, actor, source: "user", deliveryId: null });

export async function onTimeline(orderId: string | null, shop: string, summary: string, dedupeKey: string, p: Provenance, owner: Owner = "oms") {
  if (!orderId) return;
  await recordTimeline(orderId, shop, [{ kind: "return", summary, fromState: null, toState: null, owner, dedupeKey }], p);
}

/** The return's lines as the OMS stores them, from Shopify's return. */
/** An exchange line as kept on the return (JSON): the unit price as Shopify priced the exchange line, in minor units as a string. */
export type ExchangeLineKept = { variantId: string; quantity: number; unitPriceMinor: string | null };

/** The return's exchange lines with what each unit costs (to compute the price difference), or null without any. */
export function exchangeLinesFromShopify(ret: ShopifyReturn, currency: string): string | null {
  if (!ret.exchangeLineItems.nodes.length) return null;
  const kept: ExchangeLineKept[] = ret.exchangeLineItems.nodes.map((e) => {
    const price = e.lineItems?.[0]?.originalUnitPriceSet.shopMoney.amount;
    return { variantId: e.variantId ?? "", quantity: e.quantity ?? 0, unitPriceMinor: price == null ? null : minorOf(price, currency).toString() };
  });
  return JSON.stringify(kept);
}

/** The price difference of a return's exchange (null: no exchange, or an exchange unit without a known price). */
export function exchangeDifferenceOf(r: {
  exchangeLines: string | null;
  lines: readonly { unitPriceMinor: bigint; quantity: number }[];
}): ExchangeDifference | null {
  if (!r.exchangeLines) return null;
  const kept = JSON.parse(r.exchangeLines) as Partial<ExchangeLineKept>[];
  if (!kept.length || kept.some((e) => e.unitPriceMinor == null)) return null;
  return exchangeDifference(
    r.lines,
    kept.map((e) => ({ unitPriceMinor: BigInt(e.unitPriceMinor!), quantity: e.quantity ?? 0 })),
  );
}

/** The value of the order's exchange items its captured money stands for (not refundable as money). */
export async function exchangeHeldOf(orderId: string): Promise<bigint> {
  const returns = await exchangeReturnsOfOrder(orderId);
  return exchangeHeldMinor(
    returns.map((r) => ({
      status: r.status,
      exchange: (JSON.parse(r.exchangeLines ?? "[]") as Partial<ExchangeLineKept>[]).map((e) => ({
        unitPriceMinor: e.unitPriceMinor == null ? null : BigInt(e.unitPriceMinor),
        quantity: e.quantity ?? 0,
      })),
      returned: r.lines,
    })),
  );
}

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
