// Settling an exchange's price difference once every returned unit is in. The receipt writes the
// intent (one per return: ExchangeSettlement) and enqueues its own job (settle-exchange), so a
// Shopify that cannot be reached at that moment delays the settlement instead of losing it:
// - a lower-priced exchange refunds the difference through the guarded refund path, under one
//   request key per return (also its @idempotent key in Shopify), so a retry after a lost answer,
//   a replayed receipt or a re-run job never refunds twice;
// - a higher-priced one is recorded on the order's timeline and raised as exchange_balance_due
//   (the return page shows it too) for a person to collect.
// The job's last try, or Shopify refusing the refund, marks the intent failed and raises
// exchange_not_settled; the job ends in the dead letters.
import { formatMoney } from "~/domain/shared/money";
import {
  countSettlementAttempt,
  findSettlement,
  markSettled,
  markSettlementFailed,
  pendingSettlementsBefore,
  recordSettlementIntent,
  type SettlementIntent,
} from "../../db/exchange-settlements";
import { findReturn, type ReturnRow } from "../../db/returns";
import { NonRetriableError } from "../../errors";
import { logFor } from "../../log";
import { enqueue } from "../../queue/queues";
import type { AdminGraphql } from "../../shopify/admin";
import { raiseException } from "../exceptions/raise-exception";
import { describeRefusal, issueRefund } from "../finance/issue-refund";
import { exchangeDifferenceOf, onTimeline, staffProvenance } from "./shared";

export const exchangeRefundKey = (returnId: string) => `exchange-difference:${returnId}`;

const moneyOf = (currency: string) => (amount: bigint) => `${formatMoney({ amount, currency })} ${currency}`;

/** The settlement an exchange return owes once every returned unit is in (null: nothing to settle). */
export function settlementIntentOf(r: ReturnRow, actor: string, now: Date): SettlementIntent | null {
  const diff = exchangeDifferenceOf(r);
  if (!diff || !r.orderId) return null;
  if (diff.collectMinor === 0n && diff.refundMinor === 0n) return null;
  return {
    shop: r.shop,
    returnId: r.id,
    orderId: r.orderId,
    kind: diff.collectMinor > 0n ? "collect" : "refund",
    amountMinor: diff.collectMinor > 0n ? diff.collectMinor : diff.refundMinor,
    currency: r.currency ?? "USD",
    actor,
    at: now,
  };
}

/**
 * The settlement's job, enqueued after its intent is written. Best effort: an intent whose job
 * was lost is enqueued again by the order watch (requeueExchangeSettlements).
 */
export async function enqueueSettlement(shop: string, returnId: string): Promise<void> {
  try {
    await enqueue("settleExchange", { shop, returnId });
  } catch (e) {
    logFor({ shop }).warn({ err: e instanceof Error ? e.message : String(e), returnId }, "exchange settlement not enqueued; the order watch will");
  }
}

/**
 * Every returned unit of an exchange is in: the settlement is written down (once per return) and
 * its job enqueued. A receipt writes the intent with its own claim instead (receive-return.ts);
 * this is for a settlement asked for again (a replayed receipt).
 */
export async function requestExchangeSettlement(r: ReturnRow, actor: string, now: Date): Promise<"none" | "requested"> {
  const intent = settlementIntentOf(r, actor, now);
  if (!intent) return "none";
  await recordSettlementIntent(intent);
  await enqueueSettlement(r.shop, r.id);
  return "requested";
}

export type SettleOutcome = "no_settlement" | "already_settled" | "refunded" | "to_collect";

/**
 * The settle-exchange job. Thrown errors (Shopify unreachable, a 5xx) are retried by the job; on
 * the last try, or when Shopify or the refund guard refuses, the intent is marked failed and
 * exchange_not_settled raised (a refusal ends the job at once: NonRetriableError).
 */
