// Read models for the Returns pages: the list with its tabs and KPIs, one return with what can be
// done to it, and the form to open a return for an order.
import { findSettlement } from "../../db/exchange-settlements";
import { exchangeDifferenceOf, type ExchangeLineKept } from "./shared";
import { returnsKpis } from "~/domain/returns/kpis";
import { outstandingOf } from "~/domain/returns/disposition";
import { returnableUnits } from "~/domain/returns/returnable";
import { RETURN_TABS, tabOf, type ReturnStatus, type ReturnTab } from "~/domain/returns/status";
import { formatMoney } from "~/domain/shared/money";
import { refundsOfOrder } from "../../db/finance";
import { findException } from "../../db/exceptions";
import { countReturnsByStatus, findReturn, listReturns, orderForRefund, returnsKpiFacts, shopLocations } from "../../db/returns";
import { adminFor } from "../../shopify/admin";
import { fetchReturnables } from "../../shopify/returns";
import { parcelCandidates } from "./parcels";

const money = (amount: bigint, currency: string | null) => (currency ? `${formatMoney({ amount, currency })} ${currency}` : "—");

export async function returnsPageView(
  shop: string,
  f: { tab: ReturnTab | null; q: string | null; locationId: string | null; from: Date | null; to: Date | null },
  now: Date,
) {
  const [rows, counts, locations, facts] = await Promise.all([
    listReturns(shop, f),
    countReturnsByStatus(shop),
    shopLocations(shop),
    returnsKpiFacts(shop, new Date(now.getTime() - 30 * 86_400_000), new Date(now.getTime() + 60_000)),
  ]);
  const kpis = returnsKpis(facts);
  const tabCounts = Object.fromEntries(RETURN_TABS.map((t) => [t, 0])) as Record<ReturnTab, number>;
  for (const [status, n] of Object.entries(counts)) tabCounts[tabOf(status as ReturnStatus)] += n;
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  return {
    tab: f.tab,
    tabCounts,
    locations,
    kpis: {
      returnRate: kpis.returnRatePercent === null ? "—" : `${kpis.returnRatePercent} %`,
      refunded: money(kpis.refundedMinor, kpis.currency),
      receiptToRefund: kpis.medianReceiptToRefundHours === null ? "—" : `${kpis.medianReceiptToRefundHours} h (median)`,
    },
    rows: rows.map((r) => ({
      id: r.id,
      name: r.name ?? "—",
      orderId: r.orderId,
      orderName: r.orderName ?? "no order yet",
      status: r.status,
      units: r.lines.reduce((n, l) => n + l.quantity, 0),
      outstanding: r.lines.reduce((n, l) => n + outstandingOf(l), 0),
      skus: [...new Set(r.lines.map((l) => l.sku ?? l.title))].join(", "),
      location: r.locationId ? (locationName.get(r.locationId) ?? r.locationId) : "—",
      exchange: r.exchangePolicy ? (r.exchangePolicy === "on_request" ? "exchange (ships on request)" : "exchange (ships on receipt)") : "",
      ageDays: Math.floor((now.getTime() - r.createdAt.getTime()) / 86_400_000),
      createdAt: r.createdAt.toISOString(),
      canBulkReceive: r.status === "in_transit",
    })),
  };
}

