import type { ExceptionKind, ExceptionRaise } from "~/domain/exceptions/kinds";
import type { OrderState } from "~/domain/order/lifecycle";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import { db } from "./client";
import { resolveExceptionBySubject, upsertException } from "./exceptions";
import { recordAudit, type AuditEntry } from "./promise";
import { appendTimeline, type Provenance } from "./orders";

// The release rules' writes. Each is guarded on what was read (state and the rule holding the
// order), so two workers applying the gate to the same order, or a person releasing it while a
// sync re-evaluates it, never both succeed from the same starting point.

export type ReleaseHead = {
  id: string;
  state: OrderState;
  holdRule: string | null;
  holdReason: string | null;
  channel: string;
  name: string;
  totalMinor: bigint;
  currency: string;
  shippingAddress: string | null;
  sourceId: string;
  cancelledAt: Date | null;
  fulfillmentStatus: string | null;
  orderKind: string | null;
  riskLevel: string | null;
};

export async function releaseHead(shop: string, orderId: string): Promise<ReleaseHead | null> {
  const row = await db().order.findFirst({
    where: { id: orderId, shop },
    select: {
      id: true,
      state: true,
      holdRule: true,
      holdReason: true,
      channel: true,
      name: true,
      totalMinor: true,
      currency: true,
      shippingAddress: true,
      sourceId: true,
      cancelledAt: true,
      fulfillmentStatus: true,
      orderKind: true,
      riskLevel: true,
    },
  });
  return row ? { ...row, state: row.state as OrderState } : null;
}

export type HoldFields = { holdRule: string | null; holdReason: string | null; releaseAfter: Date | null };

/** The exception-queue item a move raises (a hold for a person) or clears (that hold released). */
export type MoveException = { raise: ExceptionRaise } | { clear: { kind: ExceptionKind; by: string; resolution: string } };

/**
 * Moves the order from `from` (with `fromRule`) to `to` with the given hold fields, and appends
 * the timeline entries — only if it is still where it was read. False: someone else moved it first.
 * `exception` is raised or cleared, and `audit` (a person's action) recorded, in the same
 * transaction: a worker that dies after the move cannot leave an order held for a person with no
 * item in the queue (a retry finds it already held and changes nothing), nor a released order with
 * its item still open.
 */
export async function moveForRelease(
  orderId: string,
  shop: string,
  from: { state: OrderState; holdRule: string | null },
  to: OrderState,
  fields: HoldFields & { orderKind?: string; riskLevel?: string | null },
  entries: TimelineEntry[],
  p: Provenance,
  exception?: MoveException,
  audit?: AuditEntry,
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.order.updateMany({ where: { id: orderId, shop, state: from.state, holdRule: from.holdRule }, data: { state: to, ...fields } });
    if (count === 0) return false;
    await appendTimeline(tx, orderId, shop, entries, p);
    if (exception && "raise" in exception) await upsertException(exception.raise, p.at, tx);
    else if (exception) await resolveExceptionBySubject(shop, exception.clear.kind, orderId, exception.clear.by, exception.clear.resolution, p.at, tx);
    if (audit) await recordAudit(shop, audit, tx);
    return true;
  });
}

/** Records the order's kind and Shopify's risk level (facts, not decisions: no guard needed). */
export async function noteOrderFacts(orderId: string, facts: { orderKind: string; riskLevel: string | null }): Promise<void> {
  await db().order.updateMany({ where: { id: orderId }, data: facts });
}

/** Pre-orders whose fulfilment date has come: held by the pre_order rule with releaseAfter ≤ now. */
export async function duePreOrders(now: Date, take = 200) {
  return db().order.findMany({
    where: { holdRule: "pre_order", state: "on_hold", releaseAfter: { lte: now } },
    select: { id: true, shop: true, sourceId: true },
    orderBy: { releaseAfter: "asc" },
    take,
  });
}

/** An order's fulfilment groups (those in `status` only, when given): what lifting or opening holds in Shopify acts on. */
export function groupsOf(orderId: string, status?: string) {
  return db().fulfillmentGroup.findMany({ where: { orderId, ...(status ? { status } : {}) }, select: { sourceId: true, status: true } });
}
