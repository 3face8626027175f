import { amazonPiiView, parseRoles } from "~/domain/marketplace/amazon-roles";
import { channelLabel } from "~/domain/order/snapshot";
import { formatMoney } from "~/domain/shared/money";
import type { OrderFiltersInput } from "~/schemas/order-filters";
import { findAccount, findAmazonOrderByOmsId } from "../db/amazon";
import { getOrderDetail, listOrderLocations, listOrders } from "../db/order-queries";
import { listDeliveries } from "../db/webhook-deliveries";

const PAGE = 50;

/** Rows for the orders list: plain JSON, money formatted, dates as ISO strings. */
export async function orderListView(shop: string, f: OrderFiltersInput) {
  const { after, ...filters } = f;
  const [page, locations] = await Promise.all([listOrders(shop, filters, { after, take: PAGE }), listOrderLocations(shop)]);
  return {
    next: page.next,
    locations,
    orders: page.items.map((o) => ({
      id: o.id,
      name: o.name,
      channel: channelLabel(o.channel, o.tags),
      state: o.state,
      exception: o.exception,
      financialStatus: o.financialStatus,
      total: `${formatMoney({ amount: o.totalMinor, currency: o.currency })} ${o.currency}`,
      customer: o.customerName,
      country: o.shipCountry,
      locations: [...new Set(o.groups.map((g) => g.locationName).filter((n): n is string => Boolean(n)))],
      placedAt: o.placedAt.toISOString(),
    })),
  };
}

/**
 * An Amazon order's buyer and address as its account's granted roles allow (the page shows "hidden —
 * role X not granted" instead): null for other channels. The city/region/country is not PII.
 */
async function amazonPersonalData(o: { id: string; email: string | null; customerName: string | null; shippingAddress: string | null }) {
  const row = await findAmazonOrderByOmsId(o.id);
  const account = row ? await findAccount(row.accountId) : null;
  if (!row || !account) return null;
  const a = o.shippingAddress ? (JSON.parse(o.shippingAddress) as Record<string, string | null>) : null;
  const personal = a && a.address1 ? [a.name, a.address1, a.address2, a.city, a.provinceCode, a.zip, a.countryCode].filter(Boolean).join(", ") : null;
  const view = amazonPiiView(
    { status: row.status, fulfilledBy: row.fulfilledBy, buyerName: o.customerName, buyerEmail: o.email, address: personal },
    parseRoles(account.grantedRoles),
  );
  return { ...view, region: a ? [a.city, a.provinceCode, a.countryCode].filter(Boolean).join(", ") || null : null };
}

export async function orderDetailView(shop: string, id: string) {
  const o = await getOrderDetail(shop, id);
  if (!o) return null;
  const money = (minor: bigint) => formatMoney({ amount: minor, currency: o.currency });
  const amazon = await amazonPersonalData(o);
  return {
    amazon,
    id: o.id,
    name: o.name,
    sourceId: o.sourceId,
    channel: channelLabel(o.channel, o.tags),
    state: o.state,
    exception: o.exception,
    holdReason: o.holdReason,
    holdRule: o.holdRule,
    orderKind: o.orderKind,
    riskLevel: o.riskLevel,
    releaseAfter: o.releaseAfter?.toISOString() ?? null,
    financialStatus: o.financialStatus,
    fulfillmentStatus: o.fulfillmentStatus,
    total: `${money(o.totalMinor)} ${o.currency}`,
    // An Amazon order's personal data only as its roles allow (`amazon` says what is hidden and why).
    email: amazon ? null : o.email,
    customerName: amazon ? null : o.customerName,
    shippingAddress: amazon ? null : o.shippingAddress ? (JSON.parse(o.shippingAddress) as Record<string, string | number | null>) : null,
    placedAt: o.placedAt.toISOString(),
    cancelledAt: o.cancelledAt?.toISOString() ?? null,
    lines: o.lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      currentQuantity: l.currentQuantity,
      unitPrice: money(l.unitPriceMinor),
    })),
    groups: o.groups.map((g) => ({
      id: g.id,
      sourceId: g.sourceId,
      status: g.status,
      locationName: g.locationName,
      lines: JSON.parse(g.lines) as { sku: string | null; quantity: number; remaining: number }[],
    })),
    timeline: o.events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      kind: e.kind,
      summary: e.summary,
      owner: e.owner,
      actor: e.actor,
      source: e.source,
      fromState: e.fromState,
      toState: e.toState,
    })),
  };
}

export async function deliveriesView(shop: string, status: string[] | undefined) {
  const rows = await listDeliveries({ shop, status, take: 100 });
  return rows.map((d) => ({
    id: d.id,
    topic: d.topic,
    webhookId: d.webhookId,
    status: d.status,
    error: d.error,
    attempts: d.attempts,
    receivedAt: d.receivedAt.toISOString(),
    excerpt: d.body.slice(0, 160),
  }));
}
