// How long the OMS keeps what it accumulates, and what must never be pruned however old it is.
// Pure: the prune job gives `now` and the configured periods, and gets the cut-offs back.

export type RetentionPolicy = {
  /** Raw webhook deliveries that were processed (or were duplicates): bodies kept for replay this long. */
  webhookDays: number;
  /** Drift rows the reconciler resolved. */
  driftDays: number;
  /** Job records: dead letters, finished backfill runs, resolved exceptions. */
  jobDays: number;
  /** Timelines of orders that reached a final state. */
  timelineDays: number;
};

export const DEFAULT_RETENTION: RetentionPolicy = { webhookDays: 30, driftDays: 90, jobDays: 90, timelineDays: 730 };

/**
 * Only processed deliveries are finished; even then the body is kept while an order it touched is
 * open, so that order can still be replayed. Rejected, failed, unhandled and received deliveries
 * wait for a person, a new handler or a retry, and are never pruned.
 */
export const PRUNABLE_DELIVERY_STATUSES = ["processed"] as const;

/** Orders in these states are closed: nothing will replay them and their timeline may age out. */
export const CLOSED_ORDER_STATES = ["delivered", "cancelled", "returned", "refunded"] as const;

export type RetentionCutoffs = { webhooks: Date; drift: Date; jobs: Date; timelines: Date };

const DAY = 86_400_000;

export function retentionCutoffs(now: Date, p: RetentionPolicy): RetentionCutoffs {
  const before = (days: number) => new Date(now.getTime() - days * DAY);
  return { webhooks: before(p.webhookDays), drift: before(p.driftDays), jobs: before(p.jobDays), timelines: before(p.timelineDays) };
}
