// The Admin API calls of returns and refunds. Shopify's userErrors come back as values (never thrown).
import { parseMoney } from "~/domain/shared/money";
import type { FulfilledUnit } from "~/domain/returns/returnable";
import type { DeclineReason as DomainDeclineReason } from "~/domain/returns/status";
import type { AdminGraphql } from "./admin";
import { FO_RELEASE } from "./documents/fulfillment-orders";
import {
  FULFILLMENT_LINES_PAGE,
  ORDER_HOLDS,
  ORDER_MONEY,
  ORDER_RETURNABLES,
  ORDER_RETURNS_PAGE,
  REFUNDS_OF_UPDATED_ORDERS,
  REFUND_CREATE,
  REFUND_TRANSACTIONS_PAGE,
  RETURN_APPROVE,
  RETURN_CREATE,
  RETURN_DECLINE,
  RETURN_EXCHANGE_PAGE,
  RETURN_LINES_PAGE,
  RETURN_PROCESS,
  RETURN_READ,
  RETURN_REQUEST,
  RETURN_RFOS_PAGE,
  REVERSE_DELIVERY,
  RFO_LINES_PAGE,
  STOCK_STATE_ADJUST,
} from "./documents/returns";
import { allPages } from "./order-sync";
import type { OmsRefundFragment, OmsRefundsOfUpdatedOrdersQuery, OmsReturnFragment } from "~/types/admin.generated";
import type {
  CurrencyCode,
  OrderTransactionKind,
  RefundLineItemRestockType,
  ReturnDeclineReason,
  ReverseFulfillmentOrderDispositionType,
} from "~/types/admin.types";

// The schema's enums as literal unions (codegen emits them as enums in a .d.ts, which has no runtime value).
export type DeclineReason = DomainDeclineReason & `${ReturnDeclineReason}`;
export type DispositionType = `${ReverseFulfillmentOrderDispositionType}`;

export type Refused = { ok: false; message: string; code: string | null };
type Done<T> = { ok: true } & T;
const refused = (errors: readonly { message: string; code?: string | null }[]): Refused => ({
  ok: false,
  message: errors.map((e) => e.message).join("; "),
  code: errors[0]?.code ?? null,
});

export const minorOf = (amount: string | undefined | null, currency: string): bigint => {
  const m = parseMoney(amount ?? "0", currency);
  if (!m.ok) throw new Error(`Shopify sent an amount that is not money: ${amount} ${currency}`);
  return m.value.amount;
};

export type OrderReturnables = {
  orderId: string;
  name: string;
  currency: string;
  customerId: string | null;
  fulfilled: (FulfilledUnit & { inventoryItemId: string | null })[];
  returned: Map<string, number>;
  tracking: string[];
};

/** Lists (not connections) cannot be paged: a read that fills one is refused rather than cut short. */
const FULFILLMENTS_READ = 50;
const TRANSACTIONS_READ = 100;
const REFUNDS_READ = 25;

const vanished = (what: string): never => {
  throw new Error(`${what} could not be read to its last page (gone, or the read was refused)`);
};

export async function fetchReturnables(graphql: AdminGraphql, orderGid: string): Promise<OrderReturnables | null> {
  const res = await graphql(ORDER_RETURNABLES, { variables: { id: orderGid } });
  const { data } = await res.json();
  const o = data?.order;
  if (!o) return null;
  if (o.fulfillments.length >= FULFILLMENTS_READ)
    throw new Error(
      `order ${orderGid} has ${FULFILLMENTS_READ} or more fulfilments: more than one read returns, so its returnable units are not read (a partial read would under-count them)`,
    );
  const fulfilled = [];
  for (const f of o.fulfillments) {
    const page = async (after: string | null) =>
      (await (await graphql(FULFILLMENT_LINES_PAGE, { variables: { id: f.id, after } })).json()).data?.fulfillment?.fulfillmentLineItems ??
      vanished(`fulfilment ${f.id}`);
    const lines = await allPages(await page(null), page);
    fulfilled.push(
      ...lines.map((fl) => ({
        fulfillmentLineItemId: fl.id,
        sourceLineId: fl.lineItem.id,
        sku: fl.lineItem.sku ?? null,
        title: fl.lineItem.title,
        quantity: fl.quantity ?? 0,
        unitPriceMinor: minorOf(fl.lineItem.originalUnitPriceSet.shopMoney.amount, o.currencyCode),
        inventoryItemId: fl.lineItem.variant?.inventoryItem.id ?? null,
      })),
    );
  }
  const returns = await allPages(
    o.returns,
    async (after) =>
      (await (await graphql(ORDER_RETURNS_PAGE, { variables: { id: orderGid, after } })).json()).data?.order?.returns ?? vanished(`order ${orderGid}`),
  );
  const returned = new Map<string, number>();
  for (const r of returns) {
    if (r.status === "DECLINED" || r.status === "CANCELED") continue;
    const lines = await allPages<{ quantity?: number; fulfillmentLineItem?: { id: string } | null }>(
      r.returnLineItems,
      async (after) =>
        (await (await graphql(RETURN_LINES_PAGE, { variables: { id: r.id, after } })).json()).data?.return?.returnLineItems ?? vanished(`return ${r.id}`),
    );
    for (const l of lines) {
      if (!l.fulfillmentLineItem) continue;
      returned.set(l.fulfillmentLineItem.id, (returned.get(l.fulfillmentLineItem.id) ?? 0) + (l.quantity ?? 0));
    }
  }
  return {
    orderId: o.id,
    name: o.name,
    currency: o.currencyCode,
    customerId: o.customer?.id ?? null,
    fulfilled,
    returned,
    tracking: o.fulfillments.flatMap((f) => f.trackingInfo.map((t) => t.number ?? "").filter(Boolean)),
  };
}

