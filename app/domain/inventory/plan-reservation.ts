import { err, ok, type Result } from "../shared/result";
import { compareLevels } from "./level-order";

export type ReservationLine = { inventoryItemId: string; locationId: string; quantity: number };
export type ReservationItem = ReservationLine;

/**
 * The writes one reservation needs: lines of the same item at the same location summed (two
 * lines of one SKU must fit together, not each on its own), sorted in one fixed order so
 * concurrent reservations take their row locks in the same sequence and cannot deadlock.
 */
export function planReservation(lines: readonly ReservationLine[]): Result<ReservationItem[], { code: "INVALID_QUANTITY"; line: number }> {
  const summed = new Map<string, ReservationItem>();
  for (const [i, l] of lines.entries()) {
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) return err({ code: "INVALID_QUANTITY", line: i });
    const key = `${l.inventoryItemId}\u0000${l.locationId}`;
    const prev = summed.get(key);
    summed.set(key, { ...l, quantity: (prev?.quantity ?? 0) + l.quantity });
  }
  return ok([...summed.values()].sort(compareLevels));
}
