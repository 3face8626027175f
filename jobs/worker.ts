// The worker process: `node --import tsx jobs/worker.ts`. Runs every job family's processors and
// shuts down gracefully (finishes active jobs, closes Redis and the database) on SIGINT/SIGTERM;
// see run-worker.ts. With WORKER_HEALTH_PORT set it also answers GET /health (health-server.ts).
import { env } from "~/.server/env";
import { serveWorkerHealth } from "./health-server";
import { onDead } from "./on-dead";
import { processors } from "./processors";
import { runWorker } from "./run-worker";

runWorker(processors, {
  onDead,
  onStarted: async () => {
    const healthPort = env().WORKER_HEALTH_PORT;
    const health = healthPort ? await serveWorkerHealth(healthPort) : null;
    return () => health?.close();
  },
}).catch((e) => {
  console.error("worker failed to start", e);
  process.exit(1);
});
