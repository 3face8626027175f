import type { PaymentFacts, PaymentTx } from "~/domain/payments/consistency";
import { parseMoney } from "~/domain/shared/money";
import type { AdminGraphql } from "./admin";
import { ORDER_CAPTURE, ORDER_PAYMENTS } from "./documents/payments";

const minor = (amount: string, currency: string) => {
  const m = parseMoney(amount, currency);
  if (!m.ok) throw new Error(`unparseable amount ${amount} ${currency}`);
  return m.value.amount;
};

export type ShipmentLines = { unitPriceMinor: bigint; quantity: number }[];
export type OrderPayments = PaymentFacts & { fulfilled: boolean; shippingMinor: bigint; fulfillmentIds: string[]; shipments: Map<string, ShipmentLines> };

/** The order's transactions as Shopify has them now, or null if Shopify no longer has the order. */
export async function fetchOrderPayments(graphql: AdminGraphql, orderGid: string, omsOrderId: string): Promise<OrderPayments | null> {
  const res = await graphql(ORDER_PAYMENTS, { variables: { id: orderGid } });
  const { data } = await res.json();
  const o = data?.order;
  if (!o) return null;
  const c = o.currencyCode;
  const transactions: PaymentTx[] = o.transactions.map((t) => ({
    id: t.id,
    kind: t.kind,
    status: t.status,
    amountMinor: minor(t.amountSet.shopMoney.amount, c),
    at: new Date(t.processedAt ?? t.createdAt),
    parentId: t.parentTransaction?.id ?? null,
    authorizationExpiresAt: t.authorizationExpiresAt ? new Date(t.authorizationExpiresAt) : null,
  }));
  return {
    orderId: omsOrderId,
    orderName: o.name,
    currency: c,
    cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
    transactions,
    fulfilled: o.displayFulfillmentStatus === "FULFILLED",
    shippingMinor: minor(o.totalShippingPriceSet.shopMoney.amount, c),
    fulfillmentIds: [...o.fulfillments].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)).map((f) => f.id),
    // A shipment with more lines than one page is not split up by share: capture_shipment refuses it (shipments is missing it).
    shipments: new Map(
      o.fulfillments
        .filter((f) => !f.fulfillmentLineItems.pageInfo.hasNextPage)
        .map((f) => [
          f.id,
          f.fulfillmentLineItems.nodes.map((n) => ({ quantity: n.quantity ?? 0, unitPriceMinor: minor(n.lineItem.originalUnitPriceSet.shopMoney.amount, c) })),
        ]),
    ),
  };
}

export async function captureAmount(
  graphql: AdminGraphql,
  orderGid: string,
  parentTransactionId: string,
  amountMinor: bigint,
  currency: string,
  finalCapture: boolean,
): Promise<{ ok: true; transactionId: string } | { ok: false; message: string }> {
  const amount = (Number(amountMinor) / 100).toFixed(2);
  const res = await graphql(ORDER_CAPTURE, { variables: { input: { id: orderGid, parentTransactionId, amount, currency: currency as never, finalCapture } } });
  const { data } = await res.json();
  const r = data?.orderCapture;
  if (!r) return { ok: false, message: "orderCapture: empty response" };
  if (r.userErrors.length || !r.transaction) return { ok: false, message: r.userErrors.map((e) => e.message).join("; ") || "no transaction" };
  return { ok: true, transactionId: r.transaction.id };
}
