import type { ExceptionKind, ExceptionSeverity } from "../exceptions/kinds";

// The five stuck-state monitors (issue 18). Each one is a pure function from what the shell loaded
// (a bounded, indexed read) and the shop's thresholds to the cases that are stuck now. The shell
// raises each case into the exception queue (one item per case, however often it is evaluated) and
// clears the items whose case went away.

export const MONITOR_KINDS = [
  "stuck_before_allocation",
  "allocation_no_shipment",
  "shipment_status_unsynced",
  "payment_no_order",
  "refund_no_posting",
] as const satisfies readonly ExceptionKind[];
export type MonitorKind = (typeof MONITOR_KINDS)[number];

export const isMonitorKind = (k: string): k is MonitorKind => (MONITOR_KINDS as readonly string[]).includes(k);

export const MONITOR_TITLES: Record<MonitorKind, string> = {
  stuck_before_allocation: "Orders stuck before allocation",
  allocation_no_shipment: "Allocations with no shipment",
  shipment_status_unsynced: "Shipments with no status sync",
  payment_no_order: "Captured payments with no order",
  refund_no_posting: "Refunds with no finance posting",
};

export type MonitorThresholds = {
  stuckBeforeAllocationMinutes: number;
  allocationSlaMinutes: number;
  /** Per-location SLA overrides, by Location GID. */
  locationSlaMinutes: Record<string, number>;
  statusSyncMinutes: number;
  paymentWindowHours: number;
  paymentGraceMinutes: number;
  refundWindowHours: number;
  refundGraceMinutes: number;
};

/** Where a shop's alert digests go, and how often at most. */
export type AlertSettings = { alertEmail: string | null; alertWebhookUrl: string | null; digestMinutes: number };
export const DEFAULT_ALERTS: AlertSettings = { alertEmail: null, alertWebhookUrl: null, digestMinutes: 15 };

export const DEFAULT_THRESHOLDS: MonitorThresholds = {
  stuckBeforeAllocationMinutes: 30,
  allocationSlaMinutes: 24 * 60,
  locationSlaMinutes: {},
  statusSyncMinutes: 48 * 60,
  paymentWindowHours: 24,
  paymentGraceMinutes: 15,
  refundWindowHours: 72,
  refundGraceMinutes: 30,
};

/** Bounds each threshold may take (minutes or hours as named); the settings form is checked against them. */
export const THRESHOLD_LIMITS = {
  stuckBeforeAllocationMinutes: [1, 7 * 24 * 60],
  allocationSlaMinutes: [1, 30 * 24 * 60],
  statusSyncMinutes: [1, 30 * 24 * 60],
  paymentWindowHours: [1, 7 * 24],
  paymentGraceMinutes: [1, 24 * 60],
  refundWindowHours: [1, 30 * 24],
  refundGraceMinutes: [1, 24 * 60],
} as const satisfies Record<Exclude<keyof MonitorThresholds, "locationSlaMinutes">, readonly [number, number]>;

export type ThresholdError = { code: "OUT_OF_RANGE"; field: string; min: number; max: number };

export function checkThresholds(t: MonitorThresholds): ThresholdError | null {
  for (const [field, [min, max]] of Object.entries(THRESHOLD_LIMITS)) {
    const v = t[field as keyof typeof THRESHOLD_LIMITS];
    if (!Number.isInteger(v) || v < min || v > max) return { code: "OUT_OF_RANGE", field, min, max };
  }
  for (const [location, v] of Object.entries(t.locationSlaMinutes)) {
    const [min, max] = THRESHOLD_LIMITS.allocationSlaMinutes;
    if (!Number.isInteger(v) || v < min || v > max) return { code: "OUT_OF_RANGE", field: `locationSlaMinutes[${location}]`, min, max };
  }
  return null;
}

/** A stuck case: what the queue item will say. subjectKey is unique per monitor. */
export type MonitorCase = {
  kind: MonitorKind;
  severity: ExceptionSeverity;
  subjectKey: string;
  orderId: string | null;
  summary: string;
  data: Record<string, unknown>;
};

