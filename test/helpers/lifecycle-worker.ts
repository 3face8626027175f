// A worker process for test/worker-lifecycle.test.ts: jobs/run-worker.ts (what jobs/worker.ts runs)
// with the real processors, except that the Admin API jobs only record that they were asked for, and
// processWebhook writes marks to MARKS_FILE ("start|effect|done <deliveryId> <attempt>") and, with
//   JOB_MS=n            takes n ms more after its effect (to be caught mid-job by SIGTERM),
//   HANG_AFTER_EFFECT=1 the first time a delivery is processed, stops dead after its effect, as if the process died
//                       between writing the order and marking the delivery processed (to be SIGKILLed).
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { setDeliveryStatus } from "~/.server/db/webhook-deliveries";
import type { Processors } from "~/.server/queue/worker";
import { processors } from "../../jobs/processors";
import { runWorker } from "../../jobs/run-worker";

const mark = (what: string, id: string, attempt: number) => appendFileSync(process.env.MARKS_FILE!, `${what} ${id} ${attempt} ${process.pid}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const lifecycle: Processors = {
  ...processors,
  syncOrder: async () => "recorded",
  routeOrder: async () => "recorded",
  processWebhook: async (payload, ctx) => {
    mark("start", payload.deliveryId, ctx.attempt);
    const out = await processors.processWebhook(payload, ctx);
    // bull runs a stalled job again without counting an attempt: "first time" is read from the marks.
    const seen = existsSync(process.env.MARKS_FILE!) && readFileSync(process.env.MARKS_FILE!, "utf8").includes(`effect ${payload.deliveryId} `);
    if (process.env.HANG_AFTER_EFFECT === "1" && !seen) {
      await setDeliveryStatus(payload.deliveryId, "received", null);
      mark("effect", payload.deliveryId, ctx.attempt);
      await new Promise(() => {});
    }
    mark("effect", payload.deliveryId, ctx.attempt);
    await sleep(Number(process.env.JOB_MS ?? 0));
    mark("done", payload.deliveryId, ctx.attempt);
    return out;
  },
};

void runWorker(lifecycle, { schedules: false, name: `test-worker ${process.pid}` });
