import {
  deadLettersOf,
  deliveryStatuses,
  driftNeedingPerson,
  existingDeadLetters,
  flaggedOrders,
  openDriftKeys,
  problemDeliveries,
  stillFlagged,
} from "../../db/ops-signals";
import { reconcileKind } from "./reconcile-kind";

const ACTOR = "oms:signals";
const TAKE = 500;

/**
 * Feeds the queue from signals the OMS already keeps (rejected and failed deliveries, dead-lettered
 * jobs, drift that needs a person, orders flagged with an exception) and clears items whose signal
 * went away. Idempotent: an item already open is left as it is.
 */
export async function feedSignals(shop: string, now: Date): Promise<{ raised: number; cleared: number }> {
  const results = [];

  const deliveries = await problemDeliveries(shop);
  results.push(
    await reconcileKind(
      shop,
      "delivery_rejected",
      deliveries.map((d) => ({
        severity: d.status === "failed" ? "critical" : "warning",
        subjectKey: d.id,
        summary: `Webhook ${d.topic} ${d.status}: ${d.error ?? "no reason recorded"}`,
        data: { deliveryId: d.id, topic: d.topic, status: d.status },
      })),
      {
        complete: deliveries.length < TAKE,
        stillProblems: async (ids) => {
          const statuses = await deliveryStatuses(ids);
          return new Set(ids.filter((id) => ["rejected", "failed"].includes(statuses.get(id) ?? "")));
        },
        actor: ACTOR,
        reason: "the delivery was processed (replayed)",
      },
      now,
    ),
  );

  const dead = await deadLettersOf(shop);
  results.push(
    await reconcileKind(
      shop,
      "dead_letter",
      dead.map((d) => ({
        severity: "critical",
        subjectKey: d.id,
        summary: `Job ${d.jobName} gave up after ${d.attempts} attempt(s): ${d.error}`,
        data: { deadLetterId: d.id, queue: d.queue, jobName: d.jobName, jobId: d.jobId },
      })),
      { complete: dead.length < TAKE, stillProblems: existingDeadLetters, actor: ACTOR, reason: "the job was queued again" },
      now,
    ),
  );

  const drift = await driftNeedingPerson(shop);
  results.push(
    await reconcileKind(
      shop,
      "stock_drift",
      drift.map((d) => ({
        severity: "warning",
        subjectKey: d.key,
        summary: `Inventory drift (${d.kind.replaceAll("_", " ")}): expected ${d.expected}, found ${d.actual}${d.note ? ` — ${d.note}` : ""}`,
        data: { inventoryItemId: d.inventoryItemId, locationId: d.locationId, reference: d.reference },
      })),
      { complete: drift.length < TAKE, stillProblems: (keys) => openDriftKeys(shop, keys), actor: ACTOR, reason: "the reconciler no longer finds the drift" },
      now,
    ),
  );

  const flagged = await flaggedOrders(shop);
  results.push(
    await reconcileKind(
      shop,
      "order_flagged",
      flagged.map((o) => ({
        severity: "warning",
        subjectKey: o.id,
        orderId: o.id,
        summary: `${o.name} is flagged ${o.exception} (state ${o.state})`,
        data: { exception: o.exception },
      })),
      { complete: flagged.length < TAKE, stillProblems: (ids) => stillFlagged(shop, ids), actor: ACTOR, reason: "the order's exception flag was cleared" },
      now,
    ),
  );

  return { raised: results.reduce((n, r) => n + r.raised, 0), cleared: results.reduce((n, r) => n + r.cleared, 0) };
}
