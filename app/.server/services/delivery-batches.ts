import { claimPendingDeliveries, markReceivedDeliveries, releaseClaims, type StoredDelivery } from "../db/webhook-deliveries";
import { enqueue, enqueueForWindow } from "../queue/queues";

/**
 * How long a shop's deliveries of a batched topic gather before one job handles them. A new order
 * waits least: its window is on the way to its fulfilment orders being moved. Longer windows put
 * more deliveries in a batch (its claim, read and mark are a statement each, whatever its size):
 * at 20 orders/s, 250 ms and 500 ms instead of 100 ms and 250 ms took 2.7 statements an order off
 * and added about 0.2 s to orders/create → fulfilment orders moved (docs/performance.md, sixth round).
 * Eighth round: new orders 250 → 500 ms (1.2 → 0.6 statements an order, p95 ≈ 0.65 → 0.85 s) and
 * status-only fulfilment-order events 500 → 1,000 ms (0.4 → 0.2). Level changes stay at 500 ms: at
 * 1,000 ms their reads fell in a later flush than the reads the orders' own movements asked for, and
 * levels were read twice (≈ 12 % more level reads).
 */
const BATCH_WINDOW_MS = { orderCreations: 500, inventoryWebhooks: 500, fulfillmentOrderEvents: 1000 } as const;

/**
 * Asks for the shop's batch job of the current window. Once per window and process: the route
 * calls this for every delivery it stores, and a process that has already asked in this window
 * knows the job is there (bull would drop the duplicate anyway, after a round trip to Redis).
 */
export async function requestDeliveryBatch(job: keyof typeof BATCH_WINDOW_MS, shop: string): Promise<void> {
  const windowMs = BATCH_WINDOW_MS[job];
  const key = `${job} ${shop}`;
  const window = Math.floor(Date.now() / windowMs);
  if (askedFor.get(key) === window) return;
  // Taken before the call, so the deliveries stored while it is on its way to Redis do not ask
  // again; a failed call gives the window back to the next delivery (and the requeue sweep finds
  // a delivery stored while it failed).
  if (askedFor.size > 10_000) askedFor.clear();
  askedFor.set(key, window);
  try {
    await enqueueForWindow(job, windowMs, (w) => ({ shop, reason: w }));
  } catch (e) {
    if (askedFor.get(key) === window) askedFor.delete(key);
    throw e;
  }
}
const askedFor = new Map<string, number>();

/**
 * Asks for the shop's next batch at once, after a full one (`after`: the first delivery that batch
 * took, which no other batch took, so the job is this batch's own): a backlog is taken in batch
 * after batch, not one batch a window.
 */
export async function requestNextDeliveryBatch(job: keyof typeof BATCH_WINDOW_MS, shop: string, after: string): Promise<void> {
  await enqueue(job, { shop, reason: `after-${after}` });
}

/** Deliveries one batch handles before it hands the rest to the next window. */
const BATCH_SIZE = 500;

/**
 * How long a batch holds the deliveries it took: longer than a full batch takes. A batch that
 * fails gives them back at once; one whose process dies leaves them to a later batch once this has
 * passed, or to the requeue sweep (one by one) a minute after that.
 */
const CLAIM_MS = 2 * 60_000;

export type BatchReport = { deliveries: number; rejected: number; notInstalled: number; handedOff?: number; more: boolean };

/**
 * One window's stored deliveries of some topics for a shop, handled together (the webhook route
 * stores each and asks for its shop's batch job instead of a job per delivery): claimed (another
 * batch of the shop running at once takes others) and read with the installation check, parsed
 * (a body that no longer parses — validated when stored, so only after a schema change — is
 * rejected with the reason), handled by `handle` as a whole (except those it hands to a job of
 * their own), then marked processed in one statement, each only while still received (a replay
 * or another batch that took it first is left alone). A shop without the app keeps them, flagged
 * not_installed, as one by one. More than a batch: the next window takes the rest.
 */
export async function processDeliveryBatch<T>(
  shop: string,
  topics: readonly string[],
  now: Date,
  // Asks for the next batch when this one is full (its first delivery's id names it): requestNextDeliveryBatch.
  again: (after: string) => Promise<unknown>,
  parse: (d: StoredDelivery) => T,
  // What it returns: deliveries it handed to a job of their own (processWebhook), left unmarked.
  handle: (parsed: { delivery: StoredDelivery; value: T }[]) => Promise<void | { handedOff: readonly string[] }>,
  take: number = BATCH_SIZE,
): Promise<BatchReport> {
  const { deliveries, more } = await claimPendingDeliveries(shop, topics, take, now, new Date(now.getTime() + CLAIM_MS));
  const report: BatchReport = { deliveries: deliveries.length, rejected: 0, notInstalled: 0, more };
  if (!deliveries.length) return report;
  if (more) await again(deliveries[0]!.id);
  if (!deliveries[0]!.installed) {
    report.notInstalled = await markReceivedDeliveries(
      deliveries.map((d) => d.id),
      "not_installed",
      now,
      "the app is not installed on this shop (never installed, or uninstalled): nothing was created",
    );
    return report;
  }
  const parsed: { delivery: StoredDelivery; value: T }[] = [];
  for (const d of deliveries) {
    try {
      parsed.push({ delivery: d, value: parse(d) });
    } catch (e) {
      report.rejected += await markReceivedDeliveries(
        [d.id],
        "rejected",
        now,
        `payload does not match ${d.topic}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  let handled: void | { handedOff: readonly string[] };
  try {
    handled = await handle(parsed);
  } catch (e) {
    // The job's retry (or the next window's batch) takes them again at once.
    await releaseClaims(parsed.map((p) => p.delivery.id));
    throw e;
  }
  const handedOff = new Set(handled?.handedOff ?? []);
  report.handedOff = handedOff.size;
  await markReceivedDeliveries(
    parsed.map((p) => p.delivery.id).filter((id) => !handedOff.has(id)),
    "processed",
    now,
  );
  return report;
}
