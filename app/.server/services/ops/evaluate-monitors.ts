import type { MonitorCase, MonitorKind, MonitorThresholds, PaymentComparison } from "~/domain/ops/monitors";
import { allocationNoShipment, paymentNoOrder, refundNoPosting, shipmentStatusUnsynced, stuckBeforeAllocation } from "~/domain/ops/monitors";
import {
  knownOrderSourceIds,
  marketplaceOrdersNotInShopify,
  preAllocationOrders,
  readThresholds,
  shippedOrders,
  sourcedOrders,
} from "../../db/monitor-queries";
import { findException } from "../../db/exceptions";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { shopifyOrdersCreated } from "../../shopify/orders-for-monitors";
import { reconcileKind } from "./reconcile-kind";
import { refundPosted, refundsWithoutPosting } from "./refund-postings";

/** What one monitor found in one evaluation. */
export type MonitorOutcome = {
  kind: MonitorKind;
  stuck: number;
  /** Items created or reopened now: what alerts announce (a case already open is not raised again). */
  raised: number;
  cleared: number;
  error?: string;
  comparison?: PaymentComparison;
};

const HOUR = 3_600_000;
const MIN = 60_000;
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
/** Shipments older than this are no longer watched for carrier updates (their case, if any, stays open). */
const SHIPMENT_LOOKBACK_DAYS = 30;
const CAP = 2_000;
const MONITOR_ACTOR = "oms:monitor";

type Evaluation = {
  cases: MonitorCase[];
  /** False when the read was cut at its cap: then no item is cleared on this pass. */
  complete: boolean;
  /** Whether an open item not among `cases` is healthy again (default: yes). */
  healthy?: (subjectKey: string) => Promise<boolean>;
  comparison?: PaymentComparison;
};

/** How a monitor reaches Shopify (the shop's Admin API by default; a benchmark may answer in process). */
export type MonitorDeps = { admin: () => Promise<AdminGraphql> };

type Monitor = (shop: string, t: MonitorThresholds, now: Date, deps: MonitorDeps) => Promise<Evaluation>;

export const MONITORS: Record<MonitorKind, Monitor> = {
  async stuck_before_allocation(shop, t, now) {
    const orders = await preAllocationOrders(shop, ago(now, t.stuckBeforeAllocationMinutes * MIN));
    return { cases: stuckBeforeAllocation(orders, t, now), complete: orders.length < CAP };
  },
  async allocation_no_shipment(shop, t, now) {
    const shortest = Math.min(t.allocationSlaMinutes, ...Object.values(t.locationSlaMinutes));
    const orders = await sourcedOrders(shop, ago(now, shortest * MIN));
    return { cases: allocationNoShipment(orders, t, now), complete: orders.length < CAP };
  },
  async shipment_status_unsynced(shop, t, now) {
    const orders = await shippedOrders(shop, ago(now, SHIPMENT_LOOKBACK_DAYS * 24 * HOUR), ago(now, t.statusSyncMinutes * MIN));
    return { cases: shipmentStatusUnsynced(orders, t, now), complete: orders.length < CAP };
  },
  async payment_no_order(shop, t, now, deps) {
    const from = ago(now, t.paymentWindowHours * HOUR);
    const shopify = await shopifyOrdersCreated(await deps.admin(), from, now);
    const known = await knownOrderSourceIds(
      shop,
      shopify.map((o) => o.id),
    );
    const marketplace = await marketplaceOrdersNotInShopify(shop, from, now);
    const { cases, comparison } = paymentNoOrder(shopify, known, marketplace, t, now);
    const inWindow = new Set([...shopify.map((o) => o.id), ...marketplace.map((m) => `marketplace:${m.id}`)]);
    return {
      cases,
      complete: true,
      comparison,
      // Outside the window the monitor no longer sees the order: its item clears only once the OMS has it.
      healthy: async (subject) => inWindow.has(subject) || subject.startsWith("marketplace:") || (await knownOrderSourceIds(shop, [subject])).has(subject),
    };
  },
  async refund_no_posting(shop, t, now, deps) {
    const refunds = await refundsWithoutPosting(shop, ago(now, t.refundWindowHours * HOUR), now, await deps.admin());
    return {
      cases: refundNoPosting(refunds, new Set(), t, now),
      complete: true,
      healthy: async (subject) => {
        const open = await openRefund(shop, subject);
        return open ? refundPosted(shop, open) : true;
      },
    };
  },
};

async function openRefund(shop: string, subject: string) {
  const row = await findException(shop, "refund_no_posting", subject);
  const data = row?.data ? (JSON.parse(row.data) as { shopifyOrderId?: string }) : {};
  return data.shopifyOrderId ? { id: subject, orderId: data.shopifyOrderId } : null;
}

/**
 * Evaluates one monitor for a shop: raises every stuck case once (an item already open is left as it
 * is) and clears the items whose case went away. Safe from several workers at once: raising is keyed
 * per (shop, kind, subject) and clearing is a guarded update.
 */
export async function evaluateMonitor(
  shop: string,
  kind: MonitorKind,
  t: MonitorThresholds,
  now: Date,
  deps: MonitorDeps = { admin: () => adminFor(shop, "background") },
): Promise<MonitorOutcome> {
  let evaluation: Evaluation;
  try {
    evaluation = await MONITORS[kind](shop, t, now, deps);
  } catch (e) {
    return { kind, stuck: 0, raised: 0, cleared: 0, error: e instanceof Error ? e.message : String(e) };
  }
  const healthy = evaluation.healthy;
  const { raised, cleared } = await reconcileKind(
    shop,
    kind,
    evaluation.cases.map(({ kind: _k, ...c }) => c),
    {
      complete: evaluation.complete,
      stillProblems: healthy
        ? async (subjects) => new Set((await Promise.all(subjects.map(async (s) => ((await healthy(s)) ? null : s)))).filter((s): s is string => s !== null))
        : undefined,
      actor: MONITOR_ACTOR,
      reason: "cleared by the monitor: the condition no longer holds",
    },
    now,
  );
  return { kind, stuck: evaluation.cases.length, raised, cleared, comparison: evaluation.comparison };
}

export async function evaluateMonitors(shop: string, now: Date, deps?: MonitorDeps): Promise<MonitorOutcome[]> {
  const t = await readThresholds(shop);
  const out: MonitorOutcome[] = [];
  for (const kind of Object.keys(MONITORS) as MonitorKind[]) out.push(await evaluateMonitor(shop, kind, t, now, deps));
  return out;
}
