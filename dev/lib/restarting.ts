// A child process that is started again when it dies (a crashed or killed worker), used by every
// process that runs the app: dev/start.ts, the demo (dev/demo/demo-supervisor.ts) and the cluster
// runner (dev/cluster.ts). Restarts back off (0.5 s doubling to 30 s) while the child keeps dying
// soon after starting, and reset once it has stayed up a minute. `stop()` ends it for good:
// SIGTERM (the worker then finishes its current job), SIGKILL if it has not exited in time.
import type { ChildProcess } from "node:child_process";

export type RestartingOptions = {
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Up this long, the next death restarts at minDelayMs again. */
  healthyAfterMs?: number;
  log?: (line: string) => void;
};

export class RestartingChild {
  child: ChildProcess;
  restarts = 0;
  private stopped = false;
  private delayMs: number;
  private startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((child: ChildProcess) => void)[] = [];

  constructor(
    readonly label: string,
    private readonly start: () => ChildProcess,
    private readonly opts: RestartingOptions = {},
  ) {
    this.delayMs = opts.minDelayMs ?? 500;
    this.child = this.launch();
  }

  /** Called with every new child (the first one excluded). */
  onRestart(listener: (child: ChildProcess) => void): void {
    this.listeners.push(listener);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  private launch(): ChildProcess {
    this.startedAt = Date.now();
    const child = this.start();
    child.once("exit", (code, signal) => this.died(child, code, signal));
    return child;
  }

  private died(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) {
    if (this.stopped || child !== this.child) return;
    const { minDelayMs = 500, maxDelayMs = 30_000, healthyAfterMs = 60_000, log = console.error } = this.opts;
    if (Date.now() - this.startedAt >= healthyAfterMs) this.delayMs = minDelayMs;
    const delay = this.delayMs;
    this.delayMs = Math.min(maxDelayMs, this.delayMs * 2);
    log(`[${this.label}] died (${signal ?? `exit ${code}`}); restarting in ${delay} ms`);
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      this.restarts += 1;
      this.child = this.launch();
      for (const l of this.listeners) l(this.child);
    }, delay);
  }

  /** Stops it for good (no restart): SIGTERM, then SIGKILL after `killAfterMs`. */
  async stop(signal: NodeJS.Signals = "SIGTERM", killAfterMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    const killer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    await exited;
    clearTimeout(killer);
  }
}
