import { afterAll, describe, expect, it } from "vitest";
import { closeQueues } from "~/.server/queue/queues";
import { loader } from "~/routes/health";

describe("GET /health", () => {
  afterAll(async () => {
    await closeQueues();
  });

  it("reports Node 22, the database and Redis", async () => {
    const res = await loader();
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({ ok: true, node: expect.stringMatching(/^v2[2-9]\./), database: true, redis: true });
  });
});
