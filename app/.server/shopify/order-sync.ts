import { parseMoney } from "~/domain/shared/money";
import { channelFromSourceName, type OrderSnapshot } from "~/domain/order/snapshot";
import type { FulfillmentFact, GroupSnapshot } from "~/domain/order/fulfillment-progress";
import type { AdminGraphql } from "./admin";
import { NonRetriableError } from "../errors";
import {
  FULFILLMENT_ORDER_LINES_PAGE,
  FULFILLMENT_ORDER_OWNER,
  ORDERS_FOR_BACKFILL,
  ORDER_FOR_SYNC,
  ORDER_FULFILLMENT_ORDERS_PAGE,
  ORDER_FULFILMENT_FOR_SYNC,
  ORDER_LINE_ITEMS_PAGE,
  PRODUCT_TAGS_BY_ITEM,
} from "./documents/order-sync";
import type { OrderFulfilmentForSyncQuery } from "~/types/admin.generated";
import type { RiskLevel } from "~/domain/order/release-rules";

/** attributes: the order's cart attributes (the delivery promise travels in one). */
export type OrderFromShopify = {
  snapshot: OrderSnapshot;
  groups: GroupSnapshot[];
  fulfillments: FulfillmentFact[];
  attributes: { key: string; value: string }[];
  gate: GateFacts;
};
/** What the release rules need from Shopify beyond the OMS's own record of the order. */
export type GateFacts = {
  financialStatus: string | null;
  risk: { level: RiskLevel; recommendation: string } | null;
  paymentTerms: { name: string; overdue: boolean } | null;
  /** The latest date a SCHEDULED fulfilment order (a selling plan's later fulfilment) opens. */
  scheduledUntil: Date | null;
};

type GateSource = Pick<FulfilmentSide, "displayFinancialStatus" | "risk" | "paymentTerms" | "fulfillmentOrders">;
const RISK_ORDER: RiskLevel[] = ["HIGH", "MEDIUM", "LOW", "NONE", "PENDING"];

function gateOf(o: GateSource): GateFacts {
  // The highest level any provider assessed (Shopify's own and risk apps'); none: not assessed.
  const levels = o.risk.assessments.map((a) => a.riskLevel as RiskLevel);
  const level = RISK_ORDER.find((l) => levels.includes(l)) ?? null;
  const scheduled = o.fulfillmentOrders.nodes.filter((fo) => fo.status === "SCHEDULED" && fo.fulfillAt).map((fo) => new Date(fo.fulfillAt as string).getTime());
  return {
    financialStatus: o.displayFinancialStatus ? o.displayFinancialStatus.toLowerCase() : null,
    risk: level ? { level, recommendation: o.risk.recommendation } : null,
    paymentTerms: o.paymentTerms ? { name: o.paymentTerms.paymentTermsName, overdue: o.paymentTerms.overdue } : null,
    scheduledUntil: scheduled.length ? new Date(Math.max(...scheduled)) : null,
  };
}

const FULFILLMENT_STATUS: Record<string, string> = { FULFILLED: "fulfilled", PARTIALLY_FULFILLED: "partial", RESTOCKED: "restocked" };

function minor(amount: string, currency: string): bigint {
  const parsed = parseMoney(amount, currency);
  if (!parsed.ok) throw new Error(`unparseable amount ${amount} ${currency}`);
  return parsed.value.amount;
}

