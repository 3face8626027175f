// bull shares one client and one subscriber connection between the queues of a process: every
// queue the worker opens adds its listeners to them, and with more queues than Node's default of
// ten listeners an event, each worker start printed MaxListenersExceededWarning ("possible memory
// leak") for listeners that are not a leak.
import { afterAll, describe, expect, it } from "vitest";
import { allQueueNames, closeQueues, queue } from "~/.server/queue/queues";

describe("the queues' shared Redis connections", () => {
  afterAll(() => closeQueues());

  it("open every queue of a worker without a listener-leak warning", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      expect(allQueueNames.length).toBeGreaterThan(10);
      // Every queue on the shared connections (a processing loop is not needed: the listeners are
      // added when a queue is made, and a loop left blocking on Redis would fail when the queues close).
      for (const name of allQueueNames) await queue(name).isReady();
      // Warnings are emitted on the next tick.
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message)).toEqual([]);
  });
});
