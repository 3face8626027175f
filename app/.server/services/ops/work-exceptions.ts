import { checkWork, describeWork, type QueueWork, type QueueWorkError } from "~/domain/ops/queue";
import { err, ok, type Result } from "~/domain/shared/result";
import type { Staff } from "~/domain/staff/actions";
import { applyWork } from "../../db/exception-queue";

/**
 * Assign, snooze or resolve queue items (one or many): checked, applied with one guarded update
 * and audited with the staff member who did it. Items already resolved are left as they are, so a
 * double click or two colleagues working the same items change them once.
 */
export async function workExceptions(staff: Staff, ids: readonly string[], work: QueueWork, now: Date): Promise<Result<{ changed: number }, QueueWorkError>> {
  const problem = checkWork(work, ids, now);
  if (problem) return err(problem);
  const changed = await applyWork(staff.shop, ids, work, {
    actor: staff.actor,
    at: now,
    summary: `${ids.length === 1 ? "1 item" : `${ids.length} items`} ${describeWork(work)}`,
  });
  return ok({ changed: changed.length });
}
