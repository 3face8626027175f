import { checkThresholds, DEFAULT_ALERTS, DEFAULT_THRESHOLDS, type AlertSettings, type MonitorThresholds, type ThresholdError } from "~/domain/ops/monitors";
import { err, ok, type Result } from "~/domain/shared/result";
import type { Staff } from "~/domain/staff/actions";
import { readThresholds, saveThresholds } from "../../db/monitor-queries";

/** Saves a shop's monitor thresholds and alert settings, audited with the staff member and what changed. */
export async function updateMonitorSettings(
  staff: Staff,
  next: MonitorThresholds & AlertSettings,
  now: Date,
): Promise<Result<{ changed: string[] }, ThresholdError>> {
  const problem = checkThresholds(next);
  if (problem) return err(problem);
  const before = await readThresholds(staff.shop);
  const fields = Object.keys({ ...DEFAULT_THRESHOLDS, ...DEFAULT_ALERTS }) as (keyof (MonitorThresholds & AlertSettings))[];
  const changed = fields.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]));
  if (changed.length === 0) return ok({ changed });
  await saveThresholds(
    staff.shop,
    next,
    staff.actor,
    now,
    `monitor settings: ${changed.map((k) => `${k} ${JSON.stringify(before[k])} → ${JSON.stringify(next[k])}`).join(", ")}`,
  );
  return ok({ changed });
}
