import type { Processor } from "~/.server/queue/worker";
import { releaseBackorders } from "~/.server/services/release-backorders";
import { routeOrder } from "~/.server/services/route-order";
import { replanStockLoss } from "~/.server/services/changes/stock-loss";

export const routeOrderJob: Processor<"routeOrder"> = (p, { now }) => routeOrder(p.shop, p.orderId, now);

export const releaseBackordersJob: Processor<"releaseBackorders"> = (p, { now }) => releaseBackorders(p.shop, now);

export const replanStockLossJob: Processor<"replanStockLoss"> = (p, { now }) => replanStockLoss(p.shop, p.levels, now);