export type ShopifyReturn = OmsReturnFragment;

export async function readReturn(graphql: AdminGraphql, id: string): Promise<ShopifyReturn | null> {
  const { data } = await (await graphql(RETURN_READ, { variables: { id } })).json();
  return data?.return ? wholeReturn(graphql, data.return) : null;
}

const lastPage = { hasNextPage: false, endCursor: null };

/** The return with every page of its lines, exchange lines and reverse fulfilment orders (and theirs) read. */
async function wholeReturn(graphql: AdminGraphql, ret: ShopifyReturn): Promise<ShopifyReturn> {
  const gone = () => vanished(`return ${ret.id}`);
  const returnLines = await allPages(
    ret.returnLineItems,
    async (after) => (await (await graphql(RETURN_LINES_PAGE, { variables: { id: ret.id, after } })).json()).data?.return?.returnLineItems ?? gone(),
  );
  const exchangeLines = await allPages(
    ret.exchangeLineItems,
    async (after) => (await (await graphql(RETURN_EXCHANGE_PAGE, { variables: { id: ret.id, after } })).json()).data?.return?.exchangeLineItems ?? gone(),
  );
  const rfos = await allPages(
    ret.reverseFulfillmentOrders,
    async (after) => (await (await graphql(RETURN_RFOS_PAGE, { variables: { id: ret.id, after } })).json()).data?.return?.reverseFulfillmentOrders ?? gone(),
  );
  const wholeRfos = [];
  for (const rfo of rfos) {
    const lines = await allPages(
      rfo.lineItems,
      async (after) =>
        (await (await graphql(RFO_LINES_PAGE, { variables: { id: rfo.id, after } })).json()).data?.reverseFulfillmentOrder?.lineItems ??
        vanished(`reverse fulfilment order ${rfo.id}`),
    );
    wholeRfos.push({ ...rfo, lineItems: { pageInfo: lastPage, nodes: lines } });
  }
  return {
    ...ret,
    returnLineItems: { pageInfo: lastPage, nodes: returnLines },
    exchangeLineItems: { pageInfo: lastPage, nodes: exchangeLines },
    reverseFulfillmentOrders: { pageInfo: lastPage, nodes: wholeRfos },
  };
}

export type ReturnLineInput = { fulfillmentLineItemId: string; quantity: number; restockingFeePercent: number; note: string | null };

