// A location's shipping calendar: the weekdays it ships, the local time after which an order ships
// the next shipping day, and dates it is closed, in its own time zone. Pure: `now` is passed in.
// Time zones come from the tz library (@date-fns/tz): days are stepped on the local calendar
// (addDays on a zoned date), never as `now + d × 24 h`, which skips or repeats a local date when
// a daylight-saving change falls in between.
import { TZDate } from "@date-fns/tz";
import { addDays } from "date-fns";

export type LocationCalendar = {
  /** IANA time zone, e.g. "America/New_York". */
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday. */
  shipDays: readonly number[];
  /** Minutes after local midnight; an order after the cut-off ships the next shipping day. */
  cutoffMinutes: number;
  /** Local dates (YYYY-MM-DD) it does not ship. */
  closedDates: readonly string[];
};

/** How far ahead a shipping day is looked for; a location with none in it cannot ship the order. */
export const CALENDAR_HORIZON_DAYS = 14;

/** A local calendar day in a zone: its date, weekday (0 = Sunday) and, for today, the clock. */
export type LocalDay = { date: string; weekday: number };
type LocalDays = { minutes: number; days: LocalDay[] };

// Every location of a decision reads the same few instants: remember the local days by zone and minute.
const seen = new Map<string, LocalDays>();

/** Today and the next CALENDAR_HORIZON_DAYS local days in `timeZone` at `at`, and the local clock in minutes. */
export function localDays(at: Date, timeZone: string): LocalDays {
  const key = `${timeZone}|${Math.floor(at.getTime() / 60_000)}`;
  let v = seen.get(key);
  if (!v) {
    if (seen.size >= 4_096) seen.clear();
    const today = new TZDate(at.getTime(), timeZone);
    const days: LocalDay[] = [];
    for (let d = 0; d <= CALENDAR_HORIZON_DAYS; d++) days.push(dayOf(d === 0 ? today : addDays(today, d)));
    v = { minutes: today.getHours() * 60 + today.getMinutes(), days };
    seen.set(key, v);
  }
  return v;
}

const pad = (n: number) => String(n).padStart(2, "0");
const dayOf = (t: TZDate): LocalDay => ({ date: `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`, weekday: t.getDay() });

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export const localDate = (at: Date, timeZone: string): string => dayOf(new TZDate(at.getTime(), timeZone)).date;

/** The instant a local wall-clock time happens in a zone (the tz library resolves DST gaps forward). */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d, Math.floor(minutes / 60), minutes % 60, timeZone).getTime());
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The first local date the location can ship an order placed at `now`, and how many calendar days
 * after today's that is (0 = today); null when there is none within the horizon.
 */
export function nextShipDay(cal: LocationCalendar, now: Date): { date: string; daysAhead: number } | null {
  const { minutes, days } = localDays(now, cal.timeZone);
  for (let d = 0; d <= CALENDAR_HORIZON_DAYS; d++) {
    const day = days[d]!;
    if (!cal.shipDays.includes(day.weekday) || cal.closedDates.includes(day.date)) continue;
    if (d === 0 && minutes >= cal.cutoffMinutes) continue;
    return { date: day.date, daysAhead: d };
  }
  return null;
}

// The calendar as a merchant types it: "Mon, Tue, Wed", "15:00", "2026-12-25, 2027-01-01".
const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY_FULL = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** "Mon, Tue" → [1, 2] (any case, first three letters or more); null if a name is not a weekday. */
export function parseShipDays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.length >= 3 ? DAY_FULL.findIndex((d) => d.startsWith(part.toLowerCase())) : -1;
    if (i < 0) return null;
    days.add(i);
  }
  return [...days].sort((a, b) => a - b);
}
export const formatShipDays = (days: readonly number[]) => days.map((d) => DAY_NAMES[d]).join(", ");

/** [1, 2, 3, 4, 5, 0] → "Mon–Fri, Sun": runs of three or more days as ranges, for tables. */
export function summarizeShipDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(
      j - i >= 2
        ? `${DAY_NAMES[sorted[i]!]}–${DAY_NAMES[sorted[j]!]}`
        : sorted
            .slice(i, j + 1)
            .map((d) => DAY_NAMES[d])
            .join(", "),
    );
    i = j + 1;
  }
  return parts.join(", ");
}

/** One line for a table: "Mon–Fri until 16:00 · America/Chicago · 2 closed dates"; "every day" without a calendar. */
export function describeCalendar(cal: LocationCalendar | null): string {
  if (!cal) return "every day";
  const days = `${summarizeShipDays(cal.shipDays)}${cal.cutoffMinutes < 24 * 60 ? ` until ${formatCutoff(cal.cutoffMinutes)}` : ""}`;
  const closed = cal.closedDates.length ? `${cal.closedDates.length} closed date${cal.closedDates.length === 1 ? "" : "s"}` : "";
  return [days, cal.timeZone, closed].filter(Boolean).join(" · ");
}

/** "15:00" → 900; "" → end of day (1440); null if not a time of day. */
export function parseCutoff(text: string): number | null {
  if (!text.trim()) return 24 * 60;
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return Number(m[1]) * 60 + Number(m[2]);
}

export const formatCutoff = (minutes: number) =>
  minutes >= 24 * 60 ? "" : `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** "2026-12-25, 2027-01-01" → the dates, sorted; null if one is not a real calendar date. */
export function parseClosedDates(text: string): string[] | null {
  const out = new Set<string>();
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(part) || new Date(`${part}T00:00:00Z`).toISOString().slice(0, 10) !== part) return null;
    out.add(part);
  }
  return [...out].sort();
}
