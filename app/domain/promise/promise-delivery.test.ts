import { describe, expect, it } from "vitest";
import { line, location, ruleSet } from "../sourcing/test-fixtures";
import { calendar, parcels, promise, window } from "./test-fixtures";

// Tuesday 1 December 2026, 20:46 UTC: 12:46 in Reno, 14:46 in Chicago, 15:46 in Newark, 05:46 Wednesday in Tokyo.
const TUESDAY = new Date("2026-12-01T20:46:00Z");
const tee = (qty = 1) => [line("L1", "tee", qty)];

describe("delivery promise: cut-offs in the location's own time zone", () => {
  it.each([
    ["Reno (Los Angeles time, cut-off 15:00)", "reno", "America/Los_Angeles", "15:00", "2026-12-01", "Ships today from reno if ordered within 2 h 14 min"],
    ["Chicago (cut-off 14:00, passed 46 min ago)", "chicago", "America/Chicago", "14:00", "2026-12-02", "Ships tomorrow from chicago"],
    ["Newark (cut-off 16:00, 14 min left)", "newark", "America/New_York", "16:00", "2026-12-01", "Ships today from newark if ordered within 14 min"],
    [
      "a warehouse on Tokyo time (Wednesday 05:46, cut-off 12:00)",
      "la",
      "Asia/Tokyo",
      "12:00",
      "2026-12-02",
      "Ships today from tokyo if ordered within 6 h 14 min",
    ],
  ])("%s", (_, city, tz, cutoff, shipDate, reason) => {
    const id = tz === "Asia/Tokyo" ? "tokyo" : city;
    const p = promise({ now: TUESDAY, lines: tee(), locations: [location(id, city as "reno", { tee: 5 }, { calendar: calendar(tz, cutoff) })] });
    expect(p.shipments.map((s) => s.shipDate)).toEqual([shipDate]);
    expect(p.reason).toBe(reason);
    expect(p.confidence).toBe("high");
  });

  it("counts the next shipping day once the cut-off is closer than the grace (a kept promise beats a flattering one)", () => {
    const p = promise({
      now: TUESDAY,
      grace: 20,
      lines: tee(),
      locations: [location("newark", "newark", { tee: 5 }, { calendar: calendar("America/New_York", "16:00") })],
    });
    expect(p.shipments[0]!.shipDate).toBe("2026-12-02");
    expect(p.reason).toBe("Ships tomorrow from newark");
  });
});

describe("weekends and holidays", () => {
  it("after Friday's cut-off ships Monday; standard skips the weekend, express delivers Saturday", () => {
    const friday = new Date("2026-12-04T23:00:00Z"); // 17:00 Chicago
    const p = promise({ now: friday, lines: tee(), locations: [location("chi", "chicago", { tee: 5 }, { calendar: calendar("America/Chicago", "16:00") })] });
    expect(parcels(p)).toEqual(["chi stock 2026-12-07: standard 2026-12-09..2026-12-10, express 2026-12-08..2026-12-08"]);
    // Before the cut-off on Friday: express next day is Saturday, standard 2–3 business days is Tue–Wed.
    const early = promise({
      now: new Date("2026-12-04T15:00:00Z"),
      lines: tee(),
      locations: [location("chi", "chicago", { tee: 5 }, { calendar: calendar("America/Chicago", "16:00") })],
    });
    expect(parcels(early)).toEqual(["chi stock 2026-12-04: standard 2026-12-08..2026-12-09, express 2026-12-05..2026-12-05"]);
  });

  it("skips the destination's public holidays (Christmas; Thanksgiving and the day after in Oklahoma)", () => {
    const christmasEve = new Date("2026-12-24T15:00:00Z");
    const p = promise({
      now: christmasEve,
      lines: tee(),
      locations: [location("dal", "dallas", { tee: 5 }, { calendar: calendar("America/Chicago", "16:00") })],
    });
    // 1 express day after Thursday 24th: Friday 25th is Christmas → Saturday 26th; standard 2–3: Tue 29 – Wed 30 (Mon 28 is day one).
    expect(parcels(p)).toEqual(["dal stock 2026-12-24: standard 2026-12-29..2026-12-30, express 2026-12-26..2026-12-26"]);
    const thanksgivingEve = new Date("2026-11-25T15:00:00Z");
    const t = promise({
      now: thanksgivingEve,
      lines: tee(),
      locations: [location("dal", "dallas", { tee: 5 }, { calendar: calendar("America/Chicago", "16:00") })],
    });
    expect(parcels(t)).toEqual(["dal stock 2026-11-25: standard 2026-12-01..2026-12-02, express 2026-11-28..2026-11-28"]);
  });

  it("skips the location's closed dates", () => {
    const p = promise({
      now: TUESDAY,
      lines: tee(),
      locations: [location("reno", "reno", { tee: 5 }, { calendar: calendar("America/Los_Angeles", "15:00", [1, 2, 3, 4, 5], ["2026-12-01", "2026-12-02"]) })],
    });
    expect(p.shipments[0]!.shipDate).toBe("2026-12-03");
    expect(p.reason).toBe("Ships Thursday from reno");
  });
});