/** The whole order as Shopify has it now, or null if Shopify no longer has it. */
export async function fetchOrderFromShopify(graphql: AdminGraphql, orderId: string, withTags = true): Promise<OrderFromShopify | null> {
  const o = await readWithPages(
    async (withPageInfo) => (await (await graphql(ORDER_FOR_SYNC, { variables: { id: orderId, withTags, withPageInfo } })).json()).data?.order,
  );
  if (!o) return null;
  const currency = o.currencyCode;
  const lineItems = await allPages(paged(o.lineItems, FIRST.lineItems), async (after) => {
    const page = (await (await graphql(ORDER_LINE_ITEMS_PAGE, { variables: { id: orderId, after } })).json()).data?.order?.lineItems;
    if (!page) throw new Error(`order ${orderId} vanished while its line items were read`);
    return page;
  });
  const a = o.shippingAddress;
  return {
    snapshot: {
      sourceId: o.id,
      name: o.name,
      channel: channelFromSourceName(o.sourceName),
      placedAt: new Date(o.createdAt),
      updatedAt: new Date(o.updatedAt),
      cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
      financialStatus: o.displayFinancialStatus ? o.displayFinancialStatus.toLowerCase() : null,
      fulfillmentStatus: FULFILLMENT_STATUS[o.displayFulfillmentStatus] ?? null,
      currency,
      totalMinor: minor(o.currentTotalPriceSet.shopMoney.amount, currency),
      email: o.email ?? null,
      customerName: [o.customer?.firstName, o.customer?.lastName].filter(Boolean).join(" ") || null,
      shippingAddress: a
        ? {
            name: a.name ?? null,
            company: a.company ?? null,
            address1: a.address1 ?? null,
            address2: a.address2 ?? null,
            city: a.city ?? null,
            provinceCode: a.provinceCode ?? null,
            zip: a.zip ?? null,
            countryCode: a.countryCodeV2 ?? null,
            phone: a.phone ?? null,
            latitude: a.latitude ?? null,
            longitude: a.longitude ?? null,
          }
        : null,
      tags: o.tags,
      lines: lineItems.map((l) => ({
        sourceLineId: l.id,
        sku: l.sku ?? null,
        title: l.title,
        variantId: l.variant?.id ?? null,
        quantity: l.quantity,
        currentQuantity: l.currentQuantity,
        unitPriceMinor: minor(l.originalUnitPriceSet.shopMoney.amount, currency),
      })),
    },
    ...(await fulfilmentOf(graphql, orderId, o, withTags, null)),
    attributes: o.customAttributes.map((x) => ({ key: x.key, value: x.value ?? "" })),
    gate: gateOf(o),
  };
}

type FulfilmentSide = NonNullable<OrderFulfilmentForSyncQuery["order"]>;
export type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes: T[] };

/**
 * The first pages' sizes in the sync documents (`first:` in ORDER_FOR_SYNC and
 * ORDER_FULFILMENT_FOR_SYNC; test/graphql-documents checks they agree): a page read without its
 * pageInfo is taken as the last only when it came back shorter than this.
 */
export const FIRST = { lineItems: 50, fulfillmentOrders: 5, fulfillmentOrderLines: 25 } as const;

type FirstPages = {
  lineItems?: { nodes: unknown[] };
  fulfillmentOrders: { nodes: { lineItems: { nodes: unknown[] } }[] };
};

/**
 * An order read first without its connections' pageInfo (a point each: two for a one-location
 * order), as a page shorter than its `first` is the last. When a page came back full there may be
 * more: the order is read again with the pageInfo, and followed to the end by its cursors.
 */
async function readWithPages<O extends FirstPages>(read: (withPageInfo: boolean) => Promise<O | null | undefined>): Promise<O | null> {
  const first = await read(false);
  if (!first) return null;
  const full =
    (first.lineItems?.nodes.length ?? 0) >= FIRST.lineItems ||
    first.fulfillmentOrders.nodes.length >= FIRST.fulfillmentOrders ||
    first.fulfillmentOrders.nodes.some((fo) => fo.lineItems.nodes.length >= FIRST.fulfillmentOrderLines);
  return full ? ((await read(true)) ?? null) : first;
}

/** A connection's page as read: with its pageInfo, or without it when it came back short (then the last). */
function paged<T>(c: { pageInfo?: Page<T>["pageInfo"] | null; nodes: T[] }, first: number): Page<T> {
  if (c.pageInfo) return { pageInfo: c.pageInfo, nodes: c.nodes };
  if (c.nodes.length >= first) throw new Error(`a full page (${c.nodes.length}) was read without its pageInfo`);
  return { pageInfo: { hasNextPage: false, endCursor: null }, nodes: c.nodes };
}

