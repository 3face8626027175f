import { sourceOrder } from "./source-order";
import type { OrderLine, SourcingRequest } from "./types";

/**
 * The sourcing decision as routing and the delivery promise both take it: the engine on the lines
 * in one canonical order. The engine's placement depends on line order (which line gets scarce
 * units first), and a cart's lines, an order's line items and its fulfilment-order lines arrive in
 * different orders with different ids; ordering them by what they are (item, group, quantity,
 * price, tags) makes the checkout promise and the allocation the same decision. Lines identical in
 * all of these are interchangeable, so their id only breaks the tie.
 */
export function decideSourcing(req: SourcingRequest) {
  return sourceOrder({ ...req, lines: canonicalLines(req.lines) });
}

const key = (l: OrderLine) =>
  [
    l.inventoryItemId,
    l.shipTogetherGroup ?? "",
    String(l.quantity).padStart(9, "0"),
    String(l.unitPriceMinor).padStart(12, "0"),
    [...l.productTags].sort().join(","),
  ].join("|");

export function canonicalLines(lines: readonly OrderLine[]): OrderLine[] {
  return lines
    .map((l) => ({ l, k: key(l) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.l.lineId < b.l.lineId ? -1 : a.l.lineId > b.l.lineId ? 1 : 0))
    .map((x) => x.l);
}
