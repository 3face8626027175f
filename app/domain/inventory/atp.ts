/**
 * Available to promise, and how much of Shopify's `available` the OMS must hold back so the
 * storefront sells exactly that. See docs/inventory.md for the model.
 */

/** Shopify's quantities at one level as the OMS last observed them. */
export type Observed = {
  onHand: number;
  available: number;
  committed: number;
  /** damaged + quality_control + Shopify's own `reserved` (draft orders…): not the OMS's to sell. */
  unavailable: number;
  /** Shopify's `safety_stock` state: what the OMS currently holds back there. */
  heldBack: number;
};

/** One (item, location) as the OMS holds it. */
export type Level = {
  onHand: number;
  /** OMS reservations for open order lines (the ledger's sum). */
  reserved: number;
  /** Effective safety stock. */
  safetyStock: number;
  committed: number;
  unavailable: number;
  observedAt: Date | null;
};

export type StaleFeedPolicy = { staleFeed: "fail_open" | "fail_closed"; staleAfterMinutes: number };

export function isStale(l: Pick<Level, "observedAt">, policy: StaleFeedPolicy, now: Date): boolean {
  return !l.observedAt || now.getTime() - l.observedAt.getTime() > policy.staleAfterMinutes * 60_000;
}

/**
 * What may still be sold here: on hand less what is promised, safety stock and units unavailable
 * for other reasons. "Promised" is the larger of the OMS's reservations and Shopify's committed:
 * between a checkout and the OMS processing that order, Shopify has committed units the OMS has not
 * reserved yet, and after a fulfilment the OMS may have consumed a reservation before it observes
 * Shopify's lower on_hand — taking the larger never promises the same unit twice.
 * Never negative; a stale feed under fail-closed promises nothing.
 */
export function atp(l: Level, policy?: StaleFeedPolicy, now?: Date): number {
  if (policy && now && policy.staleFeed === "fail_closed" && isStale(l, policy, now)) return 0;
  return Math.max(0, l.onHand - Math.max(l.reserved, l.committed) - l.safetyStock - l.unavailable);
}

/**
 * Shopify's available = on_hand − committed − unavailable − safety_stock. For it to equal `target`
 * the OMS holds the rest in safety_stock (never negative: if Shopify is already oversold there is
 * nothing left to hold back).
 */
export function heldBackFor(o: Pick<Observed, "onHand" | "committed" | "unavailable">, target: number): number {
  return Math.max(0, o.onHand - o.committed - o.unavailable - target);
}

/** The move that brings Shopify's available to `target`: + moves available → safety_stock. */
export function holdBackDelta(o: Observed, target: number): number {
  return heldBackFor(o, target) - o.heldBack;
}

/** ATP for a channel: the sum over the locations that serve it. */
export function channelAtp(perLocation: readonly { locationId: string; atp: number }[], serves: (locationId: string) => boolean): number {
  return perLocation.reduce((n, l) => n + (serves(l.locationId) ? l.atp : 0), 0);
}
