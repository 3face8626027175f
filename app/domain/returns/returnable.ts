// What can still be returned: Shopify returns fulfilled units only, and never the same unit twice.

export type FulfilledUnit = {
  fulfillmentLineItemId: string;
  sourceLineId: string;
  sku: string | null;
  title: string;
  quantity: number;
  unitPriceMinor: bigint;
};
/** Units already on a return that is not declined or cancelled, per fulfillment line item. */
export type AlreadyReturned = ReadonlyMap<string, number>;

export type Returnable = FulfilledUnit & { returnable: number };

export function returnableUnits(fulfilled: readonly FulfilledUnit[], returned: AlreadyReturned): Returnable[] {
  return fulfilled.map((f) => ({ ...f, returnable: Math.max(0, f.quantity - (returned.get(f.fulfillmentLineItemId) ?? 0)) }));
}

export type ReturnLineRequest = { fulfillmentLineItemId: string; quantity: number };
export type ReturnRequestError =
  | { code: "EMPTY" }
  | { code: "NOT_FULFILLED"; fulfillmentLineItemId: string }
  | { code: "TOO_MANY"; fulfillmentLineItemId: string; requested: number; returnable: number };

/** Checks a request against what is returnable; the same line twice is summed first. */
export function checkReturnRequest(units: readonly Returnable[], lines: readonly ReturnLineRequest[]): ReturnRequestError | null {
  const wanted = new Map<string, number>();
  for (const l of lines) if (l.quantity > 0) wanted.set(l.fulfillmentLineItemId, (wanted.get(l.fulfillmentLineItemId) ?? 0) + l.quantity);
  if (wanted.size === 0) return { code: "EMPTY" };
  for (const [id, quantity] of wanted) {
    const unit = units.find((u) => u.fulfillmentLineItemId === id);
    if (!unit) return { code: "NOT_FULFILLED", fulfillmentLineItemId: id };
    if (quantity > unit.returnable) return { code: "TOO_MANY", fulfillmentLineItemId: id, requested: quantity, returnable: unit.returnable };
  }
  return null;
}
