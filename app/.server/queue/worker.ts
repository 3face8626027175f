import type Queue from "bull";
import { recordDeadLetter } from "../db/dead-letters";
import { logFor } from "../log";
import { jobDuration, jobFailures } from "../metrics";
import { NonRetriableError } from "../errors";
import { definitionByName, jobs, type AnyJobDefinition, type JobKey, type PayloadOf } from "./definitions";
import { queue, validatePayload } from "./queues";

/** `progress` reports how far a long job is (0–100) through bull's own job progress: the admin's progress bars read it. */
export type Processor<K extends JobKey> = (
  payload: PayloadOf<K>,
  ctx: {
    now: Date;
    attempt: number;
    /** How many tries this job has in all (its own attempts, else its definition's). */ attempts?: number;
    progress?: (percent: number) => Promise<unknown>;
  },
) => Promise<unknown>;
export type Processors = { [K in JobKey]: Processor<K> };

/**
 * Attaches the processors to their queues. Each job's payload is validated again here (it may have
 * been enqueued by an older deploy); non-retriable failures are discarded at once, and every job
 * that will not run again lands in the dead-letter table with its error.
 */
export type OnDead = (jobName: string, data: unknown, error: Error, at: Date) => Promise<void>;

export function startProcessing(processors: Processors, clock: () => Date = () => new Date(), onDead?: OnDead): Queue.Queue[] {
  const used = new Set<Queue.Queue>();
  for (const key of Object.keys(jobs) as JobKey[]) {
    const def: AnyJobDefinition = jobs[key];
    const q = queue(def.queue);
    used.add(q);
    q.process(def.name, def.concurrency, async (job) => {
      const end = jobDuration.startTimer({ job: def.name });
      const data = job.data as Record<string, unknown>;
      const logger = logFor({
        jobName: def.name,
        jobId: String(job.id),
        shop: typeof data?.shop === "string" ? data.shop : null,
        deliveryId: typeof data?.deliveryId === "string" ? data.deliveryId : null,
        orderId: typeof data?.orderId === "string" ? data.orderId : null,
      });
      try {
        const payload = validatePayload(def, job.data);
        const result = await (processors[key] as Processor<JobKey>)(payload, {
          now: clock(),
          attempt: job.attemptsMade + 1,
          attempts: job.opts.attempts ?? def.attempts,
          progress: (pct) => job.progress(Math.max(0, Math.min(100, Math.round(pct)))),
        });
        end({ outcome: "completed" });
        logger.debug({ attempt: job.attemptsMade + 1 }, "job completed");
        return result;
      } catch (e) {
        const retriable = !(e instanceof NonRetriableError);
        end({ outcome: "failed" });
        jobFailures.inc({ job: def.name, retriable: String(retriable) });
        logger.warn({ attempt: job.attemptsMade + 1, retriable, err: e instanceof Error ? { name: e.name, message: e.message } : String(e) }, "job failed");
        if (!retriable) job.discard();
        throw e;
      }
    });
  }
  for (const q of used) {
    q.on("failed", (job, error) => {
      const def = definitionByName(job.name);
      const retriable = !(error instanceof NonRetriableError);
      const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
      if (retriable && !exhausted) return;
      const data = job.data as Record<string, unknown>;
      const failedAt = clock();
      if (onDead) onDead(job.name, job.data, error, failedAt).catch((e) => console.error("dead-letter hook failed", e));
      recordDeadLetter({
        queue: def?.queue ?? q.name,
        jobName: job.name,
        jobId: String(job.id),
        shop: typeof data?.shop === "string" ? data.shop : null,
        payload: job.data,
        error: `${error.name}: ${error.message}`,
        retriable,
        attempts: job.attemptsMade,
        failedAt,
      }).catch((dlqError) => console.error("could not record dead letter", dlqError));
    });
  }
  return [...used];
}
