import { parseMoney } from "~/domain/shared/money";
import type { OrderCancelReason, OrderTransactionKind } from "~/types/admin.types";
import type { AdminGraphql } from "./admin";
import {
  FO_REQUEST_CANCELLATION,
  ORDER_CANCEL,
  ORDER_EDIT_ADD_VARIANT,
  ORDER_EDIT_BEGIN,
  ORDER_EDIT_COMMIT,
  ORDER_EDIT_SET_QUANTITY,
  ORDER_PAYMENTS,
  ORDER_UPDATE_ADDRESS,
  REFUND_CREATE,
  VARIANT_SIBLINGS,
} from "./documents/changes";

// Shopify's answers to the OMS's changes after purchase. userErrors come back as a failed result
// with Shopify's words (the caller records them); nothing here throws for a business refusal.

export type ShopifyResult<T = object> = ({ ok: true } & T) | { ok: false; message: string };
const failed = (errors: readonly { message: string }[]) => ({ ok: false as const, message: errors.map((e) => e.message).join("; ") });

export async function cancelOrderInShopify(
  graphql: AdminGraphql,
  orderId: string,
  o: { restock: boolean; refund: boolean; reason: "CUSTOMER" | "STAFF" | "INVENTORY" | "OTHER"; note: string },
): Promise<ShopifyResult<{ alreadyCancelled: boolean }>> {
  const res = await graphql(ORDER_CANCEL, {
    variables: { id: orderId, restock: o.restock, refund: o.refund, reason: o.reason as OrderCancelReason, note: o.note },
  });
  const { data } = await res.json();
  const errors = data?.orderCancel?.orderCancelUserErrors ?? [];
  // A replay after Shopify already cancelled it is the outcome wanted, not a failure.
  if (errors.length && errors.every((e) => /already been cancel/i.test(e.message))) return { ok: true, alreadyCancelled: true };
  return errors.length ? failed(errors) : { ok: true, alreadyCancelled: false };
}

export type EditStep =
  { kind: "quantity"; lineItemId: string; quantity: number } | { kind: "add"; variantId: string; quantity: number; locationId: string | null };

/**
 * One order edit: begin, stage every step, commit. What the customer still owes afterwards comes
 * back in minor units (negative: a refund is owed).
 */
export async function editOrderInShopify(
  graphql: AdminGraphql,
  orderId: string,
  steps: readonly EditStep[],
  note: string,
): Promise<ShopifyResult<{ outstandingMinor: bigint; currency: string }>> {
  const begun = await (await graphql(ORDER_EDIT_BEGIN, { variables: { id: orderId } })).json();
  const b = begun.data?.orderEditBegin;
  if (!b?.calculatedOrder) return failed(b?.userErrors ?? [{ message: "orderEditBegin returned nothing" }]);
  const calc = b.calculatedOrder;
  for (const s of steps) {
    if (s.kind === "quantity") {
      // Calculated line items carry the line item's number under their own type.
      const calcLine = calc.lineItems.nodes.find((n) => n.id.split("/").pop() === s.lineItemId.split("/").pop());
      if (!calcLine) return { ok: false, message: `line ${s.lineItemId} is not editable` };
      const r = await (
        await graphql(ORDER_EDIT_SET_QUANTITY, { variables: { id: calc.id, lineItemId: calcLine.id, quantity: s.quantity, restock: true } })
      ).json();
      const errors = r.data?.orderEditSetQuantity?.userErrors ?? [];
      if (errors.length) return failed(errors);
    } else {
      const r = await (
        await graphql(ORDER_EDIT_ADD_VARIANT, { variables: { id: calc.id, variantId: s.variantId, quantity: s.quantity, locationId: s.locationId } })
      ).json();
      const errors = r.data?.orderEditAddVariant?.userErrors ?? [];
      if (errors.length) return failed(errors);
    }
  }
  const committed = await (await graphql(ORDER_EDIT_COMMIT, { variables: { id: calc.id, note } })).json();
  const c = committed.data?.orderEditCommit;
  if (!c?.order) return failed(c?.userErrors ?? [{ message: "orderEditCommit returned nothing" }]);
  const money = c.order.totalOutstandingSet.shopMoney;
  const parsed = parseMoney(money.amount.replace("-", ""), money.currencyCode);
  if (!parsed.ok) throw new Error(`unparseable amount ${money.amount}`);
  return { ok: true, outstandingMinor: money.amount.startsWith("-") ? -parsed.value.amount : parsed.value.amount, currency: money.currencyCode };
}

