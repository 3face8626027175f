/**
 * The one order in which writes to (item, location) rows are made, everywhere: concurrent
 * transactions that lock rows in the same order cannot deadlock (PostgreSQL would otherwise abort
 * one of them). Plain code-unit comparison, not locale-aware.
 */
export function compareLevels(a: { inventoryItemId: string; locationId: string }, b: { inventoryItemId: string; locationId: string }): number {
  if (a.inventoryItemId !== b.inventoryItemId) return a.inventoryItemId < b.inventoryItemId ? -1 : 1;
  if (a.locationId !== b.locationId) return a.locationId < b.locationId ? -1 : 1;
  return 0;
}

/** A level's key in maps and sets: its item and location. */
export const levelKey = (l: { inventoryItemId: string; locationId: string }): string => `${l.inventoryItemId}|${l.locationId}`;
