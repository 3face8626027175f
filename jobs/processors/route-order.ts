import type { Processor } from "~/.server/queue/worker";
import { releaseBackorders } from "~/.server/services/release-backorders";
import { routeOrder } from "~/.server/services/route-order";

export const routeOrderJob: Processor<"routeOrder"> = (p, { now }) => routeOrder(p.shop, p.orderId, now);

export const releaseBackordersJob: Processor<"releaseBackorders"> = (p, { now }) => releaseBackorders(p.shop, now);
