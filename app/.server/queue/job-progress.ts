import { queue } from "./queues";
import type { QueueName } from "./definitions";

export type JobProgress = { id: string; name: string; state: "active" | "waiting" | "delayed"; progress: number; startedAt: number | null; data: Record<string, unknown> };

/** Active and waiting jobs of the given names on a queue, with bull's progress (0–100) as each job reported it. */
export async function jobsInProgress(queueName: QueueName, names: readonly string[]): Promise<JobProgress[]> {
  const q = queue(queueName);
  const [active, waiting, delayed] = await Promise.all([q.getActive(0, 50), q.getWaiting(0, 50), q.getDelayed(0, 50)]);
  const rows: JobProgress[] = [];
  for (const [state, jobs] of [["active", active], ["waiting", waiting], ["delayed", delayed]] as const) {
    for (const j of jobs) {
      if (!j || !names.includes(j.name)) continue;
      const p = j.progress();
      rows.push({ id: String(j.id), name: j.name, state, progress: typeof p === "number" ? p : 0, startedAt: j.processedOn ?? null, data: j.data as Record<string, unknown> });
    }
  }
  return rows;
}
