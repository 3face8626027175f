import type { OrderState } from "~/domain/order/lifecycle";
import { db, onPostgres, transaction } from "./client";
import type { OrderHead } from "./orders";

/**
 * Per-order serialisation, the one mechanism every writer of an order's fulfilment groups and
 * reservations goes through (as Medusa's `locking.execute`): `fn` runs in one transaction that
 * holds the order's lock until it commits. On PostgreSQL the lock is a transaction-scoped advisory
 * lock on the order, so two processes working on one order queue behind each other and work on
 * different orders runs in parallel; on SQLite the transaction itself (BEGIN IMMEDIATE) already
 * serialises every writer. Every repository call inside `fn` joins the transaction (`db()`), so
 * what `fn` reads is what it writes over. Never call Shopify inside: read first, then lock and
 * write what was read, guarded by its watermark (`applyGroupsRead`).
 */
export async function withOrderLock<T>(shop: string, orderId: string, fn: () => Promise<T>): Promise<T> {
  return transaction(async (tx) => {
    if (onPostgres()) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`order:${shop}:${orderId}`}, 0))`;
    return fn();
  });
}

/**
 * Takes the next read ticket of an order's fulfilment groups, before reading them from Shopify.
 * A read that starts later gets a higher ticket (one atomic increment on the order row); 0 when
 * the OMS does not hold the order yet (that read only applies while nothing newer has). One
 * UPDATE … RETURNING as raw SQL: Prisma's updateManyAndReturn wraps it in a transaction of its own,
 * which on SQLite holds the write lock every process shares across Prisma's work.
 */
export async function startGroupsRead(shop: string, orderId: string | null): Promise<number> {
  if (!orderId) return 0;
  const rows = await db().$queryRaw<{ groupsReadSeq: number | bigint }[]>`
    UPDATE "Order" SET "groupsReadSeq" = "groupsReadSeq" + 1, "updatedAt" = ${new Date()}
    WHERE "id" = ${orderId} AND "shop" = ${shop}
    RETURNING "groupsReadSeq"`;
  return rows[0] ? Number(rows[0].groupsReadSeq) : 0;
}

/**
 * `startGroupsRead` for an order named by its channel id, returning its head too (one UPDATE …
 * RETURNING instead of a read of the head, then the increment). No order: no head, ticket 0.
 */
export async function startGroupsReadOf(shop: string, sourceId: string): Promise<{ head: OrderHead | null; ticket: number }> {
  const rows = await db().$queryRaw<TicketRow[]>`
    UPDATE "Order" SET "groupsReadSeq" = "groupsReadSeq" + 1, "updatedAt" = ${new Date()}
    WHERE "shop" = ${shop} AND "sourceId" = ${sourceId}
    RETURNING "id", "state", "sourceUpdatedAt", "financialStatus", "fulfillmentStatus", "holdReason", "groupsReadSeq"`;
  const row = rows[0];
  if (!row) return { head: null, ticket: 0 };
  const { groupsReadSeq, sourceUpdatedAt, ...head } = row;
  return { head: { ...head, state: head.state as OrderState, sourceUpdatedAt: new Date(sourceUpdatedAt) }, ticket: Number(groupsReadSeq) };
}

type TicketRow = {
  id: string;
  state: string;
  sourceUpdatedAt: Date | string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  holdReason: string | null;
  groupsReadSeq: number | bigint;
};