/** Every node of a connection: the first page as read, then each next page by its cursor. */
export async function allPages<T>(first: Page<T>, next: (after: string) => Promise<Page<T>>): Promise<T[]> {
  const nodes = [...first.nodes];
  let info = first.pageInfo;
  while (info.hasNextPage) {
    if (!info.endCursor) throw new Error("a page with more after it has no end cursor");
    const page = await next(info.endCursor);
    nodes.push(...page.nodes);
    info = page.pageInfo;
  }
  return nodes;
}

/** As many fulfilments as the sync documents ask for (a list, not a connection: it cannot be paged). */
const FULFILLMENTS_READ = 50;

/**
 * Fulfilment orders (the OMS's groups) and fulfilments, as both sync documents select them, read to
 * the end: the groups a sync writes replace the order's groups, and a group a truncated read missed
 * would be deleted and its stock released.
 */
async function fulfilmentOf(
  graphql: AdminGraphql,
  orderId: string,
  o: Pick<FulfilmentSide, "fulfillmentOrders" | "fulfillments">,
  withTags: boolean,
  lineIdBySku: ReadonlyMap<string, string> | null,
): Promise<{ groups: GroupSnapshot[]; fulfillments: FulfillmentFact[] }> {
  const withLineIds = lineIdBySku === null;
  if (o.fulfillments.length >= FULFILLMENTS_READ)
    throw new NonRetriableError(
      `order ${orderId} has ${FULFILLMENTS_READ} or more fulfilments: more than one read returns, so it is not synced (a partial read would lose fulfilment facts)`,
    );
  const fos = await allPages(paged(o.fulfillmentOrders, FIRST.fulfillmentOrders), async (after) => {
    const page = (await (await graphql(ORDER_FULFILLMENT_ORDERS_PAGE, { variables: { id: orderId, after, withTags, withLineIds } })).json()).data?.order
      ?.fulfillmentOrders;
    if (!page) throw new Error(`order ${orderId} vanished while its fulfilment orders were read`);
    return page;
  });
  const groups: GroupSnapshot[] = [];
  for (const fo of fos) {
    const lines = await allPages(paged(fo.lineItems, FIRST.fulfillmentOrderLines), async (after) => {
      const page = (await (await graphql(FULFILLMENT_ORDER_LINES_PAGE, { variables: { id: fo.id, after, withTags, withLineIds } })).json()).data
        ?.fulfillmentOrder?.lineItems;
      if (!page) throw new Error(`fulfilment order ${fo.id} vanished while its lines were read`);
      return page;
    });
    groups.push({
      sourceId: fo.id,
      status: fo.status,
      requestStatus: fo.requestStatus,
      deliveryMethod: fo.deliveryMethod?.methodType ?? null,
      holdHandles: fo.fulfillmentHolds.map((h) => h.handle ?? "").filter(Boolean),
      locationId: fo.assignedLocation.location?.id ?? null,
      locationName: fo.assignedLocation.name,
      lines: lines.map((li) => ({
        foLineId: li.id,
        lineItemId: lineItemIdOf(li, lineIdBySku),
        sku: li.sku ?? null,
        inventoryItemId: li.inventoryItemId ?? null,
        // Not read (no rule looks at tags): left out, so routing can tell "no tags" from "not read".
        ...(withTags ? { productTags: li.lineItem?.product?.tags ?? [] } : {}),
        quantity: li.totalQuantity,
        remaining: li.remainingQuantity,
      })),
    });
  }
  return {
    groups,
    fulfillments: o.fulfillments.map((f) => ({
      sourceId: f.id,
      status: f.status,
      displayStatus: f.displayStatus ?? null,
      tracking: f.trackingInfo.map((t) => ({ company: t.company ?? null, number: t.number ?? null, url: t.url ?? null })),
    })),
  };
}

/** A fulfilment-order line read without its order line, named by its SKU: not possible. */
class LineNotNamedBySku extends Error {
  override name = "LineNotNamedBySku";
}

