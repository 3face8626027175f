import type { z } from "zod";
import { createHash } from "node:crypto";
import {
  amazonApplyOrderPayload,
  amazonCreateShopifyOrderPayload,
  amazonConfirmShipmentPayload,
  amazonStockPushPayload,
  amazonSyncPayload,
  backfillBulkPayload,
  backfillPagePayload,
  inventoryFlushPayload,
  deliveryBatchPayload,
  inventoryReconcilePayload,
  inventoryScheduledPayload,
  inventorySyncPayload,
  opsAlertsPayload,
  opsMonitorsPayload,
  processWebhookPayload,
  pruneRetentionPayload,
  requeueDeliveriesPayload,
  releaseBackordersPayload,
  replanStockLossPayload,
  routeOrderPayload,
  syncOrderPayload,
  fulfillmentOrderRechecksPayload,
  checkPaymentsPayload,
  captureShipmentPayload,
  orderWatchPayload,
  syncOrderMoneyPayload,
  sweepOrderMoneyPayload,
  recordRefundPayload,
  settleExchangePayload,
  resyncOrdersPayload,
  sourcingWhatIfPayload,
} from "~/schemas/jobs";

export type JobDefinition<S extends z.ZodTypeAny = z.ZodTypeAny> = {
  name: string;
  queue: QueueName;
  payload: S;
  /** Deterministic job id: enqueueing the same work twice is a no-op while the first is kept. */
  jobId: (payload: z.infer<S>) => string;
  attempts: number;
  backoffMs: number;
  /** How many of these one worker process runs at once (exact: no other job shares its queue). */
  concurrency: number;
  /**
   * How long a job's lock in Redis lasts without renewal (bull's lockDuration, default 30 s): a
   * job whose worker was killed is handed to another worker once it lapses (checked as often).
   */
  lockMs?: number;
};

// The erased form used by code that handles every job alike; payloads are validated before use.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJobDefinition = JobDefinition<any>;

/**
 * One queue per job. bull runs every processor of a queue out of one pool of slots (the sum of
 * their concurrencies, each slot taking whichever job comes next), so a job's concurrency is what
 * it says only when no other job shares its queue.
 */
export const QUEUES = [
  "webhooks",
  "order-creations",
  "fulfillment-order-events",
  "fulfillment-order-rechecks",
  "orders",
  "routing",
  "backorders",
  "backfill-pages",
  "backfill-bulk",
  "inventory",
  "inventory-flush",
  "inventory-webhooks",
  "inventory-reconcile",
  "inventory-scheduled",
  "requeue-deliveries",
  "prune-retention",
  "ops-monitors",
  "ops-alerts",
  "amazon-sync",
  "amazon-apply-order",
  "amazon-create-shopify-order",
  "amazon-confirm-shipment",
  "amazon-stock-push",
  "sync-order-money",
  "money-sweeps",
  "record-refund",
  "settle-exchange",
  "replan-stock-loss",
  "payments-check",
  "payments-capture",
  "order-watch",
  "sourcing-what-if",
  "resync-orders",
] as const;
export type QueueName = (typeof QUEUES)[number];

const define = <S extends z.ZodTypeAny>(d: JobDefinition<S>) => d;

