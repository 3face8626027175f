import { z } from "zod";

export const processWebhookPayload = z.object({ deliveryId: z.string().min(1), shop: z.string().min(1) }).strict();
export type ProcessWebhookPayload = z.infer<typeof processWebhookPayload>;

export const requeueDeliveriesPayload = z.object({ olderThanSeconds: z.number().int().positive() }).strict();
export type RequeueDeliveriesPayload = z.infer<typeof requeueDeliveriesPayload>;

export const syncOrderPayload = z
  .object({
    shop: z.string().min(1),
    orderId: z.string().startsWith("gid://shopify/Order/").optional(),
    fulfillmentOrderId: z.string().startsWith("gid://shopify/FulfillmentOrder/").optional(),
    // What asked for the sync (a delivery id, "backfill", "manual"): part of the job id.
    reason: z.string().min(1),
    via: z.string().min(1),
    // With a fulfillment order: skip the re-read if the OMS has learnt that fulfilment order by then.
    // Queued by earlier versions; a status-only event now carries unlessHeld instead.
    onlyIfUnknown: z.boolean().optional(),
    // "fulfilment": only the fulfilment side needs reading (sync-order.ts, SyncScope).
    scope: z.enum(["order", "fulfilment"]).optional(),
    // Queued by earlier versions (the intake read of a paid order carried its money): the order's
    // money is read by its own job (sync-order-money) instead.
    withMoney: z.boolean().optional(),
    // The order's lines with their SKUs, each unique (the intake's orders/create payload): the
    // fulfilment-order lines are named by SKU instead of read with their order line.
    lines: z
      .array(z.object({ id: z.string().startsWith("gid://shopify/LineItem/"), sku: z.string().min(1) }).strict())
      .min(1)
      .max(250)
      .optional(),
    // Skip the read if by then the OMS holds these facts (a status-only fulfillment_orders/* event).
    unlessHeld: z
      .array(z.object({ id: z.string().startsWith("gid://shopify/FulfillmentOrder/"), status: z.string().min(1), locationId: z.string().optional() }).strict())
      .min(1)
      .max(10)
      .optional(),
  })
  .strict()
  .refine((p) => Boolean(p.orderId) !== Boolean(p.fulfillmentOrderId), "exactly one of orderId and fulfillmentOrderId")
  .refine((p) => !p.onlyIfUnknown || Boolean(p.fulfillmentOrderId), "onlyIfUnknown needs a fulfillmentOrderId");
export type SyncOrderPayload = z.infer<typeof syncOrderPayload>;

/** Status-only fulfilment-order events of one batch, looked at again after their delay (order-webhooks.ts). */
export const fulfillmentOrderRechecksPayload = z
  .object({
    shop: z.string().min(1),
    // The batch's first delivery, the delay and the slice: part of the job id.
    reason: z.string().min(1),
    checks: z
      .array(syncOrderPayload)
      .min(1)
      .max(500)
      .refine((cs) => cs.every((c) => c.unlessHeld?.length || c.onlyIfUnknown), "every check says what makes its read unneeded"),
  })
  .strict()
  .refine((p) => p.checks.every((c) => c.shop === p.shop), "every check is of the job's shop");
export type FulfillmentOrderRechecksPayload = z.infer<typeof fulfillmentOrderRechecksPayload>;

export const backfillPagePayload = z.object({ shop: z.string().min(1), runId: z.string().min(1), cursor: z.string().min(1).nullable() }).strict();
export type BackfillPagePayload = z.infer<typeof backfillPagePayload>;

export const backfillBulkPayload = z.object({ shop: z.string().min(1), runId: z.string().min(1), poll: z.number().int().positive() }).strict();

const gidOf = (type: string) => z.string().regex(new RegExp(`^gid://shopify/${type}/\\d+$`));

/** Re-read some items' levels from Shopify and bring Shopify's available to the OMS's ATP. */
export const inventorySyncPayload = z
  .object({
    shop: z.string().min(1),
    inventoryItemIds: z.array(gidOf("InventoryItem")).min(1).max(250),
    // What asked for it (a delivery id, an order's movement): part of the job id.
    reason: z.string().min(1),
  })
  .strict();
export type InventorySyncPayload = z.infer<typeof inventorySyncPayload>;

/** A shop's batch of stored deliveries (order-creations, fulfillment-order-events, inventory-webhooks); the reason names its window. */
export const deliveryBatchPayload = z.object({ shop: z.string().min(1), reason: z.string().min(1) }).strict();
export type DeliveryBatchPayload = z.infer<typeof deliveryBatchPayload>;

export const inventoryFlushPayload = z.object({ shop: z.string().min(1), reason: z.string().min(1) }).strict();
export type InventoryFlushPayload = z.infer<typeof inventoryFlushPayload>;

/** Every level of the shop: read, push, reconcile (install, on demand, and on a schedule). */
export const inventoryReconcilePayload = z.object({ shop: z.string().min(1), reason: z.string().min(1) }).strict();
export type InventoryReconcilePayload = z.infer<typeof inventoryReconcilePayload>;

export const inventoryScheduledPayload = z.object({ everyMinutes: z.number().int().positive() }).strict();

/** The daily retention prune (app/.server/services/ops/prune-retention.ts). */
export const pruneRetentionPayload = z.object({ reason: z.string().min(1) }).strict();

