import { queue } from "./queues";
import type { QueueName } from "./definitions";

export type JobProgress = {
  id: string;
  name: string;
  state: "active" | "waiting" | "delayed";
  progress: number;
  startedAt: number | null;
  data: Record<string, unknown>;
};

/** Active and waiting jobs of the given names on a queue, with bull's progress (0–100) as each job reported it. */
export async function jobsInProgress(queueName: QueueName, names: readonly string[]): Promise<JobProgress[]> {
  const q = queue(queueName);
  const [active, waiting, delayed] = await Promise.all([q.getActive(0, 50), q.getWaiting(0, 50), q.getDelayed(0, 50)]);
  const rows: JobProgress[] = [];
  for (const [state, jobs] of [
    ["active", active],
    ["waiting", waiting],
    ["delayed", delayed],
  ] as const) {
    for (const j of jobs) {
      if (!j || !names.includes(j.name)) continue;
      const p = j.progress();
      rows.push({
        id: String(j.id),
        name: j.name,
        state,
        progress: typeof p === "number" ? p : 0,
        startedAt: j.processedOn ?? null,
        data: j.data as Record<string, unknown>,
      });
    }
  }
  return rows;
}

export type LatestJob = { id: string; state: string; progress: number; result: unknown; failedReason: string | null };

/** The newest job of `name` on a queue for a shop, in any state (finished jobs keep their return value until bull removes them). */
export async function latestJobFor(queueName: QueueName, name: string, shop: string): Promise<LatestJob | null> {
  const jobs = await queue(queueName).getJobs(["active", "waiting", "delayed", "completed", "failed"], 0, 100);
  const mine = jobs.filter((j) => j && j.name === name && (j.data as { shop?: string }).shop === shop).sort((a, b) => b.timestamp - a.timestamp);
  const listed = mine[0];
  if (!listed) return null;
  // The list was read before the state: a job that finished in between is read again, so its
  // result is there (bull writes a job's result and its completed state together).
  const state = await listed.getState();
  const j = state === "completed" || state === "failed" ? ((await queue(queueName).getJob(listed.id)) ?? listed) : listed;
  const p = j.progress();
  return {
    id: String(j.id),
    state,
    progress: typeof p === "number" ? p : 0,
    result: j.returnvalue ?? null,
    failedReason: j.failedReason ?? null,
  };
}
