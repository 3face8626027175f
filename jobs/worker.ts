// The worker process: `node --import tsx jobs/worker.ts`. Runs every job family's processors and
// shuts down gracefully (finishes active jobs, closes Redis and the database) on SIGINT/SIGTERM;
// see run-worker.ts. With WORKER_HEALTH_PORT set it also answers GET /health (health-server.ts), and
// with WORKER_METRICS_PORT its own Prometheus /metrics (job latency and failures live in its memory).
import { env } from "~/.server/env";
import { serveMetrics } from "~/.server/metrics";
import { serveWorkerHealth } from "./health-server";
import { onDead } from "./on-dead";
import { processors } from "./processors";
import { runWorker } from "./run-worker";

runWorker(processors, {
  onDead,
  onStarted: async () => {
    const healthPort = env().WORKER_HEALTH_PORT;
    const health = healthPort ? await serveWorkerHealth(healthPort) : null;
    const metricsPort = env().WORKER_METRICS_PORT;
    const metrics = metricsPort ? serveMetrics(metricsPort) : null;
    return () => {
      health?.close();
      metrics?.close();
    };
  },
}).catch((e) => {
  console.error("worker failed to start", e);
  process.exit(1);
});
