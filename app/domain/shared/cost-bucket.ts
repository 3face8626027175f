// Shopify's cost-based rate limit, as the client sees it: a leaky bucket per app and shop that
// refills at `restoreRate` points a second up to `maximum`. Each response reports the bucket
// (extensions.cost.throttleStatus); between responses the client estimates it. Pure: times are
// passed in.

export type BucketView = { available: number; maximum: number; restoreRate: number; atMs: number };

/** What the bucket holds at `nowMs`, by its refill since it was last seen. */
export function availableAt(b: BucketView, nowMs: number): number {
  return Math.min(b.maximum, b.available + (Math.max(0, nowMs - b.atMs) / 1000) * b.restoreRate);
}

/**
 * How long to wait before a call that may take `points` while leaving `reserve` points for other
 * work (0 when it may go now). A need above the bucket's size is capped at the size: such a call
 * waits for a full bucket rather than forever.
 */
export function waitMs(b: BucketView, nowMs: number, points: number, reserve = 0): number {
  const need = Math.min(b.maximum, points + reserve);
  const deficit = need - availableAt(b, nowMs);
  return deficit <= 0 ? 0 : Math.ceil((deficit / b.restoreRate) * 1000);
}

/** The bucket after this client takes `points` at `nowMs` (before Shopify has answered). */
export function take(b: BucketView, nowMs: number, points: number): BucketView {
  return { ...b, available: availableAt(b, nowMs) - points, atMs: nowMs };
}
