import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { JobPayloadError, NonRetriableError } from "~/.server/errors";
import { closeQueues, enqueue, queue } from "~/.server/queue/queues";
import { startProcessing, type Processors } from "~/.server/queue/worker";
import { waitFor } from "./helpers/wait";

const attemptsSeen = new Map<string, number>();

// Processors that fail on purpose: "flaky-*" deliveries fail transiently every time,
// "poison-*" ones fail in a way no retry can fix.
const failing: Processors = {
  processWebhook: async ({ deliveryId }) => {
    attemptsSeen.set(deliveryId, (attemptsSeen.get(deliveryId) ?? 0) + 1);
    if (deliveryId.startsWith("poison")) throw new NonRetriableError(`delivery ${deliveryId} is poison`);
    throw new Error(`downstream unavailable for ${deliveryId}`);
  },
  requeueDeliveries: async () => ({ requeued: 0 }),
  syncOrder: async () => ({}),
  routeOrder: async () => ({}),
  syncOrderMoney: async () => undefined,
  sweepOrderMoney: async () => undefined,
  recordRefund: async () => undefined,
  settleExchange: async () => undefined,
  releaseBackorders: async () => ({}),
  replanStockLoss: async () => ({}),
  backfillPage: async () => ({}),
  backfillBulk: async () => ({}),
  inventorySync: async () => ({}),
  inventoryFlush: async () => ({}),
  inventoryWebhooks: async () => ({}),
  orderCreations: async () => ({}),
  fulfillmentOrderEvents: async () => ({}),
  fulfillmentOrderRechecks: async () => ({}),
  inventoryReconcile: async () => ({}),
  checkPayments: async () => ({}),
  captureShipment: async () => ({}),
  orderWatch: async () => ({}),
  inventoryScheduled: async () => ({}),
  opsMonitors: async () => ({}),
  opsAlerts: async () => [],
  pruneRetention: async () => ({}),
  amazonSync: async () => ({}),
  amazonApplyOrder: async () => ({}),
  amazonCreateShopifyOrder: async () => ({}),
  amazonConfirmShipment: async () => ({}),
  amazonStockPush: async () => ({}),
  sourcingWhatIf: async () => ({}),
  resyncOrders: async () => ({}),
};

const deadLetterFor = (jobId: string) => db().deadLetter.findFirst({ where: { jobId } });

describe("job queue", () => {
  afterAll(async () => {
    await closeQueues();
  });

  it("rejects a malformed payload at enqueue with a clear error, and nothing reaches Redis", async () => {
    const before = await queue("webhooks").getJobCounts();
    const bad = { deliveryId: "", shop: 42, extra: true } as unknown as { deliveryId: string; shop: string };

    const attempt = enqueue("processWebhook", bad);

    await expect(attempt).rejects.toBeInstanceOf(JobPayloadError);
    await expect(attempt).rejects.toThrow(
      /Invalid payload for job "process-webhook": deliveryId: String must contain at least 1 character.*shop: Expected string, received number.*Unrecognized key/,
    );
    expect(await queue("webhooks").getJobCounts()).toEqual(before);
  });

  it("retries a transient failure with backoff, then dead-letters the job with its error once retries are exhausted", async () => {
    startProcessing(failing);
    const job = await enqueue("processWebhook", { deliveryId: "flaky-1", shop: "a.myshopify.com" }, { attempts: 3, backoffMs: 20 });

    const dead = await waitFor(async () => (await deadLetterFor(String(job.id))) ?? undefined, 15_000, "dead letter");

    expect(attemptsSeen.get("flaky-1")).toBe(3);
    expect(dead).toMatchObject({
      queue: "webhooks",
      jobName: "process-webhook",
      shop: "a.myshopify.com",
      attempts: 3,
      retriable: true,
      error: "Error: downstream unavailable for flaky-1",
    });
    expect(JSON.parse(dead.payload)).toEqual({ deliveryId: "flaky-1", shop: "a.myshopify.com" });
  });

  it("dead-letters a non-retriable failure after one attempt", async () => {
    const job = await enqueue("processWebhook", { deliveryId: "poison-1", shop: "b.myshopify.com" }, { attempts: 5, backoffMs: 20 });

    const dead = await waitFor(async () => (await deadLetterFor(String(job.id))) ?? undefined, 15_000, "dead letter");

    expect(attemptsSeen.get("poison-1")).toBe(1);
    expect(dead).toMatchObject({ attempts: 1, retriable: false, error: "NonRetriableError: delivery poison-1 is poison" });
  });

  it("re-validates the payload in the processor: a job written to Redis by other code is dead-lettered, not run", async () => {
    // Bypass enqueue() as an older deploy or another producer might.
    const job = await queue("webhooks").add("process-webhook", { deliveryId: 7 }, { jobId: "raw-bad-job", attempts: 3 });

    const dead = await waitFor(async () => (await deadLetterFor(String(job.id))) ?? undefined, 15_000, "dead letter");

    expect(dead.retriable).toBe(false);
    expect(dead.error).toMatch(/JobPayloadError: Invalid payload for job "process-webhook": deliveryId: Expected string/);
  });

  it("keeps this run's keys under its own prefix", async () => {
    const prefix = process.env.QUEUE_PREFIX!;
    expect(prefix).toMatch(/^oms-test-/);
    const keys = await queue("webhooks").client.keys(`${prefix}:webhooks:*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});
