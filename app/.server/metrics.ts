import http from "node:http";
import client from "prom-client";
import { EXCEPTION_KINDS } from "~/domain/exceptions/kinds";
import { openCounts } from "./db/exception-queue";
import { env } from "./env";
import { allQueueNames, queue } from "./queue/queues";
import { adminApiStats, adminBuckets } from "./shopify/admin";

// Prometheus metrics for the people who run the app. Each process (web, worker) exposes its own:
// what it measures itself (job latency and failures in the worker, webhook acknowledgement latency
// in the web process, its Admin API bucket view) plus gauges read at scrape time from Redis and the
// database (queue depth and age, open exceptions per kind), which every process reports alike.

export const registry = new client.Registry();
registry.setDefaultLabels({ service: "oms" });

export const jobDuration = new client.Histogram({
  name: "oms_job_duration_seconds",
  help: "Job processing time",
  labelNames: ["job", "outcome"],
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
export const jobFailures = new client.Counter({
  name: "oms_job_failures_total",
  help: "Job attempts that failed (retriable or not)",
  labelNames: ["job", "retriable"],
  registers: [registry],
});
export const webhookAck = new client.Histogram({
  name: "oms_webhook_ack_seconds",
  help: "Time from a webhook request to its acknowledgement",
  labelNames: ["status"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

new client.Gauge({
  name: "oms_queue_jobs",
  help: "Jobs per queue and state",
  labelNames: ["queue", "state"],
  registers: [registry],
  async collect() {
    this.reset();
    for (const name of allQueueNames) {
      const counts = await queue(name).getJobCounts();
      for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
    }
  },
});

new client.Gauge({
  name: "oms_queue_oldest_waiting_seconds",
  help: "Age of the oldest job waiting in each queue",
  labelNames: ["queue"],
  registers: [registry],
  async collect() {
    this.reset();
    for (const name of allQueueNames) {
      const [oldest] = await queue(name).getWaiting(0, 0);
      this.set({ queue: name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
    }
  },
});

new client.Gauge({
  name: "oms_exceptions_open",
  help: "Open (or snoozed) exception queue items per kind and severity; the five monitors are kinds",
  labelNames: ["kind", "severity"],
  registers: [registry],
  async collect() {
    this.reset();
    const totals = new Map<string, number>();
    for (const c of await openCounts()) totals.set(`${c.kind}|${c.severity}`, (totals.get(`${c.kind}|${c.severity}`) ?? 0) + c.count);
    for (const kind of EXCEPTION_KINDS) if (![...totals.keys()].some((k) => k.startsWith(`${kind}|`))) this.set({ kind, severity: "any" }, 0);
    for (const [k, n] of totals) {
      const [kind, severity] = k.split("|");
      this.set({ kind: kind!, severity: severity! }, n);
    }
  },
});

new client.Gauge({
  name: "oms_exceptions_oldest_open_seconds",
  help: "Age of the oldest open exception item per kind",
  labelNames: ["kind"],
  registers: [registry],
  async collect() {
    this.reset();
    const oldest = new Map<string, number>();
    for (const c of await openCounts()) if (c.oldest) oldest.set(c.kind, Math.min(oldest.get(c.kind) ?? Infinity, c.oldest.getTime()));
    for (const [kind, at] of oldest) this.set({ kind }, (Date.now() - at) / 1000);
  },
});

new client.Gauge({
  name: "oms_admin_api_available_points",
  help: "Admin API cost bucket: points available per shop, as this process last saw it",
  labelNames: ["shop"],
  registers: [registry],
  collect() {
    this.reset();
    for (const [shop, b] of adminBuckets()) this.set({ shop }, Math.min(b.maximum, b.available + ((Date.now() - b.atMs) / 1000) * b.restoreRate));
  },
});
new client.Gauge({
  name: "oms_admin_api_throttled_total",
  help: "THROTTLED answers this process retried",
  registers: [registry],
  collect() {
    this.set(adminApiStats.throttled);
  },
});
new client.Gauge({
  name: "oms_admin_api_waited_seconds_total",
  help: "Time this process's Admin API calls waited for the bucket",
  registers: [registry],
  collect() {
    this.set(adminApiStats.waitedMs / 1000);
  },
});

/** Whether a request may read /metrics: a bearer token when METRICS_TOKEN is set (always in production). */
export function metricsAllowed(authorization: string | null): boolean {
  const token = env().METRICS_TOKEN;
  if (!token) return env().NODE_ENV !== "production";
  return authorization === `Bearer ${token}`;
}

export async function metricsText(): Promise<{ body: string; contentType: string }> {
  return { body: await registry.metrics(), contentType: registry.contentType };
}

/** The worker's own /metrics endpoint (its job latencies live in its memory). */
export function serveMetrics(port: number): http.Server {
  const server = http.createServer((req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    if (!metricsAllowed(req.headers.authorization ?? null)) return void res.writeHead(401, { "www-authenticate": "Bearer" }).end();
    metricsText().then(
      ({ body, contentType }) => res.writeHead(200, { "content-type": contentType }).end(body),
      (e) => res.writeHead(500).end(String(e)),
    );
  });
  server.listen(port);
  return server;
}
