import { markReceivedDeliveries, pendingDeliveriesOf, type StoredDelivery } from "../db/webhook-deliveries";
import { enqueueForWindow } from "../queue/queues";

/** How long a shop's deliveries of a batched topic gather before one job handles them. */
const BATCH_WINDOW_MS = 250;

/** Asks for the shop's batch job (`inventoryWebhooks`, `fulfillmentOrderEvents`) of the current window. */
export const requestDeliveryBatch = (job: "inventoryWebhooks" | "fulfillmentOrderEvents", shop: string) =>
  enqueueForWindow(job, BATCH_WINDOW_MS, (window) => ({ shop, reason: window }));

/** Deliveries one batch handles before it hands the rest to the next window. */
const BATCH_SIZE = 500;

export type BatchReport = { deliveries: number; rejected: number; notInstalled: number; more: boolean };

/**
 * One window's stored deliveries of some topics for a shop, handled together (the webhook route
 * stores each and asks for its shop's batch job instead of a job per delivery): read with the
 * installation check in one statement, parsed (a body that no longer parses — validated when
 * stored, so only after a schema change — is rejected with the reason), handled by `handle` as a
 * whole, then marked processed in one statement, each only while still received (a replay or
 * another batch that took it first is left alone). A shop without the app keeps them, flagged
 * not_installed, as one by one. More than a batch: the next window takes the rest.
 */
export async function processDeliveryBatch<T>(
  shop: string,
  topics: readonly string[],
  now: Date,
  again: () => Promise<unknown>,
  parse: (d: StoredDelivery) => T,
  handle: (parsed: { delivery: StoredDelivery; value: T }[]) => Promise<void>,
): Promise<BatchReport> {
  const { deliveries, more } = await pendingDeliveriesOf(shop, topics, BATCH_SIZE);
  const report: BatchReport = { deliveries: deliveries.length, rejected: 0, notInstalled: 0, more };
  if (!deliveries.length) return report;
  if (more) await again();
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
  await handle(parsed);
  await markReceivedDeliveries(
    parsed.map((p) => p.delivery.id),
    "processed",
    now,
  );
  return report;
}