export type AddressInput = { address1: string; address2?: string | null; city: string; provinceCode: string; zip: string; countryCode: string };

export async function updateAddressInShopify(graphql: AdminGraphql, orderId: string, a: AddressInput): Promise<ShopifyResult> {
  const res = await graphql(ORDER_UPDATE_ADDRESS, {
    variables: {
      input: {
        id: orderId,
        shippingAddress: {
          address1: a.address1,
          address2: a.address2 ?? undefined,
          city: a.city,
          provinceCode: a.provinceCode,
          zip: a.zip,
          countryCode: a.countryCode as never,
        },
      },
    },
  });
  const { data } = await res.json();
  const errors = data?.orderUpdate?.userErrors ?? [];
  return errors.length ? failed(errors) : { ok: true };
}

export async function requestCancellation(
  graphql: AdminGraphql,
  fulfillmentOrderId: string,
  message: string,
): Promise<ShopifyResult<{ requestStatus: string }>> {
  const res = await graphql(FO_REQUEST_CANCELLATION, { variables: { id: fulfillmentOrderId, message } });
  const { data } = await res.json();
  const p = data?.fulfillmentOrderSubmitCancellationRequest;
  const errors = p?.userErrors ?? [];
  if (errors.length) {
    // Already asked (a replay): the request stands.
    if (errors.every((e) => /already been submitted/i.test(e.message))) return { ok: true, requestStatus: "CANCELLATION_REQUESTED" };
    return failed(errors);
  }
  return { ok: true, requestStatus: p?.fulfillmentOrder?.requestStatus ?? "CANCELLATION_REQUESTED" };
}

/** Refunds an amount to the original payment, once per key (refundCreate is @idempotent in 2026-04). */
export async function refundAmount(
  graphql: AdminGraphql,
  orderId: string,
  amountMinor: bigint,
  currency: string,
  note: string,
  key: string,
): Promise<ShopifyResult> {
  const payments = await (await graphql(ORDER_PAYMENTS, { variables: { id: orderId } })).json();
  const sale = payments.data?.order?.transactions.find((t) => (t.kind === "SALE" || t.kind === "CAPTURE") && t.status === "SUCCESS");
  if (!sale) return { ok: false, message: "the order has no captured payment to refund" };
  const amount = (Number(amountMinor) / 100).toFixed(2);
  const res = await graphql(REFUND_CREATE, {
    variables: {
      key,
      input: {
        orderId,
        note,
        currency: currency as never,
        transactions: [{ orderId, parentId: sale.id, gateway: sale.gateway ?? "manual", kind: "REFUND" as OrderTransactionKind, amount }],
      },
    },
  });
  const { data } = await res.json();
  const errors = data?.refundCreate?.userErrors ?? [];
  return errors.length ? failed(errors) : { ok: true };
}

/** The other variants of the line's product (a substitute's first candidates). */
export async function variantSiblings(graphql: AdminGraphql, variantId: string) {
  const res = await graphql(VARIANT_SIBLINGS, { variables: { id: variantId } });
  const { data } = await res.json();
  const p = data?.productVariant?.product;
  if (!p) return [];
  return p.variants.nodes
    .filter((v) => v.id !== variantId)
    .map((v) => ({ id: v.id, sku: v.sku ?? null, title: `${p.title} - ${v.title}`, price: v.price, inventoryItemId: v.inventoryItem.id }));
}
