import type { Processor } from "~/.server/queue/worker";
import { resyncOpenOrders } from "~/.server/services/ops/resync-orders";
import { simulateWhatIf } from "~/.server/services/sourcing-admin";

/** The sourcing what-if: its Result is the job's return value, which the Sourcing page shows when done. */
export const sourcingWhatIfJob: Processor<"sourcingWhatIf"> = (p, { now, progress }) =>
  simulateWhatIf(p.shop, { version: p.version, orders: p.orders }, now, progress);

/** Re-read a shop's open orders from Shopify, reporting progress per order. */
export const resyncOrdersJob: Processor<"resyncOrders"> = (p, { now, progress }) => resyncOpenOrders(p.shop, now, progress);
