import { compareLevels } from "./level-order";
import { atp, holdBackDelta, type Level, type Observed, type StaleFeedPolicy } from "./atp";

/** One level as the push sees it: the OMS's balance and Shopify's quantities as observed. */
export type PushLevel = Level & Observed & { inventoryItemId: string; locationId: string };

/** One inventoryMoveQuantities change, with compare-and-swap on both states. */
export type HoldMove = {
  inventoryItemId: string;
  locationId: string;
  /** > 0: available → safety_stock; < 0: safety_stock → available. */
  delta: number;
  fromAvailable: number;
  fromHeldBack: number;
  target: number;
};

/** Shopify accepts at most 250 changes per inventory mutation. */
export const MAX_CHANGES_PER_CALL = 250;

/**
 * Delta-only: levels whose Shopify available already equals the OMS's ATP produce nothing.
 * Ordered by item then location, so the batches (and their idempotency keys) are deterministic.
 */
export function planHoldMoves(levels: readonly PushLevel[], policy: StaleFeedPolicy, now: Date): HoldMove[] {
  const moves: HoldMove[] = [];
  for (const l of levels) {
    if (!l.observedAt) continue; // never observed: nothing in Shopify to compare against
    const target = atp(l, policy, now);
    const delta = holdBackDelta(l, target);
    if (delta === 0) continue;
    // Cannot hold back more than is available, nor release more than is held.
    const bounded = delta > 0 ? Math.min(delta, Math.max(0, l.available)) : -Math.min(-delta, l.heldBack);
    if (bounded === 0) continue;
    moves.push({ inventoryItemId: l.inventoryItemId, locationId: l.locationId, delta: bounded, fromAvailable: l.available, fromHeldBack: l.heldBack, target });
  }
  return moves.sort(compareLevels);
}

export function batches<T>(items: readonly T[], size = MAX_CHANGES_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