/** Source an order once its fulfilment orders are known (app/.server/services/route-order.ts). */
export const routeOrderPayload = z.object({ shop: z.string().min(1), orderId: z.string().min(1) }).strict();
export type RouteOrderPayload = z.infer<typeof routeOrderPayload>;

/** Re-source the orders held for stock (after stock changes, and with every reconcile). */
export const releaseBackordersPayload = z.object({ shop: z.string().min(1), reason: z.string().min(1) }).strict();

/** Check an order's payments against its state (app/.server/services/payments/check-payments.ts). */
export const checkPaymentsPayload = z.object({ shop: z.string().min(1), orderId: z.string().min(1), reason: z.string().min(1) }).strict();
/** Capture a shipment's share of the payment (capture policy on_shipment). */
export const captureShipmentPayload = z
  .object({
    shop: z.string().min(1),
    orderId: z.string().startsWith("gid://shopify/Order/"),
    fulfillmentId: z.string().startsWith("gid://shopify/Fulfillment/"),
  })
  .strict();
/** Every minute: pre-orders whose date came, authorisations about to lapse. */
export const orderWatchPayload = z.object({ everyMinutes: z.number().int().positive() }).strict();
/** The operations monitors and signal feed, on a schedule (every shop) or on demand (one shop). */
export const opsMonitorsPayload = z
  .object({ everySeconds: z.number().int().positive().optional(), shop: z.string().min(1).optional(), reason: z.string().min(1).optional() })
  .strict();
export type OpsMonitorsPayload = z.infer<typeof opsMonitorsPayload>;

/** The alert digest for one shop (in-app banner is read live; e-mail and webhook are sent here). */
export const opsAlertsPayload = z.object({ shop: z.string().min(1), reason: z.string().min(1) }).strict();
export type OpsAlertsPayload = z.infer<typeof opsAlertsPayload>;
/** Observe an order's captured money from Shopify and post its captures to the finance ledger (once each). */
export const syncOrderMoneyPayload = z.object({ shop: z.string().min(1), orderId: z.string().min(1), financialStatus: z.string().min(1) }).strict();
export type SyncOrderMoneyPayload = z.infer<typeof syncOrderMoneyPayload>;

/**
 * The shop's money sweep: the captures of its paid orders whose money the OMS has not read yet,
 * in one bulk read (finance/money-sweep.ts). `bulkId`/`poll`: waiting for the bulk operation it started.
 */
export const sweepOrderMoneyPayload = z
  .object({
    shop: z.string().min(1),
    reason: z.string().min(1),
    bulkId: z.string().startsWith("gid://shopify/BulkOperation/").optional(),
    poll: z.number().int().positive().optional(),
  })
  .strict();
export type SweepOrderMoneyPayload = z.infer<typeof sweepOrderMoneyPayload>;

/** Record a refunds/create delivery in the finance ledger (or raise it as refund_over_capture). */
export const recordRefundPayload = z.object({ shop: z.string().min(1), deliveryId: z.string().min(1) }).strict();
export type RecordRefundPayload = z.infer<typeof recordRefundPayload>;
/** Settle an exchange's price difference (its ExchangeSettlement intent): refund it once, or record it to collect. */
export const settleExchangePayload = z.object({ shop: z.string().min(1), returnId: z.string().min(1) }).strict();
export type SettleExchangePayload = z.infer<typeof settleExchangePayload>;
/** Levels where on hand fell below what is reserved: their unpicked orders are re-planned. */
export const replanStockLossPayload = z
  .object({
    shop: z.string().min(1),
    levels: z
      .array(z.object({ inventoryItemId: z.string().min(1), locationId: z.string().min(1) }))
      .min(1)
      .max(250),
    reason: z.string().min(1),
  })
  .strict();
// Amazon (issue 17). Ids are the OMS's (account) and Amazon's (order: 3-7-7 digits).
export const amazonSyncPayload = z.object({ accountId: z.string().min(1), reason: z.string().min(1) }).strict();
export const amazonCreateShopifyOrderPayload = z
  .object({ accountId: z.string().min(1), amazonOrderId: z.string().min(1), updatedAt: z.string().min(1) })
  .strict();
export const amazonApplyOrderPayload = z.object({ accountId: z.string().min(1), amazonOrderId: z.string().min(1), updatedAt: z.string().min(1) }).strict();
export const amazonConfirmShipmentPayload = z.object({ shop: z.string().min(1), shipmentId: z.string().min(1) }).strict();
export const amazonStockPushPayload = z.object({ accountId: z.string().min(1), reason: z.string().min(1) }).strict();

/** The sourcing what-if as a job: replays the last `orders` routed orders under draft `version` (read-only); `requestId` names the run. */
export const sourcingWhatIfPayload = z
  .object({ shop: z.string().min(1), version: z.number().int(), orders: z.number().int().min(1).max(500), requestId: z.string().min(1) })
  .strict();
export type SourcingWhatIfPayload = z.infer<typeof sourcingWhatIfPayload>;

/** Re-read every open Shopify order of a shop from the Admin API (asked for in the admin by `actor`). */
export const resyncOrdersPayload = z.object({ shop: z.string().min(1), runId: z.string().min(1), actor: z.string().min(1) }).strict();
export type ResyncOrdersPayload = z.infer<typeof resyncOrdersPayload>;
