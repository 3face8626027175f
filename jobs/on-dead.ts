import { markDelivery } from "~/.server/db/webhook-deliveries";
import { jobs } from "~/.server/queue/definitions";
import type { OnDead } from "~/.server/queue/worker";

/** A delivery whose processing job died is marked failed, so the admin shows it for replay. */
export const onDead: OnDead = async (jobName, data, error, at) => {
  if (jobName !== jobs.processWebhook.name) return;
  const parsed = jobs.processWebhook.payload.safeParse(data);
  if (parsed.success) await markDelivery(parsed.data.deliveryId, "failed", at, `${error.name}: ${error.message}`).catch(() => undefined);
};