describe("daylight saving", () => {
  it("a Sunday-only location at Saturday 23:30 before spring-forward ships that Sunday", () => {
    const saturdayNight = new Date("2026-03-08T04:30:00Z"); // 23:30 EST Saturday 7 March
    const p = promise({
      now: saturdayNight,
      lines: tee(),
      methods: undefined,
      locations: [location("nwk", "newark", { tee: 5 }, { calendar: calendar("America/New_York", "23:59", [0]) })],
    });
    expect(p.shipments[0]!.shipDate).toBe("2026-03-08");
    expect(window(p, "express")).toBe("2026-03-09..2026-03-09");
  });

  it("the cut-off on a fall-back day is read on the local clock", () => {
    // Sunday 1 November 2026: 15:30 EST (after fall-back) is 20:30 UTC: past a 15:00 cut-off.
    const p = promise({
      now: new Date("2026-11-01T20:30:00Z"),
      lines: tee(),
      locations: [location("nwk", "newark", { tee: 5 }, { calendar: calendar("America/New_York", "15:00", [0, 1, 2, 3, 4, 5, 6]) })],
    });
    expect(p.shipments[0]!.shipDate).toBe("2026-11-02");
  });
});

describe("splits", () => {
  it("two parcels from two locations: a window each, and the order's window ends with the later one", () => {
    const p = promise({
      now: TUESDAY,
      lines: [line("L1", "tee", 1), line("L2", "mug", 1)],
      locations: [
        location("dal", "dallas", { tee: 5 }, { calendar: calendar("America/Chicago", "16:00") }),
        location("nwk", "newark", { mug: 5 }, { calendar: calendar("America/New_York", "15:00") }),
      ],
      entries: [
        { originLocationId: "dal", zone: "US-OK", methodCode: "standard", minDays: 1, maxDays: 2 },
        { originLocationId: "nwk", zone: "US", methodCode: "standard", minDays: 3, maxDays: 4 },
      ],
      methods: [{ code: "standard", name: "Standard", carrier: "UPS", nonDeliveryWeekdays: [0, 6] }],
    });
    expect(parcels(p)).toEqual(["dal stock 2026-12-01: standard 2026-12-02..2026-12-03", "nwk stock 2026-12-02: standard 2026-12-07..2026-12-08"]);
    expect(window(p)).toBe("2026-12-07..2026-12-08");
    expect(p.reason).toBe("Ships today from dal if ordered within 1 h 14 min; second parcel ships tomorrow from nwk");
  });
});

