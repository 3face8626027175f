import { db } from "./client";

export type DeadLetterInput = {
  queue: string;
  jobName: string;
  jobId: string;
  shop: string | null;
  payload: unknown;
  error: string;
  retriable: boolean;
  attempts: number;
  failedAt: Date;
};

/** Idempotent: a job that dies twice (e.g. after a manual retry) keeps its latest failure. */
export async function recordDeadLetter(d: DeadLetterInput): Promise<void> {
  const data = { ...d, payload: JSON.stringify(d.payload ?? null) };
  await db().deadLetter.upsert({
    where: { queue_jobId: { queue: d.queue, jobId: d.jobId } },
    create: data,
    update: data,
  });
}

export function listDeadLetters(take = 50, shop?: string) {
  return db().deadLetter.findMany({ where: shop ? { shop } : {}, orderBy: { failedAt: "desc" }, take });
}
