import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { RestartingChild } from "./restarting";

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** Starts a child with its output prefixed, so several services can share one terminal. */
export function run(label: string, command: string, args: string[], env: Record<string, string | undefined> = {}): ChildProcess {
  const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => `[${label}] ${l}\n`)
      .join("");
  child.stdout?.on("data", (c: Buffer) => process.stdout.write(prefix(c)));
  child.stderr?.on("data", (c: Buffer) => process.stderr.write(prefix(c)));
  return child;
}

/** Runs a command to completion, failing loudly. */
export async function runToEnd(label: string, command: string, args: string[], env: Record<string, string | undefined> = {}): Promise<void> {
  const child = run(label, command, args, env);
  const code: number = await new Promise((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
}

export async function buildAppIfMissing(): Promise<void> {
  if (existsSync(path.join(repoRoot, "build/server/index.js"))) return;
  await runToEnd("build", "remix", ["vite:build"]);
}

/** One web process (server.ts over the Remix build). */
export function startWeb(env: Record<string, string | undefined>, label = "web"): ChildProcess {
  return run(label, "node", ["--import", "tsx", "server.ts"], { SQLITE_WAL_AUTOCHECKPOINT: "0", ...env });
}

/** One worker process (jobs/worker.ts). */
export function startWorker(env: Record<string, string | undefined>, opts: { nice?: number; label?: string } = {}): ChildProcess {
  const worker = ["node", "--import", "tsx", "jobs/worker.ts"];
  const label = opts.label ?? "worker";
  // Acknowledging webhooks is latency-bound, processing them is throughput-bound: on a shared
  // machine the worker can yield the CPU to the web process (in production they run apart).
  return opts.nice ? run(label, "nice", ["-n", String(opts.nice), ...worker], env) : run(label, worker[0]!, worker.slice(1), env);
}

/** The web app and the worker, as the main job runs them. */
export function startApp(env: Record<string, string | undefined>, opts: { workerNice?: number } = {}): { web: ChildProcess; worker: ChildProcess } {
  return { web: startWeb(env), worker: startWorker(env, { nice: opts.workerNice }) };
}

// OMS_UP_TIMEOUT_S: how long a start waits for /health (default 60 s; a loaded machine may need more).
export async function waitForHealth(url: string, timeoutMs = Number(process.env.OMS_UP_TIMEOUT_S ?? 60) * 1000): Promise<{ node: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return (await res.json()) as { node: string };
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms: ${last}`);
}

/**
 * Stops every child on Ctrl-C/SIGTERM (each gets SIGTERM: workers finish their current job). A
 * plain child dying stops everything; a RestartingChild (a worker) is started again instead.
 */
export function superviseChildren(children: (ChildProcess | RestartingChild)[], onStop: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(async (c) => {
        if (c instanceof RestartingChild) return c.stop();
        if (c.exitCode !== null || c.signalCode !== null) return;
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        await exited;
      }),
    );
    await onStop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  for (const c of children) if (!(c instanceof RestartingChild)) c.on("exit", (code) => void stop(code ?? 1));
}
