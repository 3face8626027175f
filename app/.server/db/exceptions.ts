import type { Prisma } from "@prisma/client";
import type { ExceptionRaise, ExceptionStatus, RaiseEffect } from "~/domain/exceptions/kinds";
import { raiseEffect } from "~/domain/exceptions/kinds";
import { db } from "./client";
import { isUniqueViolation } from "./orders";

type Client = Prisma.TransactionClient;

// The exception queue's writes. Raising is safe under concurrency: the unique (shop, kind,
// subjectKey) key decides which of two racing raisers creates the row; the loser updates it.

export type ExceptionRow = {
  id: string;
  shop: string;
  kind: string;
  severity: string;
  subjectKey: string;
  orderId: string | null;
  summary: string;
  data: string | null;
  status: ExceptionStatus;
  assignee: string | null;
  snoozedUntil: Date | null;
  raisedAt: Date;
  lastSeenAt: Date;
  occurrences: number;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolution: string | null;
};

/** A new open item for what is raised. */
const newItem = (r: ExceptionRaise, at: Date) => ({
  shop: r.shop,
  kind: r.kind,
  severity: r.severity,
  subjectKey: r.subjectKey,
  orderId: r.orderId ?? null,
  summary: r.summary,
  data: r.data ? JSON.stringify(r.data) : null,
  status: "open",
  raisedAt: at,
  lastSeenAt: at,
});

/**
 * Raises (or counts again, or reopens) the item for (kind, subject). `tx`: inside a caller's
 * transaction, so the item is written with the change that raised it or not at all. There a
 * concurrent creator's unique violation aborts the whole transaction (PostgreSQL) rather than being
 * retried here: the caller's write is guarded, so its retry decides again.
 */
export async function upsertException(r: ExceptionRaise, at: Date, tx?: Client): Promise<{ id: string; effect: RaiseEffect }> {
  const c = tx ?? db();
  const key = { shop_kind_subjectKey: { shop: r.shop, kind: r.kind, subjectKey: r.subjectKey } };
  const data = r.data ? JSON.stringify(r.data) : null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await c.opsException.findUnique({ where: key, select: { id: true, status: true } });
    const effect = raiseEffect(existing ? { status: existing.status as ExceptionStatus } : null);
    if (!existing) {
      try {
        const row = await c.opsException.create({ data: newItem(r, at), select: { id: true } });
        return { id: row.id, effect };
      } catch (e) {
        if (!tx && isUniqueViolation(e)) continue; // a concurrent raiser created it: count ours on it
        throw e;
      }
    }
    // Guarded on the status just read, so a concurrent resolve is not overwritten as "seen again".
    const reopened = effect === "reopened";
    const n = await c.opsException.updateMany({
      where: { id: existing.id, status: existing.status },
      data: {
        lastSeenAt: at,
        occurrences: { increment: 1 },
        summary: r.summary,
        severity: r.severity,
        data,
        ...(reopened ? { status: "open", raisedAt: at, resolvedAt: null, resolvedBy: null, resolution: null, assignee: null } : {}),
      },
    });
    if (n.count === 1) return { id: existing.id, effect };
  }
  throw new Error(`exception ${r.kind}/${r.subjectKey}: raise kept racing`);
}

/**
 * Raises an item only if none is held for (kind, subject) in any status — a finding reported once,
 * which a person's resolution does not reopen. One INSERT: writers racing on the same finding
 * create one item between them (the others see the unique key), none counted twice.
 */
export async function createExceptionIfAbsent(r: ExceptionRaise, at: Date): Promise<boolean> {
  try {
    await db().opsException.create({ data: newItem(r, at), select: { id: true } });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** Resolves the open or snoozed item for (kind, subject); false when none was open. */
export async function resolveExceptionBySubject(
  shop: string,
  kind: string,
  subjectKey: string,
  by: string,
  resolution: string,
  at: Date,
  tx?: Client,
): Promise<boolean> {
  const n = await (tx ?? db()).opsException.updateMany({
    where: { shop, kind, subjectKey, status: { in: ["open", "snoozed"] } },
    data: { status: "resolved", resolvedAt: at, resolvedBy: by, resolution },
  });
  return n.count > 0;
}

export async function findException(shop: string, kind: string, subjectKey: string): Promise<ExceptionRow | null> {
  const row = await db().opsException.findUnique({ where: { shop_kind_subjectKey: { shop, kind, subjectKey } } });
  return row as ExceptionRow | null;
}

export async function openExceptionsForOrder(shop: string, orderId: string): Promise<ExceptionRow[]> {
  const rows = await db().opsException.findMany({ where: { shop, orderId, status: { in: ["open", "snoozed"] } }, orderBy: { raisedAt: "desc" } });
  return rows as ExceptionRow[];
}

/** Items with status open (not snoozed) per kind, among `kinds`. */
export async function openCountsByKind(shop: string, kinds: readonly string[]): Promise<{ kind: string; count: number }[]> {
  const rows = await db().opsException.groupBy({ by: ["kind"], where: { shop, status: "open", kind: { in: [...kinds] } }, _count: { _all: true } });
  return rows.map((r) => ({ kind: r.kind, count: r._count._all }));
}
