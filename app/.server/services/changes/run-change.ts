import type { ChangeAction } from "~/domain/changes/policy";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import { claimChangeRequest, settleChangeRequest, type ChangeStatus } from "../../db/changes";
import { recordTimeline } from "../../db/orders";
import { LEASE_MS, withSourcingLease } from "../../db/sourcing-lease";

/** What a change request came to, as staff see it. */
export type ChangeOutcome = {
  status: Exclude<ChangeStatus, "pending">;
  message: string;
  /** What to do instead, when refused. */
  instead?: string;
  /** A refused cancel after pick or ship is a return: the returns flow's page for this order. */
  returnUrl?: string;
  /** A double click or replay: the first request's outcome, nothing done again. */
  replayed?: boolean;
};

export type ChangeRun = { shop: string; orderId: string; action: ChangeAction; idempotencyKey: string; input: unknown; actor: string; now: Date };

export const returnUrlFor = (orderId: string) => `/app/returns/new?order=${encodeURIComponent(orderId)}`;

/**
 * Runs one staff intent exactly once: the key is taken first (a unique row), then the work runs
 * holding the order's lease, so a change never races sourcing or another change on the same order
 * across processes. A second request with the same key gets the first one's outcome.
 */
export async function runChangeOnce(r: ChangeRun, work: (requestId: string) => Promise<ChangeOutcome>): Promise<ChangeOutcome> {
  const { row, fresh } = await claimChangeRequest(r.shop, r);
  if (!fresh) {
    const first = row.outcome ? (JSON.parse(row.outcome) as ChangeOutcome) : { status: "waiting" as const, message: "The same request is being carried out." };
    return { ...first, replayed: true };
  }
  let outcome: ChangeOutcome;
  try {
    const ran = await withSourcingLease(r.shop, r.orderId, () => work(row.id), { waitMs: LEASE_MS + 1_000 });
    outcome = ran === "busy" ? { status: "failed", message: "Sourcing or another change is at work on this order right now. Try again in a moment." } : ran;
  } catch (e) {
    outcome = { status: "failed", message: `Not done: ${(e as Error).message}` };
  }
  await settleChangeRequest(row.id, "pending", outcome.status, outcome);
  return outcome;
}

/** A line on the order's timeline, by the staff member who asked. */
export async function noteChange(
  r: Pick<ChangeRun, "shop" | "orderId" | "actor" | "now">,
  requestId: string,
  step: string,
  summary: string,
  kind: TimelineEntry["kind"] = "change",
): Promise<void> {
  await recordTimeline(r.orderId, r.shop, [{ kind, summary, fromState: null, toState: null, owner: "commerce", dedupeKey: `change:${requestId}:${step}` }], {
    at: r.now,
    actor: r.actor,
    source: r.actor.startsWith("user:") ? "user" : "oms",
    deliveryId: null,
  });
}

/**
 * Retries a Shopify call that is safe to repeat (its effect is idempotent: a cancel already made,
 * a request already submitted, a keyed refund) when the network, not Shopify, failed: the first
 * attempt may or may not have reached Shopify, and the repeat settles which.
 */
export async function retryTransient<T>(call: () => Promise<T>, tries = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const transient = /fetch failed|no response available|ECONNRESET|ETIMEDOUT|socket hang up|THROTTLED/i.test(String((e as Error).message));
      if (!transient || attempt >= tries) throw e;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}
