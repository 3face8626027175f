// The worker's health endpoint answers like the web's: database and Redis, 200 when both answer.
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { closeQueues } from "~/.server/queue/queues";
import { serveWorkerHealth } from "../jobs/health-server";

describe("worker health endpoint", () => {
  afterAll(() => closeQueues());

  it("reports the worker's database and Redis, and 404s anything else", async () => {
    const server = await serveWorkerHealth(0);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, role: "worker", database: true, redis: true, node: process.version });
      expect((await fetch(`${base}/metrics-nope`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
