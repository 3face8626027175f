import type {
  CountryCode,
  OrderCancelReason,
  OrderCreateFinancialStatus,
  OrderCreateInputsInventoryBehavior,
  OrderCreateOrderInput,
} from "~/types/admin.types";
import type { AdminGraphql } from "./admin";
import { MARKETPLACE_ORDER_CANCEL, MARKETPLACE_ORDER_CREATE, MARKETPLACE_ORDER_FIND } from "./documents/marketplace-orders";

export type MarketplaceOrderInput = {
  sourceName: string;
  sourceIdentifier: string;
  processedAt: string;
  currency: string;
  email: string | null;
  tags: string[];
  note: string;
  lines: { variantId: string | null; sku: string | null; title: string; quantity: number; unitPrice: string }[];
  shippingAddress: {
    name: string | null;
    address1: string | null;
    address2: string | null;
    city: string | null;
    provinceCode: string | null;
    zip: string | null;
    countryCode: string | null;
    phone: string | null;
  } | null;
};

export type CreateResult = { ok: true; orderId: string; name: string } | { ok: false; message: string };

/**
 * Creates a marketplace order in Shopify, paid (the marketplace collected), with no receipts (the
 * marketplace talks to its buyer) and inventory claimed ignoring policy: the OMS reserved the units
 * already, so Shopify commits them as it does for its own orders (each unit counted once: ATP is
 * on hand − max(reserved, committed)), and a unit the OMS held back from Shopify's available
 * cannot make Shopify refuse an order the OMS has accepted.
 */
export async function createMarketplaceOrder(graphql: AdminGraphql, o: MarketplaceOrderInput): Promise<CreateResult> {
  const [firstName, ...rest] = (o.shippingAddress?.name ?? "").split(" ");
  const a = o.shippingAddress;
  const order: OrderCreateOrderInput = {
    sourceName: o.sourceName,
    sourceIdentifier: o.sourceIdentifier,
    processedAt: o.processedAt,
    currency: o.currency as OrderCreateOrderInput["currency"],
    financialStatus: "PAID" as OrderCreateFinancialStatus,
    tags: o.tags,
    note: o.note,
    ...(o.email ? { email: o.email } : {}),
    lineItems: o.lines.map((l) => ({
      quantity: l.quantity,
      ...(l.variantId ? { variantId: l.variantId } : { title: l.title, sku: l.sku ?? undefined }),
      priceSet: { shopMoney: { amount: l.unitPrice, currencyCode: o.currency as never } },
    })),
    ...(a
      ? {
          shippingAddress: {
            firstName: firstName || null,
            lastName: rest.join(" ") || null,
            address1: a.address1,
            address2: a.address2,
            city: a.city,
            provinceCode: a.provinceCode,
            zip: a.zip,
            countryCode: (a.countryCode ?? undefined) as CountryCode | undefined,
            phone: a.phone,
          },
        }
      : {}),
  };
  const res = await graphql(MARKETPLACE_ORDER_CREATE, {
    variables: {
      order,
      options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" as OrderCreateInputsInventoryBehavior, sendReceipt: false, sendFulfillmentReceipt: false },
    },
  });
  const { data } = await res.json();
  const errors = data?.orderCreate?.userErrors ?? [];
  const created = data?.orderCreate?.order;
  if (errors.length || !created) return { ok: false, message: errors.map((e) => e.message).join("; ") || "Shopify created no order" };
  return { ok: true, orderId: created.id, name: created.name };
}

/**
 * The Shopify order an earlier run created for this marketplace order, if any: orderCreate takes no
 * idempotency key, so a run that stopped after Shopify created the order and before the OMS adopted
 * it would otherwise create it twice. Matched exactly (search terms can match loosely).
 */
export async function findMarketplaceOrder(
  graphql: AdminGraphql,
  sourceName: string,
  sourceIdentifier: string,
): Promise<{ orderId: string; name: string } | null> {
  const quoted = (v: string) => `"${v.replace(/["\\]/g, "")}"`;
  const query = `source_identifier:${quoted(sourceIdentifier)} source_name:${quoted(sourceName)}`;
  const read = async (after: string | null) => (await (await graphql(MARKETPLACE_ORDER_FIND, { variables: { query, after } })).json()).data?.orders;
  // Every page, until the exact one is found (a search can return near matches first).
  for (let orders = await read(null); orders; orders = await read(orders.pageInfo.endCursor ?? null)) {
    const found = orders.nodes.find((o) => o.sourceIdentifier === sourceIdentifier && o.sourceName === sourceName);
    if (found) return { orderId: found.id, name: found.name };
    if (!orders.pageInfo.hasNextPage || !orders.pageInfo.endCursor) return null;
  }
  return null;
}

export async function cancelMarketplaceOrder(
  graphql: AdminGraphql,
  orderId: string,
  note: string,
): Promise<{ ok: true } | { ok: false; message: string; code: string | null }> {
  const res = await graphql(MARKETPLACE_ORDER_CANCEL, { variables: { orderId, reason: "CUSTOMER" as OrderCancelReason, restock: true, staffNote: note } });
  const { data } = await res.json();
  const errors = data?.orderCancel?.orderCancelUserErrors ?? [];
  return errors.length ? { ok: false, message: errors.map((e) => e.message).join("; "), code: errors[0]?.code ?? null } : { ok: true };
}