describe("backorders", () => {
  const dallas = location("dal", "dallas", { tee: 1 }, { calendar: calendar("America/Chicago", "16:00") });

  it("the short units ship after the restock the OMS knows of: 'second parcel ships Thursday after restock'", () => {
    const p = promise({
      now: TUESDAY,
      lines: tee(3),
      locations: [dallas],
      incoming: [{ inventoryItemId: "tee", locationId: "dal", quantity: 10, expectedDate: "2026-12-02" }],
    });
    expect(parcels(p).map((x) => x.split(":")[0])).toEqual(["dal stock 2026-12-01", "dal restock 2026-12-03"]);
    expect(p.shipments[1]!.lines).toEqual([{ lineId: "L1", quantity: 2 }]);
    expect(p.reason).toBe("Ships today from dal if ordered within 1 h 14 min; second parcel ships Thursday from dal after restock");
    expect(p.confidence).toBe("low");
  });

  it("without a known restock the short units get no date, and the order no window (honest, not flattering)", () => {
    const p = promise({ now: TUESDAY, lines: tee(3), locations: [dallas] });
    expect(p.undated).toEqual([{ lineId: "L1", quantity: 2 }]);
    expect(p.windows).toEqual([]);
    expect(p.confidence).toBe("none");
    expect(p.reason).toContain("2 units out of stock with no restock date");
  });

  it("an arrival that was due yesterday at the location and has not shown up is overdue: no date rests on it; one due today still counts", () => {
    const overdue = promise({
      now: TUESDAY,
      lines: tee(3),
      locations: [dallas],
      incoming: [{ inventoryItemId: "tee", locationId: "dal", quantity: 10, expectedDate: "2026-11-30" }],
    });
    expect(overdue.undated).toEqual([{ lineId: "L1", quantity: 2 }]);
    const today = promise({
      now: TUESDAY,
      lines: tee(3),
      locations: [dallas],
      incoming: [{ inventoryItemId: "tee", locationId: "dal", quantity: 10, expectedDate: "2026-12-01" }],
    });
    expect(parcels(today).map((x) => x.split(":")[0])).toEqual(["dal stock 2026-12-01", "dal restock 2026-12-02"]);
  });

  it("a held order (hold_order) ships whole after the restock, or gets no date", () => {
    const rs = ruleSet([], { backorder: { mode: "hold_order" } });
    const held = promise({
      now: TUESDAY,
      ruleSet: rs,
      lines: tee(3),
      locations: [dallas],
      incoming: [{ inventoryItemId: "tee", locationId: "dal", quantity: 5, expectedDate: "2026-12-03" }],
    });
    expect(parcels(held).map((x) => x.split(":")[0])).toEqual(["dal restock 2026-12-04"]);
    expect(held.shipments[0]!.lines).toEqual([{ lineId: "L1", quantity: 3 }]);
    const never = promise({ now: TUESDAY, ruleSet: rs, lines: tee(3), locations: [dallas] });
    expect(never.shipments).toEqual([]);
    expect(never.undated).toEqual([{ lineId: "L1", quantity: 3 }]);
  });
});

describe("transit times", () => {
  it("uses the distance band when the shop has no entry, the widest band without coordinates, and says so", () => {
    const loc = location("tul", "tulsa", { tee: 5 }, { calendar: calendar("America/Chicago", "16:00") });
    const banded = promise({ now: TUESDAY, entries: [], lines: tee(), locations: [loc] });
    expect(window(banded)).toBe("2026-12-02..2026-12-03"); // 157 km: 1–2 days
    expect(banded.confidence).toBe("medium");
    const unlocated = promise({
      now: TUESDAY,
      entries: [],
      destination: { countryCode: "US", provinceCode: "OK", latitude: null, longitude: null },
      lines: tee(),
      locations: [loc],
    });
    expect(window(unlocated)).toBe("2026-12-08..2026-12-10"); // widest band: 5–7 days
  });
});

describe("promise at risk: the allocation against the promise", () => {
  it("keeps the promise when routing's plan arrives by the promised day, and says why it does not otherwise", async () => {
    const { checkPromise } = await import("./promise-at-risk");
    const dal = location("dal", "dallas", { tee: 5 }, { calendar: calendar("America/Chicago", "16:00") });
    const now = promise({ now: TUESDAY, lines: tee(), locations: [dal] });
    expect(window(now)).toBe("2026-12-03..2026-12-04");
    expect(checkPromise({ methodCode: "standard", earliest: "2026-12-03", latest: "2026-12-04" }, now)).toEqual({ atRisk: false });
    const late = checkPromise({ methodCode: "standard", earliest: "2026-12-02", latest: "2026-12-03" }, now);
    expect(late).toEqual({
      atRisk: true,
      latestNow: "2026-12-04",
      explanation: "promised by 2026-12-03 (standard); routed as dal ships 2026-12-01, arriving 2026-12-03–2026-12-04: 1 day late at worst",
    });
    const none = checkPromise(
      { methodCode: "standard", earliest: "2026-12-02", latest: "2026-12-03" },
      promise({ now: TUESDAY, lines: tee(9), locations: [dal] }),
    );
    expect(none.atRisk && none.explanation).toMatch(/4 unit\(s\) have no ship date now/);
  });
});
