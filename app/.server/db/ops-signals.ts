import { db } from "./client";

// Signals other parts of the OMS already keep, read for the exception queue: deliveries rejected or
// failed, dead-lettered jobs, inventory drift that needs a person, orders flagged with an exception.
// Each read is bounded and uses an index that starts with the shop.

const TAKE = 500;

export function problemDeliveries(shop: string) {
  return db().webhookDelivery.findMany({
    where: { shop, status: { in: ["rejected", "failed"] } },
    select: { id: true, topic: true, status: true, error: true, receivedAt: true },
    orderBy: { receivedAt: "desc" },
    take: TAKE,
  });
}

export async function deliveryStatuses(ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await db().webhookDelivery.findMany({ where: { id: { in: [...ids] } }, select: { id: true, status: true } });
  return new Map(rows.map((r) => [r.id, r.status]));
}

export function deadLettersOf(shop: string) {
  return db().deadLetter.findMany({
    where: { shop },
    select: { id: true, queue: true, jobName: true, jobId: true, error: true, failedAt: true, attempts: true },
    orderBy: { failedAt: "desc" },
    take: TAKE,
  });
}

export async function existingDeadLetters(ids: readonly string[]): Promise<Set<string>> {
  const rows = await db().deadLetter.findMany({ where: { id: { in: [...ids] } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

export function findDeadLetter(shop: string, id: string) {
  return db().deadLetter.findFirst({ where: { id, shop } });
}

/** Removes a dead letter once its job is queued again (a new failure records it again). */
export async function removeDeadLetter(id: string): Promise<void> {
  await db().deadLetter.deleteMany({ where: { id } });
}

export function driftNeedingPerson(shop: string) {
  return db().stockDrift.findMany({
    where: { shop, resolvedAt: null, outcome: "exception" },
    select: {
      id: true,
      key: true,
      kind: true,
      inventoryItemId: true,
      locationId: true,
      reference: true,
      expected: true,
      actual: true,
      note: true,
      firstSeenAt: true,
    },
    orderBy: { firstSeenAt: "asc" },
    take: TAKE,
  });
}

export async function openDriftKeys(shop: string, keys: readonly string[]): Promise<Set<string>> {
  const rows = await db().stockDrift.findMany({ where: { shop, key: { in: [...keys] }, resolvedAt: null, outcome: "exception" }, select: { key: true } });
  return new Set(rows.map((r) => r.key));
}

export function flaggedOrders(shop: string) {
  return db().order.findMany({
    where: { shop, exception: { not: null } },
    select: { id: true, name: true, exception: true, state: true, placedAt: true },
    orderBy: { placedAt: "desc" },
    take: TAKE,
  });
}

export async function stillFlagged(shop: string, orderIds: readonly string[]): Promise<Set<string>> {
  const rows = await db().order.findMany({ where: { shop, id: { in: [...orderIds] }, exception: { not: null } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}
