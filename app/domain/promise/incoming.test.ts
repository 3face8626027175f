import { describe, expect, it } from "vitest";
import { incomingEntryErrors, isCalendarDate } from "./incoming";

describe("incoming stock entries", () => {
  const ok = { reference: "PO-1042", quantity: 24, expectedDate: "2026-12-03" };
  it("accepts a reference, a whole quantity and a date from today on", () => {
    expect(incomingEntryErrors(ok, "2026-12-01")).toEqual([]);
    expect(incomingEntryErrors({ ...ok, expectedDate: "2026-12-01" }, "2026-12-01")).toEqual([]);
  });
  it("refuses each wrong field with its reason", () => {
    expect(incomingEntryErrors({ reference: " ", quantity: 0, expectedDate: "2026-11-30" }, "2026-12-01")).toEqual([
      "reference (PO or transfer number) is required, at most 64 characters",
      "quantity must be a whole number from 1 to 1000000",
      "expected date must not be before today (2026-12-01 at the location)",
    ]);
    expect(incomingEntryErrors({ ...ok, quantity: 2.5, expectedDate: "2026-02-30" }, "2026-12-01")).toEqual([
      "quantity must be a whole number from 1 to 1000000",
      "expected date must be a date (YYYY-MM-DD)",
    ]);
    expect(incomingEntryErrors({ ...ok, expectedDate: "2028-01-01" }, "2026-12-01")).toEqual(["expected date must be within 366 days"]);
  });
  it("isCalendarDate", () => {
    expect(["2026-02-28", "2028-02-29"].map(isCalendarDate)).toEqual([true, true]);
    expect(["2026-02-29", "2026-1-01", "soon"].map(isCalendarDate)).toEqual([false, false, false]);
  });
});