export async function openReturn(
  graphql: AdminGraphql,
  mode: "request" | "create",
  input: {
    orderId: string;
    lines: readonly ReturnLineInput[];
    exchange: readonly { variantId: string; quantity: number }[];
    shippingFee: { amount: string; currencyCode: string } | null;
  },
): Promise<Done<{ ret: ShopifyReturn }> | Refused> {
  const fee = input.shippingFee ? { returnShippingFee: { amount: input.shippingFee as never } } : {};
  if (mode === "request") {
    const returnLineItems = input.lines.map((l) => ({
      fulfillmentLineItemId: l.fulfillmentLineItemId,
      quantity: l.quantity,
      ...(l.note ? { customerNote: l.note } : {}),
      ...(l.restockingFeePercent ? { restockingFee: { percentage: l.restockingFeePercent } } : {}),
    }));
    const { data } = await (await graphql(RETURN_REQUEST, { variables: { input: { orderId: input.orderId, returnLineItems, ...fee } } })).json();
    const p = data?.returnRequest;
    if (!p) throw new Error("returnRequest: empty response");
    return p.userErrors.length || !p.return ? refused(p.userErrors) : { ok: true, ret: await wholeReturn(graphql, p.return) };
  }
  const returnLineItems = input.lines.map((l) => ({
    fulfillmentLineItemId: l.fulfillmentLineItemId,
    quantity: l.quantity,
    ...(l.note ? { returnReasonNote: l.note } : {}),
    ...(l.restockingFeePercent ? { restockingFee: { percentage: l.restockingFeePercent } } : {}),
  }));
  const { data } = await (
    await graphql(RETURN_CREATE, {
      variables: {
        input: {
          orderId: input.orderId,
          returnLineItems,
          exchangeLineItems: input.exchange.map((e) => ({ variantId: e.variantId, quantity: e.quantity })),
          ...fee,
        },
      },
    })
  ).json();
  const p = data?.returnCreate;
  if (!p) throw new Error("returnCreate: empty response");
  return p.userErrors.length || !p.return ? refused(p.userErrors) : { ok: true, ret: await wholeReturn(graphql, p.return) };
}

export async function approveReturn(graphql: AdminGraphql, id: string): Promise<Done<object> | Refused> {
  const { data } = await (await graphql(RETURN_APPROVE, { variables: { id } })).json();
  const p = data?.returnApproveRequest;
  if (!p) throw new Error("returnApproveRequest: empty response");
  return p.userErrors.length ? refused(p.userErrors) : { ok: true };
}

export async function declineReturn(graphql: AdminGraphql, id: string, reason: DeclineReason, note: string | null): Promise<Done<object> | Refused> {
  const { data } = await (
    await graphql(RETURN_DECLINE, { variables: { input: { id, declineReason: reason as ReturnDeclineReason, ...(note ? { declineNote: note } : {}) } } })
  ).json();
  const p = data?.returnDeclineRequest;
  if (!p) throw new Error("returnDeclineRequest: empty response");
  return p.userErrors.length ? refused(p.userErrors) : { ok: true };
}

export async function attachReverseDelivery(
  graphql: AdminGraphql,
  rfoId: string,
  lines: readonly { reverseLineItemId: string; quantity: number }[],
  tracking: { number: string; url: string | null } | null,
  labelUrl: string | null,
): Promise<Done<object> | Refused> {
  const { data } = await (
    await graphql(REVERSE_DELIVERY, {
      variables: {
        id: rfoId,
        lines: lines.map((l) => ({ reverseFulfillmentOrderLineItemId: l.reverseLineItemId, quantity: l.quantity })),
        tracking: tracking ? { number: tracking.number, ...(tracking.url ? { url: tracking.url } : {}) } : null,
        label: labelUrl ? { fileUrl: labelUrl } : null,
      },
    })
  ).json();
  const p = data?.reverseDeliveryCreateWithShipping;
  if (!p) throw new Error("reverseDeliveryCreateWithShipping: empty response");
  return p.userErrors.length ? refused(p.userErrors) : { ok: true };
}

export type ProcessLine = {
  returnLineItemId: string;
  quantity: number;
  dispositions: { reverseLineItemId: string; quantity: number; locationId: string | null; type: DispositionType }[];
};

export async function processReturn(
  graphql: AdminGraphql,
  returnId: string,
  lines: readonly ProcessLine[],
  exchange: readonly { id: string; quantity: number }[],
  note: string | null,
): Promise<Done<{ status: string }> | Refused> {
  const input = {
    returnId,
    returnLineItems: lines.map((l) => ({
      id: l.returnLineItemId,
      quantity: l.quantity,
      dispositions: l.dispositions.map((d) => ({
        reverseFulfillmentOrderLineItemId: d.reverseLineItemId,
        quantity: d.quantity,
        dispositionType: d.type as ReverseFulfillmentOrderDispositionType,
        ...(d.locationId ? { locationId: d.locationId } : {}),
      })),
    })),
    exchangeLineItems: exchange.map((e) => ({ id: e.id, quantity: e.quantity })),
    ...(note ? { note } : {}),
  };
  const { data } = await (await graphql(RETURN_PROCESS, { variables: { input } })).json();
  const p = data?.returnProcess;
  if (!p) throw new Error("returnProcess: empty response");
  return p.userErrors.length || !p.return ? refused(p.userErrors) : { ok: true, status: p.return.status };
}

