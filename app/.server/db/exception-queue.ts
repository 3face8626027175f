import type { Prisma } from "@prisma/client";
import type { QueueFilters, QueueWork } from "~/domain/ops/queue";
import { raisedBetween } from "~/domain/ops/queue";
import type { ExceptionRow } from "./exceptions";
import { db } from "./client";

// The exception queue as people work it: the filtered list, counts, and the audited work (assign,
// snooze, resolve), applied to many items at once with one guarded update and one audit entry.

const OPEN = ["open", "snoozed"];

function whereOf(shop: string, f: QueueFilters, now: Date): Prisma.OpsExceptionWhereInput {
  const age = f.age ? raisedBetween(f.age, now) : {};
  const status = f.status ?? "open";
  return {
    shop,
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
    ...(status === "all" ? {} : status === "open" ? { status: { in: OPEN }, OR: [{ snoozedUntil: null }, { snoozedUntil: { lte: now } }] } : { status }),
    ...(f.assignee ? (f.assignee === "unassigned" ? { assignee: null } : { assignee: f.assignee }) : {}),
    ...(age.from || age.to ? { raisedAt: { ...(age.from ? { gte: age.from } : {}), ...(age.to ? { lt: age.to } : {}) } } : {}),
  };
}

export async function listQueue(shop: string, f: QueueFilters, now: Date, take = 200): Promise<ExceptionRow[]> {
  const rows = await db().opsException.findMany({ where: whereOf(shop, f, now), orderBy: [{ raisedAt: "asc" }, { id: "asc" }], take });
  return rows as ExceptionRow[];
}

export async function countQueue(shop: string, f: QueueFilters, now: Date): Promise<number> {
  return db().opsException.count({ where: whereOf(shop, f, now) });
}

/** Open items per kind and severity (snoozed ones included): the monitors page, the banner and /metrics. */
export async function openCounts(shop?: string) {
  const rows = await db().opsException.groupBy({
    by: ["shop", "kind", "severity"],
    where: { ...(shop ? { shop } : {}), status: { in: OPEN } },
    _count: { _all: true },
    _min: { raisedAt: true },
  });
  return rows.map((r) => ({ shop: r.shop, kind: r.kind, severity: r.severity, count: r._count._all, oldest: r._min.raisedAt }));
}

export async function assignees(shop: string): Promise<string[]> {
  const rows = await db().opsException.findMany({ where: { shop, assignee: { not: null } }, select: { assignee: true }, distinct: ["assignee"], take: 100 });
  return rows.map((r) => r.assignee!).sort();
}

export async function findQueueItem(shop: string, id: string): Promise<ExceptionRow | null> {
  return (await db().opsException.findFirst({ where: { shop, id } })) as ExceptionRow | null;
}

/**
 * Applies one piece of work to the shop's open (or snoozed) items among `ids`, with its audit entry,
 * in one transaction. Resolved items and other shops' ids are left alone; returns the ids changed.
 */
export async function applyWork(shop: string, ids: readonly string[], work: QueueWork, audit: { actor: string; at: Date; summary: string }): Promise<string[]> {
  return db().$transaction(async (tx) => {
    const data: Prisma.OpsExceptionUpdateManyMutationInput =
      work.kind === "assign"
        ? { assignee: work.assignee }
        : work.kind === "snooze"
          ? { status: "snoozed", snoozedUntil: work.until }
          : { status: "resolved", resolvedAt: audit.at, resolvedBy: audit.actor, resolution: work.note };
    // One guarded write that returns what it changed: an item resolved meanwhile by a monitor or a
    // colleague stays as they left it and is not counted (a read first, then a write, would count it).
    const targets = (
      await tx.opsException.updateManyAndReturn({ where: { shop, id: { in: [...ids] }, status: { in: OPEN } }, data, select: { id: true } })
    ).map((r) => r.id);
    if (targets.length === 0) return [];
    await tx.auditEvent.create({
      data: { shop, at: audit.at, actor: audit.actor, subject: "exception-queue", summary: audit.summary, data: JSON.stringify({ ids: targets, work }) },
    });
    return targets;
  });
}

/** Snoozed items whose time is up are open again. */
export async function wakeSnoozed(shop: string, now: Date): Promise<number> {
  const { count } = await db().opsException.updateMany({
    where: { shop, status: "snoozed", snoozedUntil: { lte: now } },
    data: { status: "open", snoozedUntil: null },
  });
  return count;
}

/** Records an audit entry about queue work that is not a status change (a replay). */
export async function auditQueue(shop: string, actor: string, at: Date, summary: string, data: unknown): Promise<void> {
  await db().auditEvent.create({ data: { shop, at, actor, subject: "exception-queue", summary, data: JSON.stringify(data) } });
}

export function queueAudit(shop: string, take = 20) {
  return db().auditEvent.findMany({ where: { shop, subject: { in: ["exception-queue", "monitor-thresholds"] } }, orderBy: { at: "desc" }, take });
}

/** Items raised in [from, to) (each case once, however often it recurred): the exception load. */
export function countRaised(shop: string, from: Date, to: Date): Promise<number> {
  return db().opsException.count({ where: { shop, raisedAt: { gte: from, lt: to } } });
}