export async function returnDetailView(shop: string, id: string, now: Date) {
  const r = await findReturn(shop, id);
  if (!r) return null;
  const [locations, refunds, exception, candidates, order, settlement] = await Promise.all([
    shopLocations(shop),
    r.orderId ? refundsOfOrder(r.orderId) : Promise.resolve([]),
    r.status === "awaiting_match" ? findException(shop, "unmatched_return", r.id) : Promise.resolve(null),
    r.status === "awaiting_match" ? parcelCandidates(shop, r.id, now) : Promise.resolve(null),
    r.orderId ? orderForRefund(shop, r.orderId) : Promise.resolve(null),
    findSettlement(shop, r.id),
  ]);
  const currency = r.currency ?? order?.currency ?? null;
  return {
    id: r.id,
    version: r.version,
    name: r.name ?? "—",
    status: r.status,
    orderId: r.orderId,
    orderName: r.orderName,
    reason: r.reason,
    declineReason: r.declineReason,
    instructions: r.instructions,
    tracking: r.tracking ? (JSON.parse(r.tracking) as { number: string; url: string | null }) : null,
    exchangePolicy: r.exchangePolicy,
    exchangeLines: r.exchangeLines
      ? (JSON.parse(r.exchangeLines) as Partial<ExchangeLineKept>[]).map((e) => ({
          variantId: e.variantId ?? "",
          quantity: e.quantity ?? 0,
          unitPrice: e.unitPriceMinor == null ? null : money(BigInt(e.unitPriceMinor), currency),
        }))
      : [],
    exchangeDifference: (() => {
      const d = exchangeDifferenceOf(r);
      return (
        d && {
          returned: money(d.returnedMinor, currency),
          exchange: money(d.exchangeMinor, currency),
          refund: d.refundMinor > 0n ? money(d.refundMinor, currency) : null,
          collect: d.collectMinor > 0n ? money(d.collectMinor, currency) : null,
        }
      );
    })(),
    // The price difference's settlement (its own job): pending with its tries so far, settled, or failed with why.
    exchangeSettlement: settlement && { status: settlement.status, attempts: settlement.attempts, error: settlement.error },
    exchangeReleasedAt: r.exchangeReleasedAt?.toISOString() ?? null,
    restockingFeePercent: r.restockingFeePercent,
    returnShippingFee: r.returnShippingFeeMinor > 0n ? money(r.returnShippingFeeMinor, currency) : null,
    slip: r.slip ? (JSON.parse(r.slip) as Record<string, string | null>) : null,
    locationId: r.locationId,
    waitingSince: exception?.raisedAt.toISOString() ?? null,
    receivedAt: r.receivedAt?.toISOString() ?? null,
    refundedAt: r.refundedAt?.toISOString() ?? null,
    currency,
    lines: r.lines.map((l) => ({
      id: l.id,
      sku: l.sku,
      title: l.title,
      sourceLineId: l.sourceLineId,
      quantity: l.quantity,
      unitPrice: money(l.unitPriceMinor, currency),
      restocked: l.restocked,
      damaged: l.damaged,
      qualityControl: l.qualityControl,
      missing: l.missing,
      outstanding: outstandingOf(l),
    })),
    refunds: refunds.map((f) => ({
      id: f.id,
      status: f.status,
      amount: money(f.amountMinor, f.currency),
      storeCredit: f.storeCreditMinor ? money(f.storeCreditMinor, f.currency) : null,
      actor: f.actor,
      at: (f.processedAt ?? f.createdAt).toISOString(),
      error: f.error,
      returnId: f.returnId,
    })),
    candidates: (candidates ?? []).map((c) => ({ orderId: c.orderId, orderName: c.orderName, score: c.score, explanation: c.explanation })),
    locations,
  };
}

/** The "offer a return" form for an order: its shipped units and how many of each can still come back. */
export async function newReturnView(shop: string, orderId: string) {
  const order = await orderForRefund(shop, orderId);
  if (!order) return null;
  const read = await fetchReturnables(await adminFor(shop), order.sourceId);
  const units = read ? returnableUnits(read.fulfilled, read.returned) : [];
  return {
    orderId: order.id,
    orderName: order.name,
    currency: order.currency,
    units: units.map((u) => ({
      fulfillmentLineItemId: u.fulfillmentLineItemId,
      sku: u.sku,
      title: u.title,
      shipped: u.quantity,
      returnable: u.returnable,
      unitPrice: money(u.unitPriceMinor, order.currency),
    })),
    unshipped: order.lines
      .filter((l) => !units.some((u) => u.sourceLineId === l.sourceLineId))
      .map((l) => ({ sku: l.sku, title: l.title, quantity: l.currentQuantity })),
  };
}

export const shopLocationsView = (shop: string) => shopLocations(shop);