const MIN = 60_000;
/** "12 min ago"-style durations for summaries: minutes under two hours, then hours. */
const since = (at: Date, now: Date) => {
  const minutes = Math.max(0, Math.floor((now.getTime() - at.getTime()) / MIN));
  return minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h`;
};

// --- 1. Orders stuck before allocation -------------------------------------------------------

export type PreAllocationOrder = { id: string; name: string; state: string; placedAt: Date };

/** States in which an order waits for the OMS to source it. */
export const PRE_ALLOCATION_STATES = ["received", "released"] as const;

export function stuckBeforeAllocation(orders: readonly PreAllocationOrder[], t: MonitorThresholds, now: Date): MonitorCase[] {
  const limit = now.getTime() - t.stuckBeforeAllocationMinutes * MIN;
  return orders
    .filter((o) => (PRE_ALLOCATION_STATES as readonly string[]).includes(o.state) && o.placedAt.getTime() <= limit)
    .map((o) => ({
      kind: "stuck_before_allocation",
      severity: "critical",
      subjectKey: o.id,
      orderId: o.id,
      summary: `${o.name} is ${o.state} and not sourced ${Math.floor((now.getTime() - o.placedAt.getTime()) / MIN)} min after it was placed (threshold ${t.stuckBeforeAllocationMinutes} min)`,
      data: { state: o.state, placedAt: o.placedAt.toISOString(), thresholdMinutes: t.stuckBeforeAllocationMinutes },
    }));
}

// --- 2. Allocations with no shipment ---------------------------------------------------------

export type SourcedOrder = {
  id: string;
  name: string;
  /** When the OMS sourced it (its transition to sourced), or its placement when none is recorded. */
  sourcedAt: Date;
  /** Fulfilment groups a location still owes (not closed, not cancelled). */
  openGroups: { locationId: string | null; locationName: string | null }[];
};

export const slaMinutesOf = (locationId: string | null, t: MonitorThresholds) => (locationId && t.locationSlaMinutes[locationId]) || t.allocationSlaMinutes;

/** "45 min", "24 h", "90 min": thresholds are kept in minutes and shown in hours when whole. */
export const formatMinutes = (m: number) => (m % 60 === 0 ? `${m / 60} h` : `${m} min`);

export function allocationNoShipment(orders: readonly SourcedOrder[], t: MonitorThresholds, now: Date): MonitorCase[] {
  const cases: MonitorCase[] = [];
  for (const o of orders) {
    const late = o.openGroups.filter((g) => o.sourcedAt.getTime() + slaMinutesOf(g.locationId, t) * MIN <= now.getTime());
    if (late.length === 0) continue;
    const where = late.map((g) => `${g.locationName ?? "an unknown location"} (SLA ${formatMinutes(slaMinutesOf(g.locationId, t))})`).join(", ");
    cases.push({
      kind: "allocation_no_shipment",
      severity: "warning",
      subjectKey: o.id,
      orderId: o.id,
      summary: `${o.name} was sourced ${since(o.sourcedAt, now)} ago and ${where} has not shipped it`,
      data: {
        sourcedAt: o.sourcedAt.toISOString(),
        locations: late.map((g) => ({ id: g.locationId, name: g.locationName, slaMinutes: slaMinutesOf(g.locationId, t) })),
      },
    });
  }
  return cases;
}

// --- 3. Shipments with no status sync --------------------------------------------------------

export type ShippedOrder = {
  id: string;
  name: string;
  /** When its (first) fulfilment was recorded. */
  shippedAt: Date;
  /** The newest carrier update (a shipment status from the carrier), if any. */
  lastCarrierUpdateAt: Date | null;
  /** Marketplace orders must be confirmed to their channel; null when the channel needs no confirmation. */
  channelConfirmation: { channel: string; confirmedAt: Date | null } | null;
};

export function shipmentStatusUnsynced(orders: readonly ShippedOrder[], t: MonitorThresholds, now: Date): MonitorCase[] {
  const limit = now.getTime() - t.statusSyncMinutes * MIN;
  const cases: MonitorCase[] = [];
  for (const o of orders) {
    const last = o.lastCarrierUpdateAt ?? o.shippedAt;
    const carrierSilent = last.getTime() <= limit;
    const unconfirmed = o.channelConfirmation !== null && o.channelConfirmation.confirmedAt === null && o.shippedAt.getTime() <= limit;
    if (!carrierSilent && !unconfirmed) continue;
    const reasons = [
      carrierSilent
        ? o.lastCarrierUpdateAt
          ? `no carrier update for ${since(last, now)}`
          : `no carrier update since it shipped ${since(o.shippedAt, now)} ago`
        : null,
      unconfirmed ? `shipment not confirmed to ${o.channelConfirmation!.channel}` : null,
    ].filter(Boolean);
    cases.push({
      kind: "shipment_status_unsynced",
      severity: unconfirmed ? "critical" : "warning",
      subjectKey: o.id,
      orderId: o.id,
      summary: `${o.name}: ${reasons.join("; ")} (threshold ${formatMinutes(t.statusSyncMinutes)})`,
      data: { shippedAt: o.shippedAt.toISOString(), lastCarrierUpdateAt: o.lastCarrierUpdateAt?.toISOString() ?? null, carrierSilent, unconfirmed },
    });
  }
  return cases;
}

// --- 4. Captured payments with no order ------------------------------------------------------

export type PaidShopifyOrder = { id: string; name: string; createdAt: Date; financialStatus: string };
/** Financial statuses at which money was taken. */
export const CAPTURED_STATUSES = ["PAID", "PARTIALLY_PAID", "PARTIALLY_REFUNDED", "REFUNDED"];
/** Money was taken at this financial status (Shopify's, in either case: GraphQL's PAID, a payload's paid). */
export const capturedStatus = (status: string | null) => status !== null && CAPTURED_STATUSES.includes(status.toUpperCase());

export type MarketplaceOrderNotInShopify = { id: string; name: string; channel: string; placedAt: Date };

export type PaymentComparison = { shopifyCaptured: number; omsKnown: number; missing: number };

export function paymentNoOrder(
  shopify: readonly PaidShopifyOrder[],
  omsHas: ReadonlySet<string>,
  marketplace: readonly MarketplaceOrderNotInShopify[],
  t: MonitorThresholds,
  now: Date,
): { cases: MonitorCase[]; comparison: PaymentComparison } {
  const limit = now.getTime() - t.paymentGraceMinutes * MIN;
  const captured = shopify.filter((o) => CAPTURED_STATUSES.includes(o.financialStatus) && o.createdAt.getTime() <= limit);
  const missing = captured.filter((o) => !omsHas.has(o.id));
  const cases: MonitorCase[] = missing.map((o) => ({
    kind: "payment_no_order",
    severity: "critical",
    subjectKey: o.id,
    orderId: null,
    summary: `Shopify captured payment for ${o.name} (${o.financialStatus.toLowerCase()}) ${Math.floor((now.getTime() - o.createdAt.getTime()) / MIN)} min ago; the OMS has no such order`,
    data: { shopifyOrderId: o.id, name: o.name, createdAt: o.createdAt.toISOString() },
  }));
  for (const m of marketplace) {
    if (m.placedAt.getTime() > limit) continue;
    cases.push({
      kind: "payment_no_order",
      severity: "critical",
      subjectKey: `marketplace:${m.id}`,
      orderId: m.id,
      summary: `${m.channel} order ${m.name} was paid on the marketplace but not created in Shopify`,
      data: { marketplace: m.channel, placedAt: m.placedAt.toISOString() },
    });
  }
  return { cases, comparison: { shopifyCaptured: captured.length, omsKnown: captured.length - missing.length, missing: missing.length } };
}

// --- 5. Refunds with no finance posting ------------------------------------------------------

export type ShopifyRefund = { id: string; orderId: string; orderName: string; createdAt: Date; amount: string };

export function refundNoPosting(refunds: readonly ShopifyRefund[], posted: ReadonlySet<string>, t: MonitorThresholds, now: Date): MonitorCase[] {
  const limit = now.getTime() - t.refundGraceMinutes * MIN;
  return refunds
    .filter((r) => r.createdAt.getTime() <= limit && !posted.has(r.id))
    .map((r) => ({
      kind: "refund_no_posting",
      severity: "warning",
      subjectKey: r.id,
      orderId: null,
      summary: `Refund of ${r.amount} on ${r.orderName} (${since(r.createdAt, now)} ago) has no finance posting`,
      data: { refundId: r.id, shopifyOrderId: r.orderId, orderName: r.orderName, createdAt: r.createdAt.toISOString(), amount: r.amount },
    }));
}
