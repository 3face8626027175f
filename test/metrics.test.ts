// /metrics: Prometheus text with the operations gauges, and protected: in production it answers
// 401 without the bearer token (and to everyone while no token is configured).
import { afterAll, describe, expect, it, vi } from "vitest";
import { closeQueues } from "~/.server/queue/queues";
import { raiseException } from "~/.server/services/exceptions/raise-exception";
import * as envModule from "~/.server/env";
import { loader } from "~/routes/metrics";

const get = (auth?: string) =>
  loader({ request: new Request("http://localhost/metrics", { headers: auth ? { authorization: auth } : {} }), params: {}, context: {} }) as Promise<Response>;

describe("/metrics", () => {
  afterAll(() => closeQueues());

  it("exposes queue depth, open exceptions per kind and the job and webhook histograms", async () => {
    await raiseException({
      shop: "metrics.myshopify.com",
      kind: "payment_no_order",
      severity: "critical",
      subjectKey: "gid://shopify/Order/1",
      summary: "missing",
    });
    const res = await get();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/oms_exceptions_open\{kind="payment_no_order",severity="critical",service="oms"\} 1/);
    expect(text).toContain('oms_queue_jobs{queue="orders",state="waiting"');
    expect(text).toContain("# TYPE oms_job_duration_seconds histogram");
    expect(text).toContain("# TYPE oms_webhook_ack_seconds histogram");
    expect(text).toContain("oms_queue_oldest_waiting_seconds");
  });

  it("in production: 401 without the token or with a wrong one, 200 with it; closed while no token is set", async () => {
    const real = envModule.env();
    const spy = vi.spyOn(envModule, "env").mockReturnValue({ ...real, NODE_ENV: "production", METRICS_TOKEN: "a-long-metrics-token" });
    expect((await get()).status).toBe(401);
    expect((await get("Bearer wrong")).status).toBe(401);
    expect((await get("Bearer a-long-metrics-token")).status).toBe(200);
    spy.mockReturnValue({ ...real, NODE_ENV: "production", METRICS_TOKEN: undefined });
    expect((await get("Bearer anything")).status).toBe(401);
    spy.mockRestore();
  });
});
