import { Prisma } from "@prisma/client";
// Order money, refund records and the finance ledger. The refund guard is one conditional UPDATE on
// the order's OrderMoney row: concurrent refunds serialise on that row and each re-checks
// captured − refunded − pending against what it finds (SQLite and PostgreSQL alike).
import type { ExceptionRaise } from "~/domain/exceptions/kinds";
import type { Posting } from "~/domain/finance/postings";
import type { OrderFunds } from "~/domain/returns/refund";
import { db, type Db } from "./client";
import { upsertException } from "./exceptions";
import { cuidLike, isUniqueViolation } from "./orders";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * What Shopify says each order captured, in one statement: an order's OrderMoney row is created, or
 * its captured amount (and currency) replaced; what the OMS refunded or holds pending is its own.
 */
export async function observeCaptured(shop: string, orders: readonly { orderId: string; currency: string; capturedMinor: bigint }[], at: Date): Promise<void> {
  for (let i = 0; i < orders.length; i += ROWS_PER_STATEMENT) {
    const rows = orders.slice(i, i + ROWS_PER_STATEMENT).map((o) => Prisma.sql`(${o.orderId}, ${shop}, ${o.currency}, ${o.capturedMinor}, ${at})`);
    await db().$executeRaw`
      INSERT INTO "OrderMoney" ("orderId", "shop", "currency", "capturedMinor", "updatedAt") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("orderId") DO UPDATE SET "capturedMinor" = excluded."capturedMinor", "currency" = excluded."currency", "updatedAt" = excluded."updatedAt"`;
  }
}

/** Rows per multi-row statement (16 values a posting: well inside SQLite's and PostgreSQL's parameter limits). */
const ROWS_PER_STATEMENT = 500;

export async function fundsOf(orderId: string): Promise<OrderFunds | null> {
  const m = await db().orderMoney.findUnique({ where: { orderId } });
  return m ? { currency: m.currency, capturedMinor: m.capturedMinor, refundedMinor: m.refundedMinor, pendingMinor: m.pendingMinor } : null;
}

/** `held`: exchange items the order's money stands for (only our own refunds are held to it; Shopify's are facts). */
async function guardedAdd(tx: Tx, orderId: string, column: "pendingMinor" | "refundedMinor", amount: bigint, at: Date, held = 0n): Promise<boolean> {
  const changed =
    column === "pendingMinor"
      ? await tx.$executeRaw`UPDATE "OrderMoney" SET "pendingMinor" = "pendingMinor" + ${amount}, "updatedAt" = ${at} WHERE "orderId" = ${orderId} AND "capturedMinor" - "refundedMinor" - "pendingMinor" >= ${amount + held}`
      : await tx.$executeRaw`UPDATE "OrderMoney" SET "refundedMinor" = "refundedMinor" + ${amount}, "updatedAt" = ${at} WHERE "orderId" = ${orderId} AND "capturedMinor" - "refundedMinor" - "pendingMinor" >= ${amount}`;
  return changed === 1;
}

export type RefundDraft = {
  shop: string;
  orderId: string;
  orderName: string;
  returnId: string | null;
  requestKey: string;
  currency: string;
  amountMinor: bigint;
  linesMinor: bigint;
  shippingMinor: bigint;
  restockingFeeMinor: bigint;
  storeCreditMinor: bigint;
  /** The value of the order's exchange items (exchangeHeldMinor): not refundable as money. */
  exchangeHeldMinor: bigint;
  note: string | null;
  actor: string;
  at: Date;
};

class Refused extends Error {}
export type RefundRecordRow = NonNullable<Awaited<ReturnType<typeof findRefundByKey>>>;
export const findRefundByKey = (shop: string, requestKey: string) => db().refundRecord.findUnique({ where: { shop_requestKey: { shop, requestKey } } });

/**
 * Reserves the refund against the order's money and records the request, or neither: the request
 * key is unique (a double click is the same request), the amount guarded (two staff at once cannot
 * both take the last of it).
 */
