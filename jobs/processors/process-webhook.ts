import { processFulfillmentOrderEvents, processOrderCreations, recheckFulfillmentOrderEvents } from "~/.server/services/order-webhooks";
import { processWebhook } from "~/.server/services/process-webhook";
import type { Processor } from "~/.server/queue/worker";

export const processWebhookJob: Processor<"processWebhook"> = (payload, { now }) => processWebhook(payload.deliveryId, now);

export const fulfillmentOrderEventsJob: Processor<"fulfillmentOrderEvents"> = (p, { now }) => processFulfillmentOrderEvents(p.shop, now);

export const orderCreationsJob: Processor<"orderCreations"> = (p, { now }) => processOrderCreations(p.shop, now);

export const fulfillmentOrderRechecksJob: Processor<"fulfillmentOrderRechecks"> = (p) => recheckFulfillmentOrderEvents(p.shop, p.checks);
