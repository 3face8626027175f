import { CLOSED_ORDER_STATES, PRUNABLE_DELIVERY_STATUSES, type RetentionCutoffs } from "~/domain/retention/policy";
import { db } from "./client";

// Retention deletes in bounded batches (ids first, then one delete per batch), so a large backlog
// never holds a long lock and a crash mid-way just leaves the rest for the next run. Every query is
// on an index; none of it is SQL of one database only.

const BATCH = 500;

export type PruneCounts = { webhookDeliveries: number; orderEvents: number; drift: number; deadLetters: number; backfillRuns: number; exceptions: number };

/** Processed deliveries older than the cut-off, except those an open order's timeline refers to. */
async function pruneDeliveries(shop: string, cutoff: Date, maxBatches: number): Promise<number> {
  let removed = 0;
  // Walks (shop, status, receivedAt) forward; rows kept for open orders are stepped over.
  let after: { at: Date } | undefined;
  for (let b = 0; b < maxBatches; b++) {
    const candidates = await db().webhookDelivery.findMany({
      where: {
        shop,
        status: { in: [...PRUNABLE_DELIVERY_STATUSES] },
        receivedAt: { lt: cutoff },
        ...(after ? { receivedAt: { lt: cutoff, gt: after.at } } : {}),
      },
      select: { id: true, receivedAt: true },
      orderBy: { receivedAt: "asc" },
      take: BATCH,
    });
    if (candidates.length === 0) break;
    after = { at: candidates[candidates.length - 1]!.receivedAt };
    const ids = candidates.map((c) => c.id);
    const needed = await db().orderEvent.findMany({
      where: { deliveryId: { in: ids }, order: { state: { notIn: [...CLOSED_ORDER_STATES] } } },
      select: { deliveryId: true },
      distinct: ["deliveryId"],
    });
    const keep = new Set(needed.map((n) => n.deliveryId));
    const gone = ids.filter((id) => !keep.has(id));
    // Guarded again on status: a delivery reset for replay since it was listed is not deleted.
    if (gone.length) removed += (await db().webhookDelivery.deleteMany({ where: { id: { in: gone }, status: { in: [...PRUNABLE_DELIVERY_STATUSES] } } })).count;
    if (candidates.length < BATCH) break;
  }
  return removed;
}

/** Timelines of closed orders placed before the cut-off (the order row itself stays). */
async function pruneTimelines(shop: string, cutoff: Date, maxBatches: number): Promise<number> {
  let removed = 0;
  {
    for (let b = 0; b < maxBatches; b++) {
      const orders = await db().order.findMany({
        where: { shop, state: { in: [...CLOSED_ORDER_STATES] }, placedAt: { lt: cutoff }, events: { some: {} } },
        select: { id: true },
        take: BATCH,
      });
      if (orders.length === 0) break;
      removed += (await db().orderEvent.deleteMany({ where: { orderId: { in: orders.map((o) => o.id) }, order: { state: { in: [...CLOSED_ORDER_STATES] } } } }))
        .count;
      if (orders.length < BATCH) break;
    }
  }
  return removed;
}

/** Dead letters older than the cut-off, unless an open dead_letter exception still points at them. */
async function pruneDeadLetters(cutoff: Date, maxBatches: number): Promise<number> {
  let removed = 0;
  for (let b = 0; b < maxBatches; b++) {
    const old = await db().deadLetter.findMany({ where: { failedAt: { lt: cutoff } }, select: { id: true }, orderBy: { failedAt: "asc" }, take: BATCH });
    if (old.length === 0) break;
    const open = await db().opsException.findMany({
      where: { kind: "dead_letter", subjectKey: { in: old.map((o) => o.id) }, status: { in: ["open", "snoozed"] } },
      select: { subjectKey: true },
    });
    const keep = new Set(open.map((o) => o.subjectKey));
    const gone = old.map((o) => o.id).filter((id) => !keep.has(id));
    if (gone.length) removed += (await db().deadLetter.deleteMany({ where: { id: { in: gone } } })).count;
    if (old.length < BATCH || gone.length === 0) break;
  }
  return removed;
}

/** One shop's aged rows, each kind through an index that starts with the shop. */
export async function pruneShop(shop: string, c: RetentionCutoffs, maxBatches = 40): Promise<Omit<PruneCounts, "deadLetters">> {
  return {
    webhookDeliveries: await pruneDeliveries(shop, c.webhooks, maxBatches),
    orderEvents: await pruneTimelines(shop, c.timelines, maxBatches),
    drift: (await db().stockDrift.deleteMany({ where: { shop, resolvedAt: { lt: c.drift } } })).count,
    backfillRuns: (await db().backfillRun.deleteMany({ where: { shop, status: { in: ["completed", "failed"] }, finishedAt: { lt: c.jobs } } })).count,
    exceptions: (await db().opsException.deleteMany({ where: { shop, status: "resolved", resolvedAt: { lt: c.jobs } } })).count,
  };
}

/** Every shop the OMS knows, then the dead letters (which may have no shop). */
export async function pruneOlderThan(c: RetentionCutoffs, maxBatches = 40): Promise<PruneCounts> {
  const total: PruneCounts = { webhookDeliveries: 0, orderEvents: 0, drift: 0, deadLetters: 0, backfillRuns: 0, exceptions: 0 };
  const shops = (await db().shop.findMany({ select: { domain: true } })).map((s) => s.domain);
  for (const shop of shops) {
    const n = await pruneShop(shop, c, maxBatches);
    for (const k of Object.keys(n) as (keyof typeof n)[]) total[k] += n[k];
  }
  total.deadLetters = await pruneDeadLetters(c.jobs, maxBatches);
  return total;
}
