import { wakeSnoozed } from "../../db/exception-queue";
import { monitoredShops } from "../../db/monitor-queries";
import { logFor } from "../../log";
import { catchUpMoneySweep } from "../finance/money-sweep";
import { evaluateMonitors } from "./evaluate-monitors";
import { feedSignals } from "./feed-signals";
import { sendAlerts } from "./send-alerts";

/**
 * One operations pass for a shop: snoozes that ended reopen, the five monitors run, existing signals
 * feed the queue, and alerts go out. Every step is idempotent, so overlapping passes (several
 * workers, a manual run during a scheduled one) change nothing twice.
 */
export async function runOperations(shop: string, now: Date) {
  const logger = logFor({ shop, jobName: "ops-monitors" });
  const woke = await wakeSnoozed(shop, now);
  const monitors = await evaluateMonitors(shop, now);
  const signals = await feedSignals(shop, now);
  const alerts = await sendAlerts(shop, now);
  // A paid order whose money no sweep has read (its sweep failed for good, or its job was lost) gets another.
  const moneySweep = await catchUpMoneySweep(shop, now);
  for (const m of monitors) if (m.error) logger.warn({ monitor: m.kind, error: m.error }, "monitor could not be evaluated");
  const raised = monitors.reduce((n, m) => n + m.raised, 0) + signals.raised;
  if (raised || woke) logger.info({ raised, cleared: monitors.reduce((n, m) => n + m.cleared, 0) + signals.cleared, woke }, "operations pass");
  return { shop, woke, monitors, signals, alerts, moneySweep };
}

export async function runOperationsForAllShops(now: Date) {
  const out = [];
  for (const shop of await monitoredShops()) out.push(await runOperations(shop, now));
  return out;
}
