// The money sweep: a paid order's captures are posted to the finance ledger by its shop's sweep, not
// by an Admin read of its own. Every order read costs points (the order 1, each transaction 4); a
// bulk operation costs one mutation (10) and a point per poll, whatever it returns. So the paid
// orders of a window (MONEY_SWEEP_SECONDS) are read together: one bulk query over their id range,
// or, when there are too few to be worth one, an order read each. Refunds never rely on the sweep:
// they read the order's money themselves first (issue-refund.ts, record-shopify-refund.ts).
//
// What is due is what the database says: an order marked when orders/create created it paid
// (`Order.moneyDueAt`), unmarked once its captures are posted. A sweep that fails, a window whose
// job is lost, an order the bulk did not return: the next sweep finds them again. Posting is once
// per transaction (postCaptures) and the mark is cleared last, so two sweeps racing post nothing twice.
// A sweep's orders are written together: one statement for their postings, one for their rows.
import { z } from "zod";
import { clearMoneyDue, ordersAwaitingMoney } from "../../db/finance";
import { env } from "../../env";
import { enqueue, enqueueForWindow } from "../../queue/queues";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { bulkOperationState, orderMoneyBulkQuery, readBulkLines, startBulkQuery } from "../../shopify/bulk";
import { fetchOrderTransactions, TooManyTransactions, transactionsOf, type OrderTransactions } from "../../shopify/returns";
import { recordOrdersMoney } from "./order-money";

/** How far back an order's money is looked for (older ones are the reconciliation's to flag). */
const LOOK_BACK_MS = 3 * 24 * 3600_000;
/** Orders per sweep; more are left to the next. */
const PER_SWEEP = 500;
/** Below this many orders, an order read each (5 points) costs less than a bulk operation (≈ 12). */
export const BULK_FROM = 4;
/** How often a sweep tries to start its bulk query while another bulk query of the app runs, before reading order by order. */
const START_TRIES = 6;
/** Order by order (when no bulk query could start, or stragglers outside the bulk's span): at most this many per sweep. */
const ONE_BY_ONE = 50;
/**
 * A bulk query reads every order of the shop in its id range, due or not (ids grow with time), so
 * it covers the due orders marked within this span of each other; ones outside it are read one by
 * one (an order left due for days does not make every sweep read days of orders).
 */
const BULK_SPAN_MS = 15 * 60_000;
const POLLS = 120;

export type SweepReport = { due: number; posted: number; bulk?: string; waiting?: boolean; oneByOne?: number; retry?: number };

/** Asks for the sweep of the current window of the shop (once per window: the job id is the window's). */
export async function requestMoneySweep(shop: string): Promise<void> {
  await enqueueForWindow("sweepOrderMoney", env().MONEY_SWEEP_SECONDS * 1000, (window) => ({ shop, reason: window }));
}

/**
 * Asks for a sweep when a paid order has waited for its money longer than two windows (the
 * operations pass runs this every minute): a sweep that failed for good, or whose job was lost, is
 * made up for even when no new paid order comes to ask. Returns whether it asked.
 */
export async function catchUpMoneySweep(shop: string, now: Date): Promise<boolean> {
  const late = new Date(now.getTime() - Math.max(120_000, 2 * env().MONEY_SWEEP_SECONDS * 1000));
  const [waiting] = await ordersAwaitingMoney(shop, new Date(now.getTime() - LOOK_BACK_MS), 1, late);
  if (!waiting) return false;
  await requestMoneySweep(shop);
  return true;
}

type Due = Awaited<ReturnType<typeof ordersAwaitingMoney>>[number];

const numericId = (gid: string) => Number(gid.slice(gid.lastIndexOf("/") + 1));

const moneyRow = z.object({
  id: z.string().startsWith("gid://shopify/Order/"),
  name: z.string(),
  currencyCode: z.string(),
  presentmentCurrencyCode: z.string(),
  transactions: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      status: z.string(),
      gateway: z.string().nullish(),
      processedAt: z.string().nullish(),
      createdAt: z.string(),
      parentTransaction: z.object({ id: z.string() }).nullish(),
      amountSet: z.object({
        shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }),
        presentmentMoney: z.object({ amount: z.string(), currencyCode: z.string() }),
      }),
    }),
  ),
});

/**
 * One step of a sweep. Without `bulkId`: finds what is due and reads it (or starts the bulk query
 * and queues the wait for it). With `bulkId`: looks at the bulk query and, once it completed, posts
 * what it returned for the orders still due.
 */
