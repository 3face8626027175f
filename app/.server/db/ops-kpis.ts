import { db } from "./client";

// What the KPI dashboard reads for a period: the orders placed in it, their first live routing
// decision, when they shipped, the queue items raised, and returns. Each read is a range on an
// index that starts with the shop ((shop, placedAt), (shop, mode, at), (shop, kind, at)).

export function countOrdersPlaced(shop: string, from: Date, to: Date): Promise<number> {
  return db().order.count({ where: { shop, placedAt: { gte: from, lt: to } } });
}

export function ordersPlaced(shop: string, from: Date, to: Date) {
  return db().order.findMany({ where: { shop, placedAt: { gte: from, lt: to } }, select: { id: true, placedAt: true, channel: true, state: true } });
}

export function liveDecisions(shop: string, from: Date) {
  return db().routingDecision.findMany({
    where: { shop, mode: "live", at: { gte: from } },
    select: { orderId: true, at: true, outcome: true, applied: true, shipments: true, backordered: true },
    orderBy: { at: "asc" },
  });
}

export function shipTransitions(shop: string, from: Date) {
  return db().orderEvent.findMany({ where: { shop, kind: "transition", toState: "shipped", at: { gte: from } }, select: { orderId: true, at: true } });
}

export function returnEvents(shop: string, from: Date) {
  return db().orderEvent.findMany({ where: { shop, kind: { in: ["return", "returned"] }, at: { gte: from } }, select: { orderId: true } });
}

export function exceptionsRaised(shop: string, from: Date, to: Date) {
  return db().opsException.findMany({ where: { shop, raisedAt: { gte: from, lt: to } }, select: { raisedAt: true, kind: true } });
}

export async function openCriticalCount(shop: string, now: Date): Promise<number> {
  return db().opsException.count({ where: { shop, status: "open", severity: "critical", OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] } });
}
