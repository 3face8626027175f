import type { Processors } from "~/.server/queue/worker";
import { amazonApplyOrderJob, amazonConfirmShipmentJob, amazonStockPushJob, amazonSyncJob } from "./amazon";
import { backfillBulkJob } from "./backfill-bulk";
import { backfillPageJob } from "./backfill-page";
import { inventoryFlushJob, inventoryReconcileJob, inventoryScheduledJob, inventorySyncJob } from "./inventory";
import { processWebhookJob } from "./process-webhook";
import { pruneRetentionJob } from "./prune-retention";
import { requeueDeliveriesJob } from "./requeue-deliveries";
import { releaseBackordersJob, routeOrderJob } from "./route-order";
import { syncOrderJob } from "./sync-order";

export const processors: Processors = {
  processWebhook: processWebhookJob,
  requeueDeliveries: requeueDeliveriesJob,
  syncOrder: syncOrderJob,
  routeOrder: routeOrderJob,
  releaseBackorders: releaseBackordersJob,
  backfillPage: backfillPageJob,
  backfillBulk: backfillBulkJob,
  inventorySync: inventorySyncJob,
  inventoryFlush: inventoryFlushJob,
  inventoryReconcile: inventoryReconcileJob,
  inventoryScheduled: inventoryScheduledJob,
  pruneRetention: pruneRetentionJob,
  amazonSync: amazonSyncJob,
  amazonApplyOrder: amazonApplyOrderJob,
  amazonConfirmShipment: amazonConfirmShipmentJob,
  amazonStockPush: amazonStockPushJob,
};
