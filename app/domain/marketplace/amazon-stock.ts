import { atp, channelAtp, type Level } from "../inventory/atp";

/**
 * What Amazon may sell of one SKU: ATP over the locations that serve Amazon (all when none are
 * named), less the merchant's per-channel buffer, never below zero. Pure.
 */
export function amazonSellable(levels: readonly (Level & { locationId: string })[], servingLocationIds: readonly string[], buffer: number): number {
  const serving = new Set(servingLocationIds);
  const total = channelAtp(
    levels.map((l) => ({ locationId: l.locationId, atp: atp(l) })),
    (loc) => serving.size === 0 || serving.has(loc),
  );
  return Math.max(0, total - buffer);
}

/** The pushes a tick makes: only quantities Amazon has not been told yet (changes coalesce between ticks). */
export function stockPushes(
  listings: readonly { sku: string; pushed: number | null }[],
  wanted: ReadonlyMap<string, number>,
): { sku: string; quantity: number }[] {
  return listings.flatMap((l) => {
    const q = wanted.get(l.sku);
    return q === undefined || q === l.pushed ? [] : [{ sku: l.sku, quantity: q }];
  });
}
