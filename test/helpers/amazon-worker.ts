// A real worker process for test/amazon-killed-worker.test.ts: jobs/run-worker.ts (what jobs/worker.ts
// runs) with the production processors, no repeating schedules. The SP-API stand-in is reached
// through AMAZON_SPAPI_ORIGIN / AMAZON_LWA_URL (development and test only). Prints "ready" once its
// queues are attached.
import { processors } from "../../jobs/processors";
import { runWorker } from "../../jobs/run-worker";

void runWorker(processors, {
  schedules: false,
  name: `amazon-test-worker ${process.pid}`,
  onStarted: async () => {
    console.log("ready");
    return () => {};
  },
});