/** Units kept but not sellable (damaged, quality control), or restocked before a parcel is matched: on hand goes up in that state. */
export async function adjustStockState(
  graphql: AdminGraphql,
  name: "available" | "damaged" | "quality_control",
  changes: readonly { inventoryItemId: string; locationId: string; delta: number }[],
  key: string,
  reference: string,
): Promise<Done<object> | Refused> {
  const input = {
    reason: name === "damaged" ? "damaged" : name === "quality_control" ? "quality_control" : "restock",
    name,
    referenceDocumentUri: reference,
    changes: changes.map((c) => ({
      inventoryItemId: c.inventoryItemId,
      locationId: c.locationId,
      delta: c.delta,
      changeFromQuantity: null,
      ...(name === "available" ? {} : { ledgerDocumentUri: reference }),
    })),
  };
  const { data } = await (await graphql(STOCK_STATE_ADJUST, { variables: { input, key } })).json();
  const p = data?.inventoryAdjustQuantities;
  if (!p) throw new Error("inventoryAdjustQuantities: empty response");
  return p.userErrors.length ? refused(p.userErrors) : { ok: true };
}

export type ShopifyRefund = OmsRefundFragment;

export async function createRefund(
  graphql: AdminGraphql,
  key: string,
  /** Amounts in `currency`: the order's presentment currency (required by Shopify when it is not the shop's; null: the shop's). */
  input: {
    orderId: string;
    note: string | null;
    currency: string | null;
    lines: readonly { lineItemId: string; quantity: number }[];
    shipping: string | null;
    gateway: { amount: string; gateway: string; parentId: string | null } | null;
    storeCredit: { amount: string; currencyCode: string } | null;
  },
): Promise<Done<{ refund: ShopifyRefund }> | Refused> {
  const variables = {
    key,
    input: {
      orderId: input.orderId,
      ...(input.currency ? { currency: input.currency as CurrencyCode } : {}),
      ...(input.note ? { note: input.note } : {}),
      refundLineItems: input.lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity, restockType: "NO_RESTOCK" as RefundLineItemRestockType })),
      ...(input.shipping ? { shipping: { amount: input.shipping } } : {}),
      transactions: input.gateway
        ? [
            {
              orderId: input.orderId,
              amount: input.gateway.amount,
              gateway: input.gateway.gateway,
              kind: "REFUND" as OrderTransactionKind,
              ...(input.gateway.parentId ? { parentId: input.gateway.parentId } : {}),
            },
          ]
        : [],
      refundMethods: input.storeCredit ? [{ storeCreditRefund: { amount: input.storeCredit as never } }] : [],
    },
  };
  const { data } = await (await graphql(REFUND_CREATE, { variables })).json();
  const p = data?.refundCreate;
  if (!p) throw new Error("refundCreate: empty response");
  if (p.userErrors.length || !p.refund) return refused(p.userErrors);
  const refund = p.refund;
  const transactions = await allPages(
    refund.transactions,
    async (after) =>
      (await (await graphql(REFUND_TRANSACTIONS_PAGE, { variables: { id: refund.id, after } })).json()).data?.refund?.transactions ??
      vanished(`refund ${refund.id}`),
  );
  return { ok: true, refund: { ...refund, transactions: { pageInfo: lastPage, nodes: transactions } } };
}

export type OrderTransactions = {
  orderId: string;
  name: string;
  currency: string;
  presentmentCurrency: string;
  transactions: {
    id: string;
    kind: string;
    status: string;
    gateway: string;
    at: Date;
    parentId: string | null;
    amountMinor: bigint;
    presentmentMinor: bigint;
    presentmentCurrency: string;
  }[];
};

export async function fetchOrderTransactions(graphql: AdminGraphql, orderGid: string): Promise<OrderTransactions | null> {
  const { data } = await (await graphql(ORDER_MONEY, { variables: { id: orderGid } })).json();
  return data?.order ? transactionsOf(data.order) : null;
}

/** An order's money cannot be read: it has more transactions than one read returns. */
export class TooManyTransactions extends Error {
  override name = "TooManyTransactions";
}

