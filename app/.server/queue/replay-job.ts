import { definitionByName, type QueueName } from "./definitions";
import { queue, validatePayload } from "./queues";

export type RerunOutcome =
  { kind: "retried" } | { kind: "queued"; jobId: string } | { kind: "unknown-job"; jobName: string } | { kind: "invalid-payload"; reason: string };

/**
 * Runs a dead-lettered job again under the same job id: bull's failed job is retried in place if
 * it is still kept, otherwise the job is added again (a job id still waiting or active is a no-op,
 * so a double click runs it once).
 */
export async function rerunJob(queueName: string, jobName: string, jobId: string, payload: unknown): Promise<RerunOutcome> {
  const def = definitionByName(jobName);
  if (!def) return { kind: "unknown-job", jobName };
  let data: unknown;
  try {
    data = validatePayload(def, payload);
  } catch (e) {
    return { kind: "invalid-payload", reason: e instanceof Error ? e.message : String(e) };
  }
  const q = queue((def.queue ?? queueName) as QueueName);
  const existing = await q.getJob(jobId);
  if (existing && (await existing.isFailed())) {
    await existing.retry();
    return { kind: "retried" };
  }
  if (existing && !(await existing.isCompleted())) return { kind: "queued", jobId };
  if (existing) await existing.remove();
  await q.add(def.name, data, {
    jobId,
    attempts: def.attempts,
    backoff: { type: "exponential", delay: def.backoffMs },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  });
  return { kind: "queued", jobId };
}
