import { processWebhook } from "~/.server/services/process-webhook";
import type { Processor } from "~/.server/queue/worker";

export const processWebhookJob: Processor<"processWebhook"> = (payload, { now }) => processWebhook(payload.deliveryId, now);
