import type { Processors } from "~/.server/queue/worker";
import { processWebhookJob } from "./process-webhook";
import { requeueDeliveriesJob } from "./requeue-deliveries";

export const processors: Processors = {
  processWebhook: processWebhookJob,
  requeueDeliveries: requeueDeliveriesJob,
};
