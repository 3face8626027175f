import { jobs } from "~/.server/queue/definitions";
import { env } from "~/.server/env";
import { allActiveAccounts } from "~/.server/db/amazon";
import { queue, scheduleAmazonSync } from "~/.server/queue/queues";

/** Repeating jobs. bull keys repeats by name + cron, so re-registering on every start is harmless. */
export async function registerSchedules(): Promise<void> {
  const def = jobs.requeueDeliveries;
  await queue(def.queue).add(def.name, { olderThanSeconds: 60 }, { repeat: { every: 60_000 }, jobId: def.jobId({ olderThanSeconds: 60 }) });
  // The full inventory reconcile catches drift the event-driven sync missed.
  const inv = jobs.inventoryScheduled;
  const everyMinutes = env().INVENTORY_RECONCILE_MINUTES;
  await queue(inv.queue).add(inv.name, { everyMinutes }, { repeat: { every: everyMinutes * 60_000 }, jobId: inv.jobId({ everyMinutes }) });
  // Pre-orders whose fulfilment date came, and authorisations about to lapse.
  const watch = jobs.orderWatch;
  await queue(watch.queue).add(watch.name, { everyMinutes: 1 }, { repeat: { every: 60_000 }, jobId: watch.jobId({ everyMinutes: 1 }) });
  // The operations monitors and the exception queue's signal feed, every OPS_MONITOR_SECONDS.
  const ops = jobs.opsMonitors;
  const everySeconds = env().OPS_MONITOR_SECONDS;
  await queue(ops.queue).add(ops.name, { everySeconds }, { repeat: { every: everySeconds * 1000 }, jobId: ops.jobId({ everySeconds }) });
  // Retention: once a day, what aged out of the configured periods (README, Configuration).
  const prune = jobs.pruneRetention;
  await queue(prune.queue).add(prune.name, { reason: "daily" }, { repeat: { every: 86_400_000 }, jobId: prune.jobId({ reason: "daily" }) });
  // Each connected Amazon account polls and pushes stock on its own repeating jobs.
  for (const a of await allActiveAccounts()) await scheduleAmazonSync(a.id);
}
