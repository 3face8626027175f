import type { Processor } from "~/.server/queue/worker";
import { routeOrder } from "~/.server/services/route-order";

export const routeOrderJob: Processor<"routeOrder"> = (p, { now }) => routeOrder(p.shop, p.orderId, now);
