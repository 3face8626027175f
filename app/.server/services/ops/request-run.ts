import { enqueue } from "../../queue/queues";

/** Runs the shop's monitors now (one job per shop and minute: clicking twice runs it once). */
export async function requestMonitorRun(shop: string, now: Date) {
  await enqueue("opsMonitors", { shop, reason: `manual-${Math.floor(now.getTime() / 60_000)}` });
}