export async function reserveRefund(
  d: RefundDraft,
): Promise<{ kind: "reserved" | "replayed"; record: RefundRecordRow } | { kind: "refused"; funds: OrderFunds | null }> {
  const existing = await findRefundByKey(d.shop, d.requestKey);
  if (existing) return { kind: "replayed", record: existing };
  try {
    const record = await db().$transaction(async (tx) => {
      const created = await tx.refundRecord.create({
        data: {
          shop: d.shop,
          orderId: d.orderId,
          orderName: d.orderName,
          returnId: d.returnId,
          requestKey: d.requestKey,
          status: "pending",
          amountMinor: d.amountMinor,
          currency: d.currency,
          presentmentMinor: d.amountMinor,
          presentmentCurrency: d.currency,
          linesMinor: d.linesMinor,
          shippingMinor: d.shippingMinor,
          restockingFeeMinor: d.restockingFeeMinor,
          storeCreditMinor: d.storeCreditMinor,
          note: d.note,
          actor: d.actor,
          createdAt: d.at,
        },
      });
      if (!(await guardedAdd(tx, d.orderId, "pendingMinor", d.amountMinor, d.at, d.exchangeHeldMinor))) throw new Refused();
      return created;
    });
    return { kind: "reserved", record };
  } catch (e) {
    if (e instanceof Refused) {
      const funds = await fundsOf(d.orderId);
      return { kind: "refused", funds: funds && { ...funds, exchangeMinor: d.exchangeHeldMinor } };
    }
    if (isUniqueViolation(e)) {
      const again = await findRefundByKey(d.shop, d.requestKey);
      if (again) return { kind: "replayed", record: again };
    }
    throw e;
  }
}

export type ShopifyRefundFacts = {
  sourceId: string;
  amountMinor: bigint;
  presentmentMinor: bigint;
  presentmentCurrency: string;
  gateway: string | null;
  transactions: unknown;
  processedAt: Date;
};

async function postOnce(tx: Tx, shop: string, orderId: string, postings: readonly Posting[], actor: string, at: Date): Promise<number> {
  return insertPostings(
    tx,
    shop,
    postings.map((posting) => ({ orderId, posting })),
    actor,
    at,
  );
}

async function insertPostings(tx: Tx | Db, shop: string, postings: readonly { orderId: string; posting: Posting }[], actor: string, at: Date): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < postings.length; i += ROWS_PER_STATEMENT) {
    // One INSERT for them all; a matching key posted already (by this writer before, or by another
    // one racing it) is left as it is and not counted.
    const rows = postings
      .slice(i, i + ROWS_PER_STATEMENT)
      .map(
        ({ orderId, posting: p }) =>
          Prisma.sql`(${cuidLike()}, ${shop}, ${p.matchKey}, ${p.kind}, ${orderId}, ${p.orderName}, ${p.refundId}, ${p.transactionId}, ${p.gateway}, ${p.amountMinor}, ${p.currency}, ${p.presentmentMinor}, ${p.presentmentCurrency}, ${p.businessDate}, ${at}, ${actor})`,
      );
    inserted += await tx.$executeRaw`
      INSERT INTO "FinancePosting" ("id", "shop", "matchKey", "kind", "orderId", "orderName", "refundId", "transactionId", "gateway", "amountMinor", "currency",
        "presentmentMinor", "presentmentCurrency", "businessDate", "postedAt", "actor")
      VALUES ${Prisma.join(rows)}
      ON CONFLICT ("shop", "matchKey") DO NOTHING`;
  }
  return inserted;
}

