// A worker whose routing job hangs mid-pass holding the order's sourcing lease, as a route stuck in
// a Shopify call would, until the test kills it (test/sourcing-lease.test.ts). Prints "routing <order>".
import { withSourcingLease } from "~/.server/db/sourcing-lease";
import { startProcessing, type Processors } from "~/.server/queue/worker";

const idle = async () => ({});
const processors: Processors = {
  processWebhook: idle,
  requeueDeliveries: idle,
  syncOrder: idle,
  releaseBackorders: idle,
  replanStockLoss: idle,
  backfillPage: idle,
  backfillBulk: idle,
  inventorySync: idle,
  inventoryFlush: idle,
  inventoryWebhooks: idle,
  orderCreations: idle,
  fulfillmentOrderEvents: idle,
  fulfillmentOrderRechecks: idle,
  inventoryReconcile: idle,
  inventoryScheduled: idle,
  pruneRetention: idle,
  checkPayments: idle,
  captureShipment: idle,
  orderWatch: idle,
  opsMonitors: idle,
  opsAlerts: idle,
  syncOrderMoney: idle,
  sweepOrderMoney: idle,
  recordRefund: idle,
  settleExchange: idle,
  amazonSync: idle,
  amazonApplyOrder: idle,
  amazonCreateShopifyOrder: idle,
  amazonConfirmShipment: idle,
  amazonStockPush: idle,
  sourcingWhatIf: idle,
  resyncOrders: idle,
  routeOrder: (p) =>
    withSourcingLease(p.shop, p.orderId, () => {
      console.log(`routing ${p.orderId}`);
      return new Promise(() => {});
    }),
};
startProcessing(processors);
console.log("ready");
