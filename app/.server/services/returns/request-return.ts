// Staff open a return for an order: checked against what Shopify says is returnable (fulfilled,
// not yet returned), created in Shopify (requested, or approved at once with returnCreate, which
// is also how exchanges are made), and recorded with its lines.
import { checkReturnRequest, returnableUnits, type ReturnLineRequest } from "~/domain/returns/returnable";
import type { ExchangePolicy } from "~/domain/returns/status";
import { formatMoney } from "~/domain/shared/money";
import { err, ok, type Result } from "~/domain/shared/result";
import { createReturnCase, markExchangeReleased, orderForRefund, variantIdBySku } from "../../db/returns";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { fetchReturnables, openReturn, releaseExchangeHolds } from "../../shopify/returns";
import { exchangeLinesFromShopify, linesFromShopify, onTimeline, staffProvenance, type ReturnError } from "./shared";

export type ReturnCommand = {
  shop: string;
  orderId: string;
  lines: ReturnLineRequest[];
  approveNow: boolean;
  reason: string | null;
  restockingFeePercent: number;
  shippingFeeMinor: bigint;
  /** Exchange items by variant or by SKU. */
  exchange: { variantId?: string; sku?: string; quantity: number }[];
  exchangePolicy: ExchangePolicy;
  instructions: string | null;
  actor: string;
};

export async function requestReturn(cmd: ReturnCommand, now: Date, graphql?: AdminGraphql): Promise<Result<{ returnId: string }, ReturnError>> {
  const order = await orderForRefund(cmd.shop, cmd.orderId);
  if (!order) return err({ code: "NOT_FOUND" });
  if (cmd.exchange.length && !cmd.approveNow)
    return err({ code: "INVALID", message: "an exchange is created approved (Shopify takes exchange items on returnCreate only)" });
  if (cmd.restockingFeePercent < 0 || cmd.restockingFeePercent > 100)
    return err({ code: "INVALID", message: "the restocking fee is a percentage from 0 to 100" });
  const exchange: { variantId: string; quantity: number }[] = [];
  for (const e of cmd.exchange.filter((x) => x.quantity > 0)) {
    const variantId = e.variantId ?? (e.sku ? await variantIdBySku(cmd.shop, e.sku) : null);
    if (!variantId) return err({ code: "INVALID", message: `no product variant with SKU ${e.sku ?? "?"}` });
    exchange.push({ variantId, quantity: e.quantity });
  }
  const admin = graphql ?? (await adminFor(cmd.shop));
  const returnables = await fetchReturnables(admin, order.sourceId);
  if (!returnables) return err({ code: "NOT_FOUND" });
  const problem = checkReturnRequest(returnableUnits(returnables.fulfilled, returnables.returned), cmd.lines);
  if (problem) {
    const message =
      problem.code === "EMPTY"
        ? "choose at least one unit to return"
        : problem.code === "NOT_FULFILLED"
          ? "that line has not shipped: only fulfilled units can be returned"
          : `only ${problem.returnable} of that line can still be returned (asked for ${problem.requested})`;
    return err({ code: "INVALID", message });
  }
  const opened = await openReturn(admin, cmd.approveNow ? "create" : "request", {
    orderId: order.sourceId,
    lines: cmd.lines.filter((l) => l.quantity > 0).map((l) => ({ ...l, restockingFeePercent: cmd.restockingFeePercent, note: cmd.reason })),
    exchange,
    shippingFee:
      cmd.shippingFeeMinor > 0n ? { amount: formatMoney({ amount: cmd.shippingFeeMinor, currency: order.currency }), currencyCode: order.currency } : null,
  });
  if (!opened.ok) return err({ code: "SHOPIFY_REFUSED", message: opened.message });
  const ret = opened.ret;
  const { id } = await createReturnCase({
    shop: cmd.shop,
    orderId: order.id,
    orderName: order.name,
    sourceId: ret.id,
    name: ret.name,
    status: cmd.approveNow ? "in_transit" : "requested",
    reason: cmd.reason,
    instructions: cmd.instructions,
    reverseFulfillmentOrderId: ret.reverseFulfillmentOrders.nodes[0]?.id ?? null,
    exchangePolicy: exchange.length ? cmd.exchangePolicy : null,
    exchangeLines: exchange.length ? exchangeLinesFromShopify(ret, order.currency) : null,
    restockingFeePercent: cmd.restockingFeePercent,
    returnShippingFeeMinor: cmd.shippingFeeMinor,
    currency: order.currency,
    requestedBy: cmd.actor,
    createdAt: now,
    lines: linesFromShopify(ret, order.currency),
  });
  const p = staffProvenance(cmd.actor, now);
  const units = cmd.lines.reduce((n, l) => n + l.quantity, 0);
  await onTimeline(
    order.id,
    cmd.shop,
    `Return ${ret.name} ${cmd.approveNow ? "created and approved" : "requested"}: ${units} unit(s)${exchange.length ? `, exchange for ${exchange.reduce((n, e) => n + e.quantity, 0)} unit(s) (ships ${cmd.exchangePolicy === "on_request" ? "now" : "on receipt"})` : ""}${cmd.reason ? ` — ${cmd.reason}` : ""}`,
    `return:${ret.id}:opened`,
    p,
  );
  if (exchange.length && cmd.exchangePolicy === "on_request") {
    const released = await releaseExchangeHolds(admin, order.sourceId);
    if (released.released) {
      await onTimeline(
        order.id,
        cmd.shop,
        `Exchange released to ship on request (${released.released} fulfilment order(s))`,
        `return:${ret.id}:exchange-released`,
        p,
      );
      await markExchangeReleased(id, now);
    }
  }
  return ok({ returnId: id });
}