/** The order line a fulfilment-order line is of: as read, or (read without it) the line its SKU names. */
function lineItemIdOf(li: { id: string; sku?: string | null; lineItem?: { id: string } | null }, lineIdBySku: ReadonlyMap<string, string> | null): string {
  if (li.lineItem) return li.lineItem.id;
  const named = li.sku ? lineIdBySku?.get(li.sku) : undefined;
  if (!named) throw new LineNotNamedBySku(`fulfilment-order line ${li.id} (SKU ${li.sku ?? "none"}) names no line of the order by its SKU`);
  return named;
}

/**
 * An order's fulfilment side as Shopify has it now (cheaper than the whole order), or null if
 * Shopify no longer has it. `lines`: the order's lines, when each has a SKU no other line has (the
 * orders/create payload showed it): the fulfilment-order lines are then read without their order
 * line (a point each) and named by SKU. One that cannot be named so (a SKU changed since, a line
 * added by an edit) has the side read again with the order lines.
 */
export async function fetchOrderFulfilment(
  graphql: AdminGraphql,
  orderId: string,
  withTags = true,
  lines?: readonly { id: string; sku: string }[],
): Promise<({ updatedAt: Date; cancelledAt: Date | null; gate: GateFacts } & Awaited<ReturnType<typeof fulfilmentOf>>) | null> {
  const bySku = lines && !withTags && uniqueSkus(lines) ? new Map(lines.map((l) => [l.sku, l.id])) : null;
  const o = await readWithPages(
    async (withPageInfo) =>
      (await (await graphql(ORDER_FULFILMENT_FOR_SYNC, { variables: { id: orderId, withTags, withLineIds: bySku === null, withPageInfo } })).json()).data
        ?.order,
  );
  if (!o) return null;
  let side: Awaited<ReturnType<typeof fulfilmentOf>>;
  try {
    side = await fulfilmentOf(graphql, orderId, o, withTags, bySku);
  } catch (e) {
    if (e instanceof LineNotNamedBySku) return fetchOrderFulfilment(graphql, orderId, withTags);
    throw e;
  }
  return {
    updatedAt: new Date(o.updatedAt),
    cancelledAt: o.cancelledAt ? new Date(o.cancelledAt) : null,
    ...side,
    gate: gateOf(o),
  };
}

/** Every line has a SKU, and no two the same. */
export const uniqueSkus = (lines: readonly { sku: string | null }[]) => lines.every((l) => l.sku) && new Set(lines.map((l) => l.sku)).size === lines.length;

export async function fetchFulfillmentOrderOwner(graphql: AdminGraphql, fulfillmentOrderId: string): Promise<string | null> {
  const res = await graphql(FULFILLMENT_ORDER_OWNER, { variables: { id: fulfillmentOrderId } });
  const { data } = await res.json();
  return data?.fulfillmentOrder?.orderId ?? null;
}

/** One page of order ids, oldest first, matching a Shopify search query. */
export async function fetchOrderIdPage(graphql: AdminGraphql, query: string, after: string | null, first = 50) {
  const res = await graphql(ORDERS_FOR_BACKFILL, { variables: { first, after, query } });
  const { data } = await res.json();
  if (!data) throw new Error("orders page: empty response");
  return { ids: data.orders.nodes.map((n) => n.id), next: data.orders.pageInfo.hasNextPage ? (data.orders.pageInfo.endCursor ?? null) : null };
}

/** The product tags of each inventory item's product, in calls of 100 items (an item Shopify no longer has is left out). */
export async function fetchProductTagsByItem(graphql: AdminGraphql, inventoryItemIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const ids = [...new Set(inventoryItemIds)];
  for (let i = 0; i < ids.length; i += 100) {
    const { data } = await (await graphql(PRODUCT_TAGS_BY_ITEM, { variables: { ids: ids.slice(i, i + 100) } })).json();
    for (const node of data?.nodes ?? []) if (node && "variant" in node) out.set(node.id, node.variant.product.tags);
  }
  return out;
}