export async function settleExchange(shop: string, returnId: string, now: Date, lastAttempt: boolean, graphql?: AdminGraphql): Promise<SettleOutcome> {
  const intent = await findSettlement(shop, returnId);
  if (!intent) return "no_settlement";
  if (intent.status === "settled") return "already_settled";
  const r = await findReturn(shop, returnId);
  if (!r?.orderId) throw new NonRetriableError(`exchange settlement for return ${returnId}: the return is gone`);
  await countSettlementAttempt(intent.id);
  const m = moneyOf(intent.currency);
  const p = staffProvenance(intent.actor, now);
  const diff = exchangeDifferenceOf(r);

  if (intent.kind === "collect") {
    const summary = `Return ${r.name}: the exchange costs ${m(diff?.exchangeMinor ?? 0n)} against ${m(diff?.returnedMinor ?? 0n)} returned — ${m(intent.amountMinor)} to collect from the customer`;
    await onTimeline(r.orderId, shop, summary, `return:${r.id}:exchange-collect`, p);
    await raiseException(
      {
        shop,
        kind: "exchange_balance_due",
        severity: "warning",
        subjectKey: r.id,
        orderId: r.orderId,
        summary,
        data: { returnId: r.id, collectMinor: intent.amountMinor.toString(), currency: intent.currency },
      },
      now,
    );
    await markSettled(intent.id, now);
    return "to_collect";
  }

  const orderId = r.orderId;
  const giveUp = (reason: string) =>
    markSettlementFailed(intent.id, reason, {
      orderId,
      shop,
      p,
      entry: {
        kind: "return",
        summary: `Return ${r.name}: exchange price difference (${m(intent.amountMinor)}) not refunded — ${reason}`,
        fromState: null,
        toState: null,
        owner: "oms",
        dedupeKey: `return:${r.id}:exchange-refund-refused`,
      },
      raise: {
        shop,
        kind: "exchange_not_settled",
        severity: "critical",
        subjectKey: r.id,
        orderId,
        summary: `Return ${r.name} on ${r.orderName ?? "its order"}: the exchange price difference of ${m(intent.amountMinor)} was not refunded after ${intent.attempts + 1} tries — ${reason}`,
        data: { returnId: r.id, refundMinor: intent.amountMinor.toString(), currency: intent.currency, requestKey: exchangeRefundKey(r.id) },
      },
    });
  const lines = r.lines.filter((l) => l.sourceLineId).map((l) => ({ sourceLineId: l.sourceLineId!, quantity: l.quantity }));
  let refunded: Awaited<ReturnType<typeof issueRefund>>;
  try {
    refunded = await issueRefund(
      {
        shop,
        orderId: r.orderId,
        returnId: r.id,
        requestKey: exchangeRefundKey(r.id),
        lines,
        shippingMinor: 0n,
        restockingFeePercent: r.restockingFeePercent,
        storeCreditMinor: 0n,
        exchangeMinor: diff?.exchangeMinor ?? 0n,
        note: "Exchange price difference",
        actor: intent.actor,
      },
      now,
      graphql,
    );
  } catch (e) {
    // Shopify unreachable or erring: the refund request (if reserved) stays pending under its key; the job tries again.
    if (lastAttempt) await giveUp(`Shopify could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  if (!refunded.ok) {
    const reason = describeRefusal(refunded.error);
    await giveUp(reason);
    throw new NonRetriableError(`exchange settlement for return ${r.id}: ${reason}`);
  }
  if (await markSettled(intent.id, now))
    await onTimeline(
      r.orderId,
      shop,
      `Return ${r.name}: exchange price difference refunded — ${m(refunded.value.amountMinor)}`,
      `return:${r.id}:exchange-refund`,
      p,
    );
  return "refunded";
}

/** The order watch: intents still pending a while after they were written get their job again (a no-op while it is queued). */
export async function requeueExchangeSettlements(now: Date, olderThanMs = 10 * 60_000): Promise<number> {
  const stale = await pendingSettlementsBefore(new Date(now.getTime() - olderThanMs));
  for (const s of stale) await enqueue("settleExchange", { shop: s.shop, returnId: s.returnId });
  return stale.length;
}
