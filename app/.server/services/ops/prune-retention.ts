import { retentionCutoffs, type RetentionPolicy } from "~/domain/retention/policy";
import { pruneOlderThan, type PruneCounts } from "../../db/retention";
import { env } from "../../env";

export function retentionPolicy(): RetentionPolicy {
  const e = env();
  return { webhookDays: e.RETENTION_WEBHOOK_DAYS, driftDays: e.RETENTION_DRIFT_DAYS, jobDays: e.RETENTION_JOB_DAYS, timelineDays: e.RETENTION_TIMELINE_DAYS };
}

/**
 * Deletes what has aged out of the configured retention periods. Never touches anything still
 * open: deliveries waiting for a replay or referred to by an open order, open exceptions and the
 * dead letters they point at, unresolved drift, timelines of open orders.
 */
export async function pruneRetention(now: Date, policy: RetentionPolicy = retentionPolicy()): Promise<PruneCounts> {
  return pruneOlderThan(retentionCutoffs(now, policy));
}