/** Our own refund went through: pending becomes refunded, and it is posted — once, whoever gets here first. */
export async function completeRefund(
  recordId: string,
  facts: ShopifyRefundFacts,
  postings: (record: RefundRecordRow) => Posting[],
  at: Date,
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const record = await tx.refundRecord.findUniqueOrThrow({ where: { id: recordId } });
    const { count } = await tx.refundRecord.updateMany({
      where: { id: recordId, status: "pending" },
      data: {
        status: "succeeded",
        sourceId: facts.sourceId,
        amountMinor: facts.amountMinor,
        presentmentMinor: facts.presentmentMinor,
        presentmentCurrency: facts.presentmentCurrency,
        gateway: facts.gateway,
        transactions: JSON.stringify(facts.transactions),
        processedAt: facts.processedAt,
      },
    });
    if (count === 0) return false;
    await tx.$executeRaw`UPDATE "OrderMoney" SET "pendingMinor" = "pendingMinor" - ${record.amountMinor}, "refundedMinor" = "refundedMinor" + ${facts.amountMinor}, "updatedAt" = ${at} WHERE "orderId" = ${record.orderId}`;
    await postOnce(
      tx,
      record.shop,
      record.orderId,
      postings({ ...record, ...facts, transactions: JSON.stringify(facts.transactions), status: "succeeded" }),
      record.actor,
      at,
    );
    return true;
  });
}

/** Shopify refused: the reservation is given back. */
export async function failRefund(recordId: string, error: string, at: Date): Promise<void> {
  await db().$transaction(async (tx) => {
    const record = await tx.refundRecord.findUniqueOrThrow({ where: { id: recordId } });
    const { count } = await tx.refundRecord.updateMany({ where: { id: recordId, status: "pending" }, data: { status: "failed", error, processedAt: at } });
    if (count === 1)
      await tx.$executeRaw`UPDATE "OrderMoney" SET "pendingMinor" = "pendingMinor" - ${record.amountMinor}, "updatedAt" = ${at} WHERE "orderId" = ${record.orderId}`;
  });
}

/** The OMS's own refunds to the order still waiting on Shopify's answer (their request running, or stopped). */
export const pendingRefundsOf = (orderId: string) =>
  db().refundRecord.findMany({
    where: { orderId, status: "pending" },
    select: { id: true, amountMinor: true, returnId: true, createdAt: true },
    orderBy: { createdAt: "asc" },
  });

export type ExternalRefund = {
  shop: string;
  orderId: string;
  orderName: string;
  returnId: string | null;
  currency: string;
  shippingMinor: bigint;
  storeCreditMinor: bigint;
  note: string | null;
  actor: string;
} & ShopifyRefundFacts;

/**
 * A refund Shopify reports (made in Shopify admin, by another app, or ours seen first by its
 * webhook): recorded once per Refund id. If it takes the order's refunds above what was captured
 * it is recorded as over_capture, not posted, and `overCapture` (the exception-queue item, made from
 * the order's funds after it) is raised in the same transaction: a retry finds the record and would
 * not raise it again.
 */
