import type { ExceptionKind, ExceptionSeverity, ExceptionStatus } from "../exceptions/kinds";

// The exception queue as people work it: filters, age, and the work they do on items (assign,
// snooze, resolve). Pure: `now` is a parameter.

export const AGE_BUCKETS = ["lt1h", "1to24h", "gt24h"] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

export type QueueFilters = {
  kind?: ExceptionKind;
  severity?: ExceptionSeverity;
  /** "open" shows open and snoozed items whose snooze has ended. */
  status?: ExceptionStatus | "all";
  assignee?: string;
  age?: AgeBucket;
};

const HOUR = 3_600_000;

/** The raisedAt bounds an age bucket means at `now` (inclusive lower, exclusive upper). */
export function raisedBetween(age: AgeBucket, now: Date): { from?: Date; to?: Date } {
  const ago = (h: number) => new Date(now.getTime() - h * HOUR);
  if (age === "lt1h") return { from: ago(1) };
  if (age === "1to24h") return { from: ago(24), to: ago(1) };
  return { to: ago(24) };
}

/** "12 min", "3 h", "2 d": how long an item has waited for a person. */
export function formatAge(raisedAt: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - raisedAt.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h`;
  return `${Math.floor(minutes / 1440)} d`;
}

/** What a person does to queue items; bulk actions apply one of these to many. */
export type QueueWork = { kind: "assign"; assignee: string | null } | { kind: "snooze"; until: Date } | { kind: "resolve"; note: string };

export type QueueWorkError = { code: "NOTE_REQUIRED" } | { code: "SNOOZE_IN_PAST" } | { code: "SNOOZE_TOO_LONG" } | { code: "NOTHING_SELECTED" };

/** Checks a piece of work before it is applied: a resolution says why, a snooze ends within 30 days. */
export function checkWork(work: QueueWork, ids: readonly string[], now: Date): QueueWorkError | null {
  if (ids.length === 0) return { code: "NOTHING_SELECTED" };
  if (work.kind === "resolve" && work.note.trim().length < 3) return { code: "NOTE_REQUIRED" };
  if (work.kind === "snooze") {
    if (work.until.getTime() <= now.getTime()) return { code: "SNOOZE_IN_PAST" };
    if (work.until.getTime() - now.getTime() > 30 * 24 * HOUR) return { code: "SNOOZE_TOO_LONG" };
  }
  return null;
}

export function describeWork(work: QueueWork): string {
  if (work.kind === "assign") return work.assignee ? `assigned to ${work.assignee}` : "unassigned";
  if (work.kind === "snooze") return `snoozed until ${work.until.toISOString()}`;
  return `resolved: ${work.note}`;
}

/**
 * Manual exception load per 100 orders: items raised in the period (each case counts once, however
 * often it recurred) per hundred orders placed in it. Null when no order was placed.
 */
export function exceptionLoadPer100(raised: number, orders: number): number | null {
  if (orders <= 0) return null;
  return Math.round((raised / orders) * 100 * 10) / 10;
}
