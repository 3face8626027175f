/**
 * Incoming stock a merchant enters (a purchase order or a transfer on its way): which units arrive
 * at which location on which local day. The promise ships units short today after that arrival.
 * Pure: `today` is the location's local date.
 */
import { addCalendarDays } from "./business-days";

export type IncomingEntryInput = { reference: string; quantity: number; expectedDate: string };

export const MAX_INCOMING_QUANTITY = 1_000_000;
/** An expected date further out than this is not a date a checkout should promise on. */
export const MAX_INCOMING_DAYS_AHEAD = 366;

export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Why an entry cannot be saved (empty when it can). */
export function incomingEntryErrors(e: IncomingEntryInput, today: string): string[] {
  const out: string[] = [];
  if (!e.reference.trim() || e.reference.trim().length > 64) out.push("reference (PO or transfer number) is required, at most 64 characters");
  if (!Number.isInteger(e.quantity) || e.quantity < 1 || e.quantity > MAX_INCOMING_QUANTITY)
    out.push(`quantity must be a whole number from 1 to ${MAX_INCOMING_QUANTITY}`);
  if (!isCalendarDate(e.expectedDate)) out.push("expected date must be a date (YYYY-MM-DD)");
  else if (e.expectedDate < today) out.push(`expected date must not be before today (${today} at the location)`);
  else if (e.expectedDate > addCalendarDays(today, MAX_INCOMING_DAYS_AHEAD)) out.push(`expected date must be within ${MAX_INCOMING_DAYS_AHEAD} days`);
  return out;
}