export async function sweepOrderMoney(
  p: { shop: string; reason: string; bulkId?: string; poll?: number },
  now: Date,
  graphql?: AdminGraphql,
): Promise<SweepReport> {
  const since = new Date(now.getTime() - LOOK_BACK_MS);
  const due = await ordersAwaitingMoney(p.shop, since, PER_SWEEP);
  if (!due.length) return { due: 0, posted: 0 };
  const admin = graphql ?? (await adminFor(p.shop));
  const more = async () => {
    // A full sweep leaves the rest to the next window's.
    if (due.length === PER_SWEEP) await requestMoneySweep(p.shop);
  };

  if (!p.bulkId) {
    const group = densest(due);
    if (group.length < BULK_FROM) return { due: due.length, ...(await oneByOne(p.shop, due.slice(0, ONE_BY_ONE), admin, now)) };
    const ids = group.map((o) => numericId(o.sourceId));
    const started = await startBulkQuery(admin, orderMoneyBulkQuery(Math.min(...ids), Math.max(...ids)));
    if ("error" in started) {
      // One bulk query per app and shop at a time (a backfill's, or another sweep's): wait for it, then read order by order.
      const tries = Number(/-t(\d+)$/.exec(p.reason)?.[1] ?? 0) + 1;
      if (tries < START_TRIES) {
        const reason = `${p.reason.replace(/-t\d+$/, "")}-t${tries}`;
        await enqueue("sweepOrderMoney", { shop: p.shop, reason }, { delayMs: 5_000 });
        return { due: due.length, posted: 0, retry: tries };
      }
      const done = await oneByOne(p.shop, due.slice(0, ONE_BY_ONE), admin, now);
      if (due.length > ONE_BY_ONE) await requestMoneySweep(p.shop);
      return { due: due.length, ...done, oneByOne: Math.min(ONE_BY_ONE, due.length) };
    }
    await enqueue("sweepOrderMoney", { shop: p.shop, reason: p.reason, bulkId: started.id, poll: 1 }, { delayMs: 500 });
    // The due orders outside the bulk's span, one by one meanwhile.
    const inGroup = new Set(group.map((o) => o.id));
    const stragglers = due.filter((o) => !inGroup.has(o.id)).slice(0, ONE_BY_ONE);
    const done = stragglers.length ? await oneByOne(p.shop, stragglers, admin, now) : { posted: 0 };
    return { due: due.length, posted: done.posted, bulk: started.id, waiting: true };
  }

  const poll = p.poll ?? 1;
  const state = await bulkOperationState(admin, p.bulkId);
  if (!state) throw new Error(`bulk operation ${p.bulkId} is gone`);
  if (state.status === "CREATED" || state.status === "RUNNING") {
    if (poll >= POLLS) throw new Error(`bulk operation ${p.bulkId} did not finish after ${POLLS} looks`);
    await enqueue("sweepOrderMoney", { ...p, poll: poll + 1 }, { delayMs: Math.min(5_000, 500 * poll) });
    return { due: due.length, posted: 0, bulk: p.bulkId, waiting: true };
  }
  if (state.status !== "COMPLETED") {
    // Failed or cancelled: what is due stays due; the next window's sweep reads it.
    await requestMoneySweep(p.shop);
    throw new Error(`bulk operation ${p.bulkId} ${state.status.toLowerCase()}${state.errorCode ? ` (${state.errorCode})` : ""}`);
  }
  const bySource = new Map(due.map((o) => [o.sourceId, o]));
  const reads: { orderId: string; read: OrderTransactions }[] = [];
  const tooMany: Due[] = [];
  const problems: string[] = [];
  for (const line of state.url ? await readBulkLines(state.url) : []) {
    const row = moneyRow.safeParse(line);
    if (!row.success) {
      problems.push(`a line of bulk operation ${p.bulkId} is not an order's money: ${row.error.issues[0]?.message ?? "invalid"}`);
      continue;
    }
    const order = bySource.get(row.data.id);
    if (!order) continue; // read already, or not a paid order
    try {
      reads.push({ orderId: order.id, read: transactionsOf(row.data) });
    } catch (e) {
      if (e instanceof TooManyTransactions) tooMany.push(order);
      else problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  await recordOrdersMoney(p.shop, reads, now);
  await handOff(p.shop, tooMany);
  const posted = reads.length;
  await more();
  // A malformed line leaves its order due and is said loudly: the job fails and is retried, then
  // dead-lettered, where operations see it.
  if (problems.length) throw new Error(`money sweep of ${p.shop}: ${posted} posted; ${problems.length} not: ${problems.slice(0, 3).join("; ")}`);
  return { due: due.length, posted, bulk: p.bulkId };
}

/**
 * An order read each. One that cannot be read (Shopify failing) does not stop the others: what was
 * read is recorded, then the job fails naming the rest (its retries and dead letter are where
 * operations see it; the orders stay due). One with too many transactions is handed off.
 */
async function oneByOne(shop: string, due: readonly Due[], graphql: AdminGraphql, now: Date): Promise<{ posted: number }> {
  const reads: { orderId: string; read: OrderTransactions }[] = [];
  const tooMany: Due[] = [];
  const problems: string[] = [];
  for (const o of due) {
    try {
      const read = await fetchOrderTransactions(graphql, o.sourceId);
      if (read) reads.push({ orderId: o.id, read }); // else: gone from Shopify
    } catch (e) {
      if (e instanceof TooManyTransactions) tooMany.push(o);
      else problems.push(`${o.sourceId}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  await recordOrdersMoney(shop, reads, now);
  await handOff(shop, tooMany);
  if (problems.length) throw new Error(`money sweep of ${shop}: ${reads.length} posted; ${problems.length} not: ${problems.slice(0, 3).join("; ")}`);
  return { posted: reads.length };
}

/**
 * Orders no read can take whole (more transactions than one returns): unmarked, so no later sweep
 * tries them again, and each handed to its own money job, which fails with the reason (its retries,
 * then one dead letter, where operations see it).
 */
async function handOff(shop: string, orders: readonly Due[]): Promise<void> {
  if (!orders.length) return;
  for (const o of orders) await enqueue("syncOrderMoney", { shop, orderId: o.sourceId, financialStatus: o.financialStatus ?? "paid" });
  await clearMoneyDue(orders.map((o) => o.id));
}

/** The largest run of due orders (oldest first) marked within BULK_SPAN_MS of each other. */
export function densest<T extends { moneyDueAt: Date }>(due: readonly T[]): T[] {
  let best: [number, number] = [0, 0];
  for (let from = 0, to = 0; to < due.length; to++) {
    while (due[to]!.moneyDueAt.getTime() - due[from]!.moneyDueAt.getTime() > BULK_SPAN_MS) from++;
    if (to + 1 - from > best[1] - best[0]) best = [from, to + 1];
  }
  return due.slice(best[0], best[1]);
}
