// The worker process: `node --import tsx jobs/worker.ts`. Runs every job family's processors and
// shuts down gracefully (finishes active jobs, closes Redis and the database) on SIGINT/SIGTERM;
// see run-worker.ts.
import { onDead } from "./on-dead";
import { processors } from "./processors";
import { runWorker } from "./run-worker";

runWorker(processors, { onDead }).catch((e) => {
  console.error("worker failed to start", e);
  process.exit(1);
});
