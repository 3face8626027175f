import type { Processors } from "~/.server/queue/worker";
import { amazonApplyOrderJob, amazonConfirmShipmentJob, amazonCreateShopifyOrderJob, amazonStockPushJob, amazonSyncJob } from "./amazon";
import { backfillBulkJob } from "./backfill-bulk";
import { backfillPageJob } from "./backfill-page";
import { inventoryFlushJob, inventoryReconcileJob, inventoryScheduledJob, inventorySyncJob, inventoryWebhooksJob } from "./inventory";
import { resyncOrdersJob, sourcingWhatIfJob } from "./long-work";
import { opsAlertsJob, opsMonitorsJob } from "./ops";
import { fulfillmentOrderEventsJob, fulfillmentOrderRechecksJob, orderCreationsJob, processWebhookJob } from "./process-webhook";
import { pruneRetentionJob } from "./prune-retention";
import { requeueDeliveriesJob } from "./requeue-deliveries";
import { releaseBackordersJob, replanStockLossJob, routeOrderJob } from "./route-order";
import { syncOrderJob } from "./sync-order";
import { captureShipmentJob, checkPaymentsJob, orderWatchJob } from "./orders-watch";
import { recordRefundJob, settleExchangeJob, sweepOrderMoneyJob, syncOrderMoneyJob } from "./sync-order-money";

export const processors: Processors = {
  processWebhook: processWebhookJob,
  orderCreations: orderCreationsJob,
  fulfillmentOrderEvents: fulfillmentOrderEventsJob,
  fulfillmentOrderRechecks: fulfillmentOrderRechecksJob,
  requeueDeliveries: requeueDeliveriesJob,
  syncOrder: syncOrderJob,
  routeOrder: routeOrderJob,
  syncOrderMoney: syncOrderMoneyJob,
  sweepOrderMoney: sweepOrderMoneyJob,
  recordRefund: recordRefundJob,
  settleExchange: settleExchangeJob,
  releaseBackorders: releaseBackordersJob,
  replanStockLoss: replanStockLossJob,
  backfillPage: backfillPageJob,
  backfillBulk: backfillBulkJob,
  inventorySync: inventorySyncJob,
  inventoryFlush: inventoryFlushJob,
  inventoryWebhooks: inventoryWebhooksJob,
  inventoryReconcile: inventoryReconcileJob,
  inventoryScheduled: inventoryScheduledJob,
  checkPayments: checkPaymentsJob,
  captureShipment: captureShipmentJob,
  orderWatch: orderWatchJob,
  opsMonitors: opsMonitorsJob,
  opsAlerts: opsAlertsJob,
  pruneRetention: pruneRetentionJob,
  amazonSync: amazonSyncJob,
  amazonApplyOrder: amazonApplyOrderJob,
  amazonCreateShopifyOrder: amazonCreateShopifyOrderJob,
  amazonConfirmShipment: amazonConfirmShipmentJob,
  amazonStockPush: amazonStockPushJob,
  sourcingWhatIf: sourcingWhatIfJob,
  resyncOrders: resyncOrdersJob,
};
