// An exchange's price difference to settle (ExchangeSettlement): the intent is written once per
// return before Shopify is asked, and moved on by guarded writes (settled or failed once).
import type { Prisma } from "@prisma/client";
import type { ExceptionRaise } from "~/domain/exceptions/kinds";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import { db } from "./client";
import { upsertException } from "./exceptions";
import { appendTimeline, isUniqueViolation, type Provenance } from "./orders";

type Tx = Prisma.TransactionClient;

export type SettlementIntent = {
  shop: string;
  returnId: string;
  orderId: string;
  kind: "refund" | "collect";
  amountMinor: bigint;
  currency: string;
  actor: string;
  at: Date;
};

/**
 * Writes the intent, or finds the one already written for this return (a replayed or repeated
 * receipt). `tx`: inside the receipt's own guarded write (db/returns.ts applyReceipts), which holds
 * the return's row, so no other receipt of it writes at the same time.
 */
export async function recordSettlementIntent(i: SettlementIntent, tx?: Tx): Promise<{ id: string; created: boolean }> {
  const c = tx ?? db();
  const existing = await c.exchangeSettlement.findUnique({ where: { shop_returnId: { shop: i.shop, returnId: i.returnId } }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  try {
    const row = await c.exchangeSettlement.create({
      data: {
        shop: i.shop,
        returnId: i.returnId,
        orderId: i.orderId,
        kind: i.kind,
        amountMinor: i.amountMinor,
        currency: i.currency,
        status: "pending",
        actor: i.actor,
        createdAt: i.at,
      },
      select: { id: true },
    });
    return { id: row.id, created: true };
  } catch (e) {
    if (tx || !isUniqueViolation(e)) throw e;
    const again = await db().exchangeSettlement.findUniqueOrThrow({ where: { shop_returnId: { shop: i.shop, returnId: i.returnId } }, select: { id: true } });
    return { id: again.id, created: false };
  }
}

/** A receipt given back (Shopify refused it): the intent it wrote goes with it, unless its job has already settled or given up on it. */
export async function dropPendingSettlement(tx: Tx, shop: string, returnId: string): Promise<void> {
  await tx.exchangeSettlement.deleteMany({ where: { shop, returnId, status: "pending", attempts: 0 } });
}

export const findSettlement = (shop: string, returnId: string) => db().exchangeSettlement.findUnique({ where: { shop_returnId: { shop, returnId } } });

/** One more try counted (whatever its outcome). */
export const countSettlementAttempt = (id: string) => db().exchangeSettlement.update({ where: { id }, data: { attempts: { increment: 1 } } });

/** Settled: true for the one caller that moved it there. */
export async function markSettled(id: string, at: Date): Promise<boolean> {
  const { count } = await db().exchangeSettlement.updateMany({
    where: { id, status: { in: ["pending", "failed"] } },
    data: { status: "settled", settledAt: at, error: null },
  });
  return count === 1;
}

/**
 * Given up on (the job's last try, or Shopify refused): true for the one caller that moved it
 * there. `told`: the order's timeline entry and the exception-queue item that say so, written in the
 * same transaction (a retry finds the intent failed and would not write them again).
 */
export async function markSettlementFailed(
  id: string,
  error: string,
  told?: { orderId: string; shop: string; entry: TimelineEntry; p: Provenance; raise: ExceptionRaise },
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.exchangeSettlement.updateMany({ where: { id, status: "pending" }, data: { status: "failed", error } });
    if (count !== 1) return false;
    if (told) {
      await appendTimeline(tx, told.orderId, told.shop, [told.entry], told.p);
      await upsertException(told.raise, told.p.at, tx);
    }
    return true;
  });
}

/** Intents still pending after `before` (their job lost, e.g. Redis was down when it was enqueued). */
export const pendingSettlementsBefore = (before: Date, take = 200) =>
  db().exchangeSettlement.findMany({
    where: { status: "pending", createdAt: { lt: before } },
    select: { shop: true, returnId: true },
    orderBy: { createdAt: "asc" },
    take,
  });
