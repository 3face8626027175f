import type { Processor } from "~/.server/queue/worker";
import { runOperations, runOperationsForAllShops } from "~/.server/services/ops/run-operations";
import { sendAlerts } from "~/.server/services/ops/send-alerts";

export const opsMonitorsJob: Processor<"opsMonitors"> = async (p, { now }) => {
  const runs = p.shop ? [await runOperations(p.shop, now)] : await runOperationsForAllShops(now);
  return { shops: runs.length, raised: runs.reduce((n, r) => n + r.monitors.reduce((m, x) => m + x.raised, 0) + r.signals.raised, 0) };
};

export const opsAlertsJob: Processor<"opsAlerts"> = (p, { now }) => sendAlerts(p.shop, now);
