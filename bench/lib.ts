import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Queue } from "bull";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function summarize(label: string, samplesMs: number[]): string {
  const s = [...samplesMs].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  return `${label.padEnd(38)} n=${String(s.length).padStart(6)}  p50=${f(percentile(s, 50))} ms  p95=${f(percentile(s, 95))} ms  p99=${f(percentile(s, 99))} ms  max=${f(s.at(-1) ?? NaN)} ms`;
}

/** A fresh SQLite database with every migration applied, and a Redis prefix of its own. */
export function isolatedWorld(name: string): { databaseUrl: string; queuePrefix: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), `oms-bench-${name}-`));
  const databaseUrl = `file:${path.join(dir, "bench.sqlite")}`;
  execFileSync("prisma", ["migrate", "deploy"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "pipe" });
  return { databaseUrl, queuePrefix: `oms-bench-${path.basename(dir)}`, dir };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Jobs still to run in a queue: waiting, active, and delayed ones due within two minutes. Repeating
 * schedules and checks set for later (a payments check after its grace period, an order watch) are
 * not work the input left undone.
 */
export async function busyJobs(q: Queue): Promise<number> {
  const c = await q.getJobCounts();
  let later = 0;
  if (c.delayed) {
    const horizon = Date.now() + 120_000;
    for (const j of await q.getDelayed()) if (String(j.id).startsWith("repeat:") || j.timestamp + (j.opts.delay ?? 0) > horizon) later++;
  }
  return c.waiting + c.active + c.delayed - later;
}
