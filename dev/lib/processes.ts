import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

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

/** The web app (server.ts over the Remix build) and the worker, as the main job runs them. */
export function startApp(env: Record<string, string | undefined>, opts: { workerNice?: number } = {}): { web: ChildProcess; worker: ChildProcess } {
  const worker = ["node", "--import", "tsx", "jobs/worker.ts"];
  return {
    web: run("web", "node", ["--import", "tsx", "server.ts"], { SQLITE_WAL_AUTOCHECKPOINT: "0", ...env }),
    // Acknowledging webhooks is latency-bound, processing them is throughput-bound: on a shared
    // machine the worker can yield the CPU to the web process (in production they run apart).
    worker: opts.workerNice ? run("worker", "nice", ["-n", String(opts.workerNice), ...worker], env) : run("worker", worker[0]!, worker.slice(1), env),
  };
}

export async function waitForHealth(url: string, timeoutMs = 60_000): Promise<{ node: string }> {
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

/** Stops every child on Ctrl-C or when one of them dies. */
export function superviseChildren(children: ChildProcess[], onStop: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.on("exit", r)) : null)));
    await onStop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  for (const c of children) c.on("exit", (code) => void stop(code ?? 1));
}
