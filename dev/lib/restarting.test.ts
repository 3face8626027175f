import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { RestartingChild } from "./restarting";

const node = (code: string) => () => spawn(process.execPath, ["-e", code], { stdio: "ignore" });
const until = async (what: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("a supervised child that dies is started again", () => {
  const started: RestartingChild[] = [];
  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop("SIGKILL");
  });

  it("given a worker killed with SIGKILL, a new process takes its place", async () => {
    const lines: string[] = [];
    const w = new RestartingChild("worker", node("setInterval(() => {}, 1000)"), { minDelayMs: 10, log: (l) => lines.push(l) });
    started.push(w);
    const first = w.child.pid;
    w.child.kill("SIGKILL");
    await until(() => w.restarts === 1 && w.running);
    expect(w.child.pid).not.toBe(first);
    expect(lines).toEqual(["[worker] died (SIGKILL); restarting in 10 ms"]);
  });

  it("given a child that keeps crashing at start, restarts back off instead of spinning", async () => {
    const lines: string[] = [];
    const w = new RestartingChild("worker", node("process.exit(3)"), { minDelayMs: 20, maxDelayMs: 80, log: (l) => lines.push(l) });
    started.push(w);
    await until(() => lines.length >= 4);
    expect(lines.slice(0, 4).map((l) => l.match(/in (\d+) ms/)![1])).toEqual(["20", "40", "80", "80"]);
    expect(lines[0]).toContain("exit 3");
  });

  it("given stop(), the child ends with SIGTERM and is not started again", async () => {
    const w = new RestartingChild("worker", node("process.on('SIGTERM', () => setTimeout(() => process.exit(0), 50)); setInterval(() => {}, 1000)"), {
      minDelayMs: 10,
      log: () => {},
    });
    await new Promise((r) => setTimeout(r, 300)); // the handler is installed
    await w.stop();
    expect(w.child.exitCode).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(w.restarts).toBe(0);
  });
});