export async function recordExternalRefund(
  r: ExternalRefund,
  postings: Posting[],
  at: Date,
  overCapture?: (funds: { capturedMinor: bigint; refundedMinor: bigint }) => ExceptionRaise,
): Promise<"recorded" | "already_recorded" | "over_capture"> {
  if (await db().refundRecord.findUnique({ where: { shop_sourceId: { shop: r.shop, sourceId: r.sourceId } } })) return "already_recorded";
  try {
    return await db().$transaction(async (tx) => {
      const within = await guardedAdd(tx, r.orderId, "refundedMinor", r.amountMinor, at);
      await tx.refundRecord.create({
        data: {
          shop: r.shop,
          orderId: r.orderId,
          orderName: r.orderName,
          returnId: r.returnId,
          sourceId: r.sourceId,
          status: within ? "succeeded" : "over_capture",
          amountMinor: r.amountMinor,
          currency: r.currency,
          presentmentMinor: r.presentmentMinor,
          presentmentCurrency: r.presentmentCurrency,
          shippingMinor: r.shippingMinor,
          storeCreditMinor: r.storeCreditMinor,
          linesMinor: 0n,
          gateway: r.gateway,
          transactions: JSON.stringify(r.transactions),
          note: r.note,
          actor: r.actor,
          createdAt: r.processedAt,
          processedAt: r.processedAt,
        },
      });
      if (!within) {
        // Shopify's money moved regardless: the order's refunded total says so, unguarded.
        await tx.$executeRaw`UPDATE "OrderMoney" SET "refundedMinor" = "refundedMinor" + ${r.amountMinor}, "updatedAt" = ${at} WHERE "orderId" = ${r.orderId}`;
        if (overCapture) {
          const funds = await tx.orderMoney.findUnique({ where: { orderId: r.orderId }, select: { capturedMinor: true, refundedMinor: true } });
          await upsertException(overCapture(funds ?? { capturedMinor: 0n, refundedMinor: 0n }), at, tx);
        }
        return "over_capture" as const;
      }
      await postOnce(tx, r.shop, r.orderId, postings, r.actor, at);
      return "recorded" as const;
    });
  } catch (e) {
    if (isUniqueViolation(e)) return "already_recorded";
    throw e;
  }
}

/** Shopify's captures of any of the shop's orders, each posted once (by its match key). */
export async function postCaptures(shop: string, postings: readonly { orderId: string; posting: Posting }[], at: Date): Promise<number> {
  return insertPostings(db(), shop, postings, "shopify", at);
}

export const refundsBetween = (shop: string, from: Date, to: Date) =>
  db().refundRecord.findMany({
    where: { shop, status: { in: ["succeeded", "over_capture"] }, processedAt: { gte: from, lt: to } },
    orderBy: { processedAt: "asc" },
  });

export const postingsBetween = (shop: string, fromDay: string, toDay: string) =>
  db().financePosting.findMany({ where: { shop, businessDate: { gte: fromDay, lte: toDay } }, orderBy: [{ businessDate: "asc" }, { matchKey: "asc" }] });

export const postingsForRefunds = (shop: string, refundIds: readonly string[]) =>
  db().financePosting.findMany({ where: { shop, refundId: { in: [...refundIds] } } });

export const refundsOfOrder = (orderId: string) => db().refundRecord.findMany({ where: { orderId }, orderBy: { createdAt: "desc" } });

/** Whether the app can call Shopify for this shop at all (an offline session is stored). */
export const hasOfflineSession = async (shop: string) => (await db().session.count({ where: { shop, isOnline: false } })) > 0;

/**
 * The shop's orders whose captures await the money sweep (`moneyDueAt`, set when a paid order was
 * created from orders/create, cleared by clearMoneyDue), marked between `since` and `until`, oldest
 * first: an index range of the due orders only.
 */
export async function ordersAwaitingMoney(
  shop: string,
  since: Date,
  limit: number,
  until?: Date,
): Promise<{ id: string; sourceId: string; financialStatus: string | null; moneyDueAt: Date }[]> {
  const rows = await db().order.findMany({
    where: { shop, moneyDueAt: { gte: since, ...(until ? { lte: until } : {}) } },
    select: { id: true, sourceId: true, financialStatus: true, moneyDueAt: true },
    orderBy: [{ moneyDueAt: "asc" }, { id: "asc" }],
    take: limit,
  });
  return rows.map((r) => ({ ...r, moneyDueAt: r.moneyDueAt! }));
}

/** The orders' money was read and posted: they await no sweep (one statement). */
export async function clearMoneyDue(orderIds: readonly string[]): Promise<void> {
  for (let i = 0; i < orderIds.length; i += ROWS_PER_STATEMENT)
    await db()
      .$executeRaw`UPDATE "Order" SET "moneyDueAt" = NULL WHERE "id" IN (${Prisma.join(orderIds.slice(i, i + ROWS_PER_STATEMENT))}) AND "moneyDueAt" IS NOT NULL`;
}
