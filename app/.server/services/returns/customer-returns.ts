// Returns asked for by the customer from their account (extensions/customer-returns, through
// /api/customer-returns): only for an order that is theirs (the session token's customer is the
// order's customer in Shopify), only for shipped units not already on a return, created in Shopify
// as a requested return (returnRequest) through the same path staff use, and once per request key.
import { returnableUnits } from "~/domain/returns/returnable";
import { err, ok, type Result } from "~/domain/shared/result";
import { claimCustomerRequest, completeCustomerRequest, releaseCustomerRequest } from "../../db/customer-returns";
import { findOrderHead } from "../../db/orders";
import { findReturn } from "../../db/returns";
import { adminFor } from "../../shopify/admin";
import { fetchReturnables, type OrderReturnables } from "../../shopify/returns";
import { requestReturn } from "./request-return";

/** The reasons a customer picks from; the text is what the returns desk reads. */
export const CUSTOMER_RETURN_REASONS = {
  size_too_small: "Size too small",
  size_too_large: "Size too large",
  unwanted: "No longer wanted",
  not_as_described: "Not as described",
  wrong_item: "Wrong item received",
  defective: "Damaged or defective",
  other: "Other",
} as const;
export type CustomerReturnReason = keyof typeof CUSTOMER_RETURN_REASONS;

export type CustomerReturnable = { orderName: string; lines: { fulfillmentLineItemId: string; title: string; sku: string | null; returnable: number }[] };

/** Customer GIDs as the token carries them (gid://shopify/Customer/1) or as a bare number. */
const sameCustomer = (a: string | null, b: string) => !!a && a.split("/").pop() === b.split("/").pop();

async function ownOrder(shop: string, customerId: string, orderGid: string): Promise<{ omsOrderId: string; read: OrderReturnables } | null> {
  const head = await findOrderHead(shop, orderGid);
  if (!head) return null;
  const read = await fetchReturnables(await adminFor(shop), orderGid);
  if (!read || !sameCustomer(read.customerId, customerId)) return null;
  return { omsOrderId: head.id, read };
}

/** What the customer may still return on their order (null: no such order of theirs). */
export async function customerReturnables(shop: string, customerId: string, orderGid: string): Promise<CustomerReturnable | null> {
  const own = await ownOrder(shop, customerId, orderGid);
  if (!own) return null;
  const units = returnableUnits(own.read.fulfilled, own.read.returned);
  return {
    orderName: own.read.name,
    lines: units
      .filter((u) => u.returnable > 0)
      .map((u) => ({ fulfillmentLineItemId: u.fulfillmentLineItemId, title: u.title, sku: u.sku, returnable: u.returnable })),
  };
}

export type CustomerReturnInput = {
  requestKey: string;
  orderId: string;
  lines: { fulfillmentLineItemId: string; quantity: number }[];
  reason: CustomerReturnReason;
  note: string | null;
};
export type CustomerReturnError = { code: "NOT_FOUND" } | { code: "IN_PROGRESS" } | { code: "REFUSED"; message: string };

export async function requestCustomerReturn(
  shop: string,
  customerId: string,
  input: CustomerReturnInput,
  now: Date,
): Promise<Result<{ returnId: string; returnName: string | null; replayed: boolean }, CustomerReturnError>> {
  const own = await ownOrder(shop, customerId, input.orderId);
  if (!own) return err({ code: "NOT_FOUND" });
  const claim = await claimCustomerRequest({ shop, requestKey: input.requestKey, customerId, orderId: own.omsOrderId, at: now });
  if (!claim.claimed) {
    if (claim.row.customerId !== customerId || claim.row.orderId !== own.omsOrderId)
      return err({ code: "REFUSED", message: "this request key was used for another request" });
    if (claim.row.status === "requested" && claim.row.returnId) return ok({ returnId: claim.row.returnId, returnName: claim.row.returnName, replayed: true });
    return err({ code: "IN_PROGRESS" });
  }
  const reason = CUSTOMER_RETURN_REASONS[input.reason] + (input.note ? `: ${input.note}` : "");
  let done;
  try {
    done = await requestReturn(
      {
        shop,
        orderId: own.omsOrderId,
        lines: input.lines,
        approveNow: false,
        reason,
        restockingFeePercent: 0,
        shippingFeeMinor: 0n,
        exchange: [],
        exchangePolicy: "on_receipt",
        instructions: null,
        actor: `customer:${customerId.split("/").pop()}`,
      },
      now,
    );
  } catch (e) {
    await releaseCustomerRequest(claim.id);
    throw e;
  }
  if (!done.ok) {
    await releaseCustomerRequest(claim.id);
    return err(done.error.code === "NOT_FOUND" ? { code: "NOT_FOUND" } : { code: "REFUSED", message: done.error.message });
  }
  const r = await findReturn(shop, done.value.returnId);
  await completeCustomerRequest(claim.id, done.value.returnId, r?.name ?? null);
  return ok({ returnId: done.value.returnId, returnName: r?.name ?? null, replayed: false });
}