/** What an order read's money selection (OmsOrderMoney's, or a line of the money sweep's bulk query) says: refused when it may be truncated. */
export function transactionsOf(o: {
  id: string;
  name: string;
  currencyCode: string;
  presentmentCurrencyCode: string;
  transactions: readonly {
    id: string;
    kind: string;
    status: string;
    gateway?: string | null;
    processedAt?: unknown;
    createdAt: unknown;
    parentTransaction?: { id: string } | null;
    amountSet: { shopMoney: { amount: unknown; currencyCode: string }; presentmentMoney: { amount: unknown; currencyCode: string } };
  }[];
}): OrderTransactions {
  if (o.transactions.length >= TRANSACTIONS_READ)
    throw new TooManyTransactions(
      `order ${o.id} has ${TRANSACTIONS_READ} or more transactions: more than one read returns, so its money is not read (a partial read would misstate it)`,
    );
  return {
    orderId: o.id,
    name: o.name,
    currency: o.currencyCode,
    presentmentCurrency: o.presentmentCurrencyCode,
    transactions: o.transactions.map((t) => ({
      id: t.id,
      kind: t.kind,
      status: t.status,
      gateway: t.gateway ?? "unknown",
      at: new Date(String(t.processedAt ?? t.createdAt)),
      parentId: t.parentTransaction?.id ?? null,
      amountMinor: minorOf(String(t.amountSet.shopMoney.amount), t.amountSet.shopMoney.currencyCode),
      presentmentMinor: minorOf(String(t.amountSet.presentmentMoney.amount), t.amountSet.presentmentMoney.currencyCode),
      presentmentCurrency: t.amountSet.presentmentMoney.currencyCode,
    })),
  };
}

/** Releases Shopify's AWAITING_RETURN_ITEMS holds on the order's exchange fulfillment orders (the exchange ships now). */
export async function releaseExchangeHolds(graphql: AdminGraphql, orderGid: string): Promise<{ released: number; errors: string[] }> {
  const { data } = await (await graphql(ORDER_HOLDS, { variables: { id: orderGid } })).json();
  const first = data?.order?.fulfillmentOrders;
  const fos = first
    ? await allPages(
        first,
        async (after) =>
          (await (await graphql(ORDER_HOLDS, { variables: { id: orderGid, after } })).json()).data?.order?.fulfillmentOrders ?? vanished(`order ${orderGid}`),
      )
    : [];
  let released = 0;
  const errors: string[] = [];
  for (const fo of fos) {
    const ids = fo.fulfillmentHolds.filter((h) => h.reason === "AWAITING_RETURN_ITEMS").map((h) => h.id);
    if (fo.status !== "ON_HOLD" || !ids.length) continue;
    const { data: rel } = await (await graphql(FO_RELEASE, { variables: { id: fo.id, holdIds: ids } })).json();
    const errs = rel?.fulfillmentOrderReleaseHold?.userErrors ?? [];
    if (errs.length) errors.push(...errs.map((e) => e.message));
    else released += 1;
  }
  return { released, errors };
}

export type ShopifyRefundSeen = { refundId: string; orderName: string; at: Date; amountMinor: bigint; currency: string };

/** Every refund Shopify has on the orders updated in [from, to), as Shopify reports them (for reconciliation). */
export async function fetchRefundsBetween(graphql: AdminGraphql, from: Date, to: Date): Promise<ShopifyRefundSeen[]> {
  const out: ShopifyRefundSeen[] = [];
  const query = `updated_at:>=${from.toISOString()} updated_at:<${to.toISOString()}`;
  let after: string | null = null;
  for (let page = 0; page < 200; page++) {
    const res = await graphql(REFUNDS_OF_UPDATED_ORDERS, { variables: { query, after } });
    const body: { data?: OmsRefundsOfUpdatedOrdersQuery } = await res.json();
    const orders = body.data?.orders;
    if (!orders) break;
    for (const o of orders.nodes) {
      if (o.refunds.length >= REFUNDS_READ)
        throw new Error(`order ${o.name} has ${REFUNDS_READ} or more refunds: more than one read returns, so the days are not reconciled from a partial read`);
      for (const r of o.refunds) {
        const at = new Date(r.createdAt ?? 0);
        if (at >= from && at < to)
          out.push({
            refundId: r.id,
            orderName: o.name,
            at,
            amountMinor: minorOf(r.totalRefundedSet.shopMoney.amount, r.totalRefundedSet.shopMoney.currencyCode),
            currency: r.totalRefundedSet.shopMoney.currencyCode,
          });
      }
    }
    if (!orders.pageInfo.hasNextPage) break;
    after = orders.pageInfo.endCursor ?? null;
  }
  return out;
}
