// Keeps the demo's child processes together: Ctrl-C stops them in reverse start order (the shopper
// first, the stand-in last); a service dying stops everything, except the worker, which is started
// again (addRestarting). A child marked `optional` (the shopper simulator) may finish on its own
// without taking the demo down.
import type { ChildProcess } from "node:child_process";
import { RestartingChild } from "../lib/restarting";

interface Entry {
  label: string;
  child: ChildProcess | RestartingChild;
  optional: boolean;
}

export class DemoSupervisor {
  private readonly entries: Entry[] = [];
  private stopping = false;
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  constructor() {
    process.on("SIGINT", () => void this.stop(0, "Ctrl-C"));
    process.on("SIGTERM", () => void this.stop(0, "SIGTERM"));
  }

  add(label: string, child: ChildProcess, optional = false): ChildProcess {
    this.entries.push({ label, child, optional });
    child.on("exit", (code, signal) => {
      if (this.stopping) return;
      if (optional) {
        console.log(`[${label}] finished (${signal ?? `exit ${code}`})`);
        return;
      }
      void this.stop(1, `${label} stopped unexpectedly (${signal ?? `exit ${code}`})`);
    });
    return child;
  }

  /** A service that is started again when it dies (the worker): its death does not stop the demo. */
  addRestarting(label: string, start: () => ChildProcess): RestartingChild {
    const restarting = new RestartingChild(label, start);
    this.entries.push({ label, child: restarting, optional: false });
    return restarting;
  }

  onStop(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  async stop(code: number, reason: string): Promise<never> {
    if (!this.stopping) {
      this.stopping = true;
      console.log(`\nstopping the demo: ${reason}`);
      for (const { child } of [...this.entries].reverse()) {
        if (child instanceof RestartingChild) {
          await child.stop("SIGTERM", 8000);
          continue;
        }
        if (child.exitCode !== null || child.signalCode !== null) continue;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
        await exited;
        clearTimeout(timer);
      }
      for (const cleanup of this.cleanups.reverse()) await cleanup();
      process.exit(code);
    }
    return new Promise<never>(() => {});
  }
}
