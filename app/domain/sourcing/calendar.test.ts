import { describe, expect, it } from "vitest";
import {
  formatCutoff,
  formatShipDays,
  summarizeShipDays,
  isValidTimeZone,
  nextShipDay,
  parseClosedDates,
  parseCutoff,
  parseShipDays,
  type LocationCalendar,
} from "./calendar";

const weekdays: LocationCalendar = { timeZone: "America/New_York", shipDays: [1, 2, 3, 4, 5], cutoffMinutes: 15 * 60, closedDates: [] };
// Monday 30 November 2026, 10:00 and 16:00 in New York (UTC−5).
const mondayMorning = new Date("2026-11-30T15:00:00Z");
const mondayEvening = new Date("2026-11-30T21:00:00Z");

describe("location shipping calendar", () => {
  it("ships today before the cut-off, the next shipping day after it", () => {
    expect(nextShipDay(weekdays, mondayMorning)).toEqual({ date: "2026-11-30", daysAhead: 0 });
    expect(nextShipDay(weekdays, mondayEvening)).toEqual({ date: "2026-12-01", daysAhead: 1 });
  });

  it("reads the day and the clock in the location's own time zone", () => {
    // 01:00 UTC Tuesday is still Monday 17:00 in Los Angeles: past a 15:00 cut-off there.
    const la = { ...weekdays, timeZone: "America/Los_Angeles" };
    expect(nextShipDay(la, new Date("2026-12-01T01:00:00Z"))).toEqual({ date: "2026-12-01", daysAhead: 1 });
    // The same instant is Tuesday 10:00 in Tokyo, before its cut-off.
    expect(nextShipDay({ ...weekdays, timeZone: "Asia/Tokyo" }, new Date("2026-12-01T01:00:00Z"))).toEqual({ date: "2026-12-01", daysAhead: 0 });
  });

  it("skips days off and closed dates", () => {
    const friday = new Date("2026-12-04T21:00:00Z"); // Friday 16:00 New York, after the cut-off
    expect(nextShipDay(weekdays, friday)).toEqual({ date: "2026-12-07", daysAhead: 3 });
    expect(nextShipDay({ ...weekdays, closedDates: ["2026-12-07", "2026-12-08"] }, friday)).toEqual({ date: "2026-12-09", daysAhead: 5 });
  });

  it("finds no shipping day when every day in the horizon is off", () => {
    expect(nextShipDay({ ...weekdays, shipDays: [] }, mondayMorning)).toBeNull();
    const closedFortnight = Array.from({ length: 15 }, (_, i) => new Date(Date.UTC(2026, 10, 30 + i)).toISOString().slice(0, 10));
    expect(nextShipDay({ ...weekdays, closedDates: closedFortnight }, mondayMorning)).toBeNull();
  });

  it("tells a real time zone from a typo", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Europe/Pariss")).toBe(false);
  });
});

describe("the calendar as a merchant types it", () => {
  it("reads weekday names, a cut-off time and closed dates, and refuses what is not one", () => {
    expect(parseShipDays("Mon, tue,WEDNESDAY, thu , Fri")).toEqual([1, 2, 3, 4, 5]);
    expect(parseShipDays("")).toEqual([]);
    expect(parseShipDays("Mon, Funday")).toBeNull();
    expect(parseShipDays("M")).toBeNull();
    expect(formatShipDays([1, 3])).toBe("Mon, Wed");
    expect([summarizeShipDays([1, 2, 3, 4, 5]), summarizeShipDays([0, 1, 2, 3, 4, 5, 6]), summarizeShipDays([1, 2, 4, 5, 6])]).toEqual([
      "Mon–Fri",
      "Sun–Sat",
      "Mon, Tue, Thu–Sat",
    ]);
    expect(parseCutoff("15:00")).toBe(900);
    expect(parseCutoff("")).toBe(1440);
    expect(parseCutoff("24:00")).toBeNull();
    expect(parseCutoff("3pm")).toBeNull();
    expect([formatCutoff(900), formatCutoff(1440)]).toEqual(["15:00", ""]);
    expect(parseClosedDates("2027-01-01, 2026-12-25")).toEqual(["2026-12-25", "2027-01-01"]);
    expect(parseClosedDates("2026-02-30")).toBeNull();
    expect(parseClosedDates("25/12/2026")).toBeNull();
  });
});

describe("daylight-saving changes (stepped on the local calendar, not in 24 h steps)", () => {
  const sundayOnly = (timeZone: string): LocationCalendar => ({ timeZone, shipDays: [0], cutoffMinutes: 24 * 60, closedDates: [] });

  it("a Sunday-only location at Saturday 23:30 before spring-forward ships the next day, not a week later", () => {
    // New York springs forward on Sunday 8 March 2026 (02:00 → 03:00). Saturday 23:30 EST = 04:30 UTC Sunday.
    const saturdayNight = new Date("2026-03-08T04:30:00Z");
    expect(nextShipDay(sundayOnly("America/New_York"), saturdayNight)).toEqual({ date: "2026-03-08", daysAhead: 1 });
    // Paris springs forward on Sunday 29 March 2026. Saturday 23:30 CET = 22:30 UTC.
    expect(nextShipDay(sundayOnly("Europe/Paris"), new Date("2026-03-28T22:30:00Z"))).toEqual({ date: "2026-03-29", daysAhead: 1 });
  });

  it("a location closed on the fall-back Sunday does not see that Sunday twice", () => {
    // New York falls back on Sunday 1 November 2026. Saturday 00:30 EDT = 04:30 UTC; a Monday-only location ships Monday 2 Nov.
    const mondayOnly: LocationCalendar = { timeZone: "America/New_York", shipDays: [1], cutoffMinutes: 24 * 60, closedDates: [] };
    expect(nextShipDay(mondayOnly, new Date("2026-10-31T04:30:00Z"))).toEqual({ date: "2026-11-02", daysAhead: 2 });
    // Saturday 23:30 EDT before fall-back (03:30 UTC Sunday): a Sunday-only location ships tomorrow.
    expect(nextShipDay(sundayOnly("America/New_York"), new Date("2026-11-01T03:30:00Z"))).toEqual({ date: "2026-11-01", daysAhead: 1 });
  });

  it("reads the cut-off on the local clock on the day of a change", () => {
    const weekdays15: LocationCalendar = { timeZone: "America/New_York", shipDays: [0, 1, 2, 3, 4, 5, 6], cutoffMinutes: 15 * 60, closedDates: [] };
    // Sunday 8 March 2026, 14:30 EDT (UTC−4) = 18:30 UTC: before the cut-off; 15:30 EDT after.
    expect(nextShipDay(weekdays15, new Date("2026-03-08T18:30:00Z"))).toEqual({ date: "2026-03-08", daysAhead: 0 });
    expect(nextShipDay(weekdays15, new Date("2026-03-08T19:30:00Z"))).toEqual({ date: "2026-03-09", daysAhead: 1 });
  });
});