export const jobs = {
  processWebhook: define({
    name: "process-webhook",
    queue: "webhooks",
    payload: processWebhookPayload,
    jobId: (p) => `delivery-${p.deliveryId}`,
    attempts: 6,
    backoffMs: 2_000,
    concurrency: 8,
  }),
  orderCreations: define({
    name: "order-creations",
    queue: "order-creations",
    payload: deliveryBatchPayload,
    // One per shop and window: every orders/create stored in the window is taken in by one job.
    jobId: (p) => `order-creations-${p.shop}-${p.reason}`,
    attempts: 8,
    backoffMs: 1_000,
    concurrency: 2,
  }),
  fulfillmentOrderEvents: define({
    name: "fulfillment-order-events",
    queue: "fulfillment-order-events",
    payload: deliveryBatchPayload,
    // One per shop and window: every status-only fulfillment_orders/* event stored in the window is handled by one job.
    jobId: (p) => `fo-events-${p.shop}-${p.reason}`,
    attempts: 8,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  fulfillmentOrderRechecks: define({
    name: "fulfillment-order-rechecks",
    queue: "fulfillment-order-rechecks",
    payload: fulfillmentOrderRechecksPayload,
    // One per batch of events and delay: a retried batch finds its job.
    jobId: (p) => `fo-rechecks-${p.shop}-${p.reason}`,
    attempts: 8,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  syncOrder: define({
    name: "sync-order",
    queue: "orders",
    payload: syncOrderPayload,
    jobId: (p) => `sync-${p.shop}-${p.orderId ?? p.fulfillmentOrderId}-${p.reason}`,
    attempts: 8,
    backoffMs: 2_000,
    concurrency: 4,
  }),
  routeOrder: define({
    name: "route-order",
    queue: "routing",
    payload: routeOrderPayload,
    // One routing per order: a duplicate orders/create or a later sync finds the job (or its decision).
    jobId: (p) => `route-${p.shop}-${p.orderId}`,
    attempts: 5,
    backoffMs: 2_000,
    concurrency: 2,
    // A routing job that died with its worker is picked up again within seconds, not 30–60 s.
    lockMs: 4_000,
  }),
  syncOrderMoney: define({
    name: "sync-order-money",
    queue: "sync-order-money",
    payload: syncOrderMoneyPayload,
    // One per order and financial status: replays of the same orders/updated find the job.
    jobId: (p) => `money-${p.shop}-${p.orderId}-${p.financialStatus}`,
    attempts: 8,
    backoffMs: 2_000,
    concurrency: 2,
  }),
  sweepOrderMoney: define({
    name: "sweep-order-money",
    queue: "money-sweeps",
    payload: sweepOrderMoneyPayload,
    // One per shop and window; each wait for its bulk operation is a job of its own.
    jobId: (p) => `money-sweep-${p.shop}-${p.reason}${p.bulkId ? `-${p.bulkId.slice(p.bulkId.lastIndexOf("/") + 1)}-${p.poll ?? 0}` : ""}`,
    attempts: 8,
    backoffMs: 2_000,
    concurrency: 1,
  }),
  recordRefund: define({
    name: "record-refund",
    queue: "record-refund",
    payload: recordRefundPayload,
    jobId: (p) => `refund-${p.shop}-${p.deliveryId}`,
    // Retried while an OMS refund to the same order is in flight (RefundInFlightError): 12 tries
    // with exponential backoff span ~34 min, well past REFUND_IN_FLIGHT_MS (5 min), after which a
    // refund whose request stopped is completed by its webhook.
    attempts: 12,
    backoffMs: 1_000,
    concurrency: 2,
  }),
  settleExchange: define({
    name: "settle-exchange",
    queue: "settle-exchange",
    payload: settleExchangePayload,
    // One per return: a repeated receipt or the order watch's re-enqueue finds the job.
    jobId: (p) => `exchange-settle-${p.shop}-${p.returnId}`,
    // Shopify unreachable: tried again over about four minutes (2 s doubling), then dead-lettered with exchange_not_settled raised.
    attempts: 8,
    backoffMs: 2_000,
    concurrency: 2,
  }),
  releaseBackorders: define({
    name: "release-backorders",
    queue: "backorders",
    payload: releaseBackordersPayload,
    jobId: (p) => `release-backorders-${p.shop}-${p.reason}`,
    attempts: 3,
    backoffMs: 2_000,
    concurrency: 1,
  }),
  replanStockLoss: define({
    name: "replan-stock-loss",
    queue: "replan-stock-loss",
    payload: replanStockLossPayload,
    jobId: (p) => `replan-stock-loss-${p.shop}-${p.reason}`,
    attempts: 5,
    backoffMs: 2_000,
    concurrency: 1,
  }),
  backfillPage: define({
    name: "backfill-page",
    queue: "backfill-pages",
    payload: backfillPagePayload,
    jobId: (p) => `backfill-${p.runId}-${p.cursor ? createHash("sha1").update(p.cursor).digest("hex").slice(0, 16) : "first"}`,
    attempts: 10,
    backoffMs: 5_000,
    concurrency: 1,
  }),
  backfillBulk: define({
    name: "backfill-bulk",
    queue: "backfill-bulk",
    payload: backfillBulkPayload,
    jobId: (p) => `backfill-bulk-${p.runId}-${p.poll}`,
    attempts: 10,
    backoffMs: 5_000,
    concurrency: 1,
  }),
  inventorySync: define({
    name: "inventory-sync",
    queue: "inventory",
    payload: inventorySyncPayload,
    jobId: (p) =>
      `inv-sync-${p.shop}-${createHash("sha1")
        .update(`${[...p.inventoryItemIds].sort().join(",")}|${p.reason}`)
        .digest("hex")
        .slice(0, 20)}`,
    attempts: 8,
    backoffMs: 1_000,
    // One at a time per worker: pushes for the same item must not race each other's compare-and-swap.
    concurrency: 1,
  }),
  inventoryWebhooks: define({
    name: "inventory-webhooks",
    queue: "inventory-webhooks",
    payload: deliveryBatchPayload,
    // One per shop and window: every inventory_levels/update stored in the window is handled by one job.
    jobId: (p) => `inv-webhooks-${p.shop}-${p.reason}`,
    attempts: 8,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  inventoryFlush: define({
    name: "inventory-flush",
    queue: "inventory-flush",
    payload: inventoryFlushPayload,
    // One per shop and window: every level asked for in the window is read by one job.
    jobId: (p) => `inv-flush-${p.shop}-${p.reason}`,
    attempts: 8,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  inventoryReconcile: define({
    name: "inventory-reconcile",
    queue: "inventory-reconcile",
    payload: inventoryReconcilePayload,
    jobId: (p) => `inv-reconcile-${p.shop}-${p.reason}`,
    attempts: 5,
    backoffMs: 5_000,
    concurrency: 1,
  }),
  inventoryScheduled: define({
    name: "inventory-scheduled",
    queue: "inventory-scheduled",
    payload: inventoryScheduledPayload,
    jobId: () => "inventory-scheduled",
    attempts: 1,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  checkPayments: define({
    name: "check-payments",
    queue: "payments-check",
    payload: checkPaymentsPayload,
    jobId: (p) => `check-payments-${p.shop}-${p.orderId}-${p.reason}`,
    attempts: 5,
    backoffMs: 2_000,
    concurrency: 2,
  }),
  captureShipment: define({
    name: "capture-shipment",
    queue: "payments-capture",
    payload: captureShipmentPayload,
    // One per shipment: a duplicated fulfillments/create finds the job (and the capture row).
    jobId: (p) => `capture-${p.shop}-${p.fulfillmentId}`,
    // Retried while its claim waits on Shopify's answer: 10 tries span ~34 min, well past
    // CAPTURE_IN_FLIGHT_MS (2 min), after which a claim whose run stopped is resumed.
    attempts: 10,
    backoffMs: 2_000,
    concurrency: 2,
  }),
  orderWatch: define({
    name: "order-watch",
    queue: "order-watch",
    payload: orderWatchPayload,
    jobId: () => "order-watch",
    attempts: 1,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  requeueDeliveries: define({
    name: "requeue-deliveries",
    queue: "requeue-deliveries",
    payload: requeueDeliveriesPayload,
    jobId: () => "requeue-deliveries",
    attempts: 1,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  opsMonitors: define({
    name: "ops-monitors",
    queue: "ops-monitors",
    payload: opsMonitorsPayload,
    // The schedule's repeat is one job per tick across every worker; an on-demand run is one per shop and reason.
    jobId: (p) => (p.shop ? `ops-monitors-${p.shop}-${p.reason ?? "now"}` : "ops-monitors"),
    attempts: 1,
    backoffMs: 1_000,
    concurrency: 1,
  }),
  opsAlerts: define({
    name: "ops-alerts",
    queue: "ops-alerts",
    payload: opsAlertsPayload,
    jobId: (p) => `ops-alerts-${p.shop}-${p.reason}`,
    attempts: 3,
    backoffMs: 5_000,
    concurrency: 1,
  }),
  pruneRetention: define({
    name: "prune-retention",
    queue: "prune-retention",
    payload: pruneRetentionPayload,
    jobId: (p) => `prune-retention-${p.reason}`,
    attempts: 3,
    backoffMs: 60_000,
    concurrency: 1,
  }),
  // Amazon (issue 17): one poll per account at a time (a lease in the account row guards it too).
  amazonSync: define({
    name: "amazon-sync",
    queue: "amazon-sync",
    payload: amazonSyncPayload,
    jobId: (p) => `amz-sync-${p.accountId}-${p.reason}`,
    attempts: 5,
    backoffMs: 5_000,
    concurrency: 2,
  }),
  amazonApplyOrder: define({
    name: "amazon-apply-order",
    queue: "amazon-apply-order",
    payload: amazonApplyOrderPayload,
    // One per order state: a duplicate page or an overlapping window finds the job already there.
    jobId: (p) => `amz-order-${p.accountId}-${p.amazonOrderId}-${p.updatedAt}`,
    attempts: 8,
    backoffMs: 2_000,
    concurrency: 4,
  }),
  // The Shopify order of an Amazon order Amazon says is Unshipped: its own queue, so the intake of
  // later orders (the OMS record, stock held) never waits behind Shopify's orderCreate and sourcing.
  amazonCreateShopifyOrder: define({
    name: "amazon-create-shopify-order",
    queue: "amazon-create-shopify-order",
    payload: amazonCreateShopifyOrderPayload,
    jobId: (p) => `amz-create-${p.accountId}-${p.amazonOrderId}-${p.updatedAt}`,
    attempts: 8,
    backoffMs: 5_000,
    concurrency: 2,
  }),
  amazonConfirmShipment: define({
    name: "amazon-confirm-shipment",
    queue: "amazon-confirm-shipment",
    payload: amazonConfirmShipmentPayload,
    jobId: (p) => `amz-ship-${p.shipmentId}`,
    attempts: 6,
    backoffMs: 5_000,
    concurrency: 2,
  }),
  amazonStockPush: define({
    name: "amazon-stock-push",
    queue: "amazon-stock-push",
    payload: amazonStockPushPayload,
    jobId: (p) => `amz-stock-${p.accountId}-${p.reason}`,
    attempts: 3,
    backoffMs: 5_000,
    concurrency: 1,
  }),
  // Long work asked for in the admin; each reports its progress (bull job progress) as it goes.
  sourcingWhatIf: define({
    name: "sourcing-what-if",
    queue: "sourcing-what-if",
    payload: sourcingWhatIfPayload,
    jobId: (p) => `whatif-${p.shop}-${p.requestId}`,
    attempts: 2,
    backoffMs: 2_000,
    concurrency: 1,
  }),
  resyncOrders: define({
    name: "resync-orders",
    queue: "resync-orders",
    payload: resyncOrdersPayload,
    jobId: (p) => `resync-${p.shop}-${p.runId}`,
    attempts: 3,
    backoffMs: 5_000,
    concurrency: 1,
  }),
} as const;

export type JobKey = keyof typeof jobs;
export type PayloadOf<K extends JobKey> = z.infer<(typeof jobs)[K]["payload"]>;

export function definitionByName(name: string): AnyJobDefinition | undefined {
  return Object.values(jobs).find((d) => d.name === name);
}
