import { atp, type Level, type Observed, type StaleFeedPolicy } from "./atp";

/**
 * What the read requests of one level carry: the newest inventory_levels/update report (its
 * `available` and Shopify's `updated_at`), the units the OMS's own releases there give back to
 * Shopify's available unreported (`expectedDelta`), and whether some request needs a read
 * whatever else they say.
 */
export type LevelReport = { reportedAvailable: number | null; reportedAt: Date | null; expectedDelta: number; needsRead: boolean };

/** A level as the OMS holds it, with the Shopify time its quantities are known up to. */
export type HeldLevel = Level & Pick<Observed, "heldBack"> & { shopifyAvailable: number; shopifyAsOf: Date | null };

/**
 * A level read the flush can skip, because what Shopify's available is there follows from what the
 * OMS already knows and it is exactly the ATP the OMS holds (computed from what it holds, not from
 * the prediction), so the storefront already sells ATP and no push is due. Shopify's available is
 * taken to be the newest inventory_levels/update report, if one came after everything the OMS
 * knows of the level (later than `shopifyAsOf`), or else what the OMS holds; plus the units the
 * OMS's own releases gave back since (a move takes its committed units away with the fulfilment
 * order, which no report tells).
 *
 * Between the last read and now, the OMS's ATP moved by its reservations, Shopify's available by
 * its commits less any change of on hand. They agree when Shopify committed what the OMS reserved
 * (a checkout, a cancel, a move) and on hand stayed, which is what the prediction is then taken to
 * say: Shopify's committed follows from its identity on_hand = available + committed + unavailable
 * + safety_stock with on hand as the OMS holds it. A change of on hand (a count, a fulfilment) shows
 * as a difference and is read (a fulfilment's consumption asks for a read itself), unless the same
 * window also holds a commit of exactly that size the OMS has not reserved yet: then that order's
 * reservation, when it comes, is a difference, and the level is read then. The expected units are
 * only ever given back (releases), so an expectation Shopify did not meet (an order whose units
 * Shopify never committed, moved away) leaves Shopify's available below ATP, never above it, until
 * the level's next push or read (a push compares Shopify's quantities first and re-reads).
 *
 * Returns the observation to record, or null: read the level. Every other doubt is a read: a read
 * asked for, a report no later than what the OMS holds, a level never read, any difference.
 */
export function confirmedByReport(l: HeldLevel, r: LevelReport, policy: StaleFeedPolicy, now: Date): Observed | null {
  if (r.needsRead || !l.observedAt) return null;
  let base = l.shopifyAvailable;
  if (r.reportedAt || r.reportedAvailable !== null) {
    if (r.reportedAvailable === null || !r.reportedAt || !l.shopifyAsOf || r.reportedAt.getTime() <= l.shopifyAsOf.getTime()) return null;
    base = r.reportedAvailable;
  } else if (r.expectedDelta === 0) return null;
  const available = base + r.expectedDelta;
  // ATP as the OMS holds it, with Shopify's committed less what the releases gave back.
  if (atp({ ...l, committed: Math.max(0, l.committed - r.expectedDelta) }, policy, now) !== available) return null;
  const committed = l.onHand - l.unavailable - l.heldBack - available;
  if (committed < 0) return null;
  return { onHand: l.onHand, available, committed, unavailable: l.unavailable, heldBack: l.heldBack };
}
