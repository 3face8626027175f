/**
 * The delivery promise: which locations ship a cart, when each parcel leaves and when it arrives.
 * It asks for the sourcing decision routing takes (`decideSourcing`, same request, same instant) which
 * locations ship which units — so the date shown at checkout rests on the allocation the OMS will
 * make — then reads each location's calendar for the ship date and the shop's transit times,
 * the carrier's non-delivery days and the destination's public holidays for the window.
 * Units no location has now ship after a restock the OMS knows of, or get no date: a later date
 * or none, never a wrong one. Pure: `now` is in the request.
 */
import { ok, type Result } from "../shared/result";
import { localDate, nextShipDay, zonedInstant } from "../sourcing/calendar";
import { decideSourcing } from "../sourcing/decide-sourcing";
import type { SourcingLocation, SourcingPlan } from "../sourcing/types";
import type { SourcingError } from "../sourcing/validate-request";
import { addBusinessDays, addCalendarDays, daysBetween } from "./business-days";
import { describePromise } from "./reason";
import { transitFor, zoneOf } from "./transit";
import type { Confidence, DeliveryPromise, DeliveryWindow, PromisedShipment, PromiseRequest } from "./types";

type Units = { lineId: string; quantity: number }[];

export function promiseDelivery(req: PromiseRequest): Result<DeliveryPromise, SourcingError> {
  const decided = decideSourcing(req.sourcing);
  if (!decided.ok) return decided;
  return ok(promiseFromPlan(req, decided.value));
}

/** The promise a sourcing plan makes: for a cart at checkout, or for the plan routing just applied. */
export function promiseFromPlan(req: PromiseRequest, plan: SourcingPlan): DeliveryPromise {
  const s = req.sourcing;
  const locations = new Map(s.locations.map((l) => [l.id, l]));
  const shipments: PromisedShipment[] = [];
  const undated: Units = [];
  const incoming = req.incoming.map((i) => ({ ...i }));

  if (!plan.hold) {
    for (const [locationId, lines] of byLocation(plan.assignments)) {
      const loc = locations.get(locationId)!;
      const ship = shipDayNow(loc, s.now, req.cutoffGraceMinutes ?? 10);
      shipments.push(shipment(req, loc, lines, "stock", ship.date, ship.cutoffAt));
    }
    for (const b of plan.backorders) restock(req, locations, incoming, b.lineId, b.quantity, shipments, undated);
  } else {
    // The whole order waits for its short units: it ships when they arrive, from the locations
    // the engine would use, or (wait_days) when the wait ends with what is there.
    const restocked: PromisedShipment[] = [];
    const missing: Units = [];
    for (const b of plan.hold.short) restock(req, locations, incoming, b.lineId, b.quantity, restocked, missing);
    const waitEnds = plan.hold.until ?? null;
    const resumeDate = missing.length === 0 ? latestDate(restocked) : waitEnds ? waitEnds.toISOString().slice(0, 10) : null;
    for (const w of plan.decision.shipments) {
      const loc = locations.get(w.locationId)!;
      const date = resumeDate ? shipDayOnOrAfter(loc, resumeDate) : null;
      shipments.push(
        shipment(
          req,
          loc,
          w.lines.map((l) => ({ ...l })),
          "restock",
          date,
          null,
        ),
      );
    }
    shipments.push(...restocked);
    undated.push(...missing);
    if (!resumeDate) for (const sh of shipments.splice(0)) undated.push(...sh.lines);
  }

  const merged = mergeShipments(shipments);
  const windows = undated.length ? [] : orderWindows(merged, req);
  const confidence = confidenceOf(merged, undated, s.destination.latitude === null);
  const dest = s.destination;
  const out: DeliveryPromise = {
    at: s.now,
    destinationZone: zoneOf(dest),
    ruleSetId: s.ruleSet.id,
    ruleSetVersion: s.ruleSet.version,
    shipments: merged,
    undated: mergeUnits(undated),
    windows,
    confidence,
    reason: "",
  };
  return { ...out, reason: describePromise(out) };
}

/** The locations routing would ship from, for a plan: what the property test compares. */
export const routedLocations = (plan: SourcingPlan): string[] => [...new Set(plan.assignments.map((a) => a.locationId))].sort();

function byLocation(assignments: SourcingPlan["assignments"]): Map<string, Units> {
  const out = new Map<string, Units>();
  for (const a of assignments) {
    const list = out.get(a.locationId) ?? [];
    list.push({ lineId: a.lineId, quantity: a.quantity });
    out.set(a.locationId, list);
  }
  return out;
}

/** Today's ship date, or the next shipping day once the cut-off is closer than the grace (a kept promise beats a flattering one). */
function shipDayNow(loc: SourcingLocation, now: Date, graceMinutes: number): { date: string | null; cutoffAt: Date | null } {
  const cal = loc.calendar;
  if (!cal) return { date: now.toISOString().slice(0, 10), cutoffAt: null };
  const next = nextShipDay(cal, now);
  if (!next) return { date: null, cutoffAt: null };
  if (next.daysAhead > 0 || cal.cutoffMinutes >= 24 * 60) return { date: next.date, cutoffAt: null };
  const cutoffAt = zonedInstant(next.date, cal.cutoffMinutes, cal.timeZone);
  if (cutoffAt.getTime() - now.getTime() > graceMinutes * 60_000) return { date: next.date, cutoffAt };
  return { date: nextShipDay(cal, cutoffAt)?.date ?? null, cutoffAt: null };
}

/** The first shipping day after stock arrives on `arrival` (received that day, shipped from the next). */
const localToday = (loc: SourcingLocation, now: Date) => (loc.calendar ? localDate(now, loc.calendar.timeZone) : now.toISOString().slice(0, 10));
const shipDayFrom = (loc: SourcingLocation, arrival: string) => shipDayOnOrAfter(loc, addCalendarDays(arrival, 1));

function shipDayOnOrAfter(loc: SourcingLocation, date: string): string | null {
  if (!loc.calendar) return date;
  return nextShipDay(loc.calendar, zonedInstant(date, 0, loc.calendar.timeZone))?.date ?? null;
}

function shipment(
  req: PromiseRequest,
  loc: SourcingLocation,
  lines: Units,
  kind: PromisedShipment["kind"],
  shipDate: string | null,
  cutoffAt: Date | null,
): PromisedShipment {
  const windows: DeliveryWindow[] = [];
  if (shipDate) {
    for (const m of req.methods) {
      const t = transitFor(req.transit, loc.id, loc, req.sourcing.destination, m.code);
      if (!t) continue;
      windows.push({
        methodCode: m.code,
        methodName: m.name,
        carrier: m.carrier,
        earliest: addBusinessDays(shipDate, t.minDays, m.nonDeliveryWeekdays, req.holidays),
        latest: addBusinessDays(shipDate, t.maxDays, m.nonDeliveryWeekdays, req.holidays),
        source: t.source,
      });
    }
  }
  const today = loc.calendar ? localDate(req.sourcing.now, loc.calendar.timeZone) : req.sourcing.now.toISOString().slice(0, 10);
  return { locationId: loc.id, locationName: loc.name, lines, kind, shipDate, shipsInDays: shipDate ? daysBetween(today, shipDate) : null, cutoffAt, windows };
}

/** Units of a line no location has now: from incoming stock the OMS knows of (earliest first), else undated. */
function restock(
  req: PromiseRequest,
  locations: Map<string, SourcingLocation>,
  incoming: PromiseRequest["incoming"][number][],
  lineId: string,
  quantity: number,
  out: PromisedShipment[],
  undated: Units,
) {
  const line = req.sourcing.lines.find((l) => l.lineId === lineId)!;
  let left = quantity;
  const arrivals = incoming
    // An arrival whose expected day has passed at the location without the stock showing up is
    // overdue: no date rests on it until the merchant sets a new one.
    .filter((i) => {
      const loc = locations.get(i.locationId);
      return (
        i.inventoryItemId === line.inventoryItemId &&
        i.quantity > 0 &&
        loc?.active &&
        loc.shipsOnlineOrders &&
        i.expectedDate >= localToday(loc, req.sourcing.now)
      );
    })
    .sort((a, b) => (a.expectedDate < b.expectedDate ? -1 : a.expectedDate > b.expectedDate ? 1 : a.locationId < b.locationId ? -1 : 1));
  for (const i of arrivals) {
    if (left === 0) break;
    const take = Math.min(left, i.quantity);
    const loc = locations.get(i.locationId)!;
    const date = shipDayFrom(loc, i.expectedDate);
    if (!date) continue;
    i.quantity -= take;
    left -= take;
    out.push(shipment(req, loc, [{ lineId, quantity: take }], "restock", date, null));
  }
  if (left > 0) undated.push({ lineId, quantity: left });
}

const latestDate = (list: readonly PromisedShipment[]) => list.reduce<string | null>((m, s) => (s.shipDate && (!m || s.shipDate > m) ? s.shipDate : m), null);

/** One parcel per (location, kind, ship date), in ship-date order. */
function mergeShipments(list: PromisedShipment[]): PromisedShipment[] {
  const out: PromisedShipment[] = [];
  for (const s of list) {
    const i = out.findIndex((o) => o.locationId === s.locationId && o.kind === s.kind && o.shipDate === s.shipDate);
    if (i >= 0) out[i] = { ...out[i]!, lines: mergeUnits([...out[i]!.lines, ...s.lines]) };
    else out.push(s);
  }
  return out.sort((a, b) =>
    a.kind !== b.kind
      ? a.kind === "stock"
        ? -1
        : 1
      : (a.shipDate ?? "") < (b.shipDate ?? "")
        ? -1
        : (a.shipDate ?? "") > (b.shipDate ?? "")
          ? 1
          : a.locationId < b.locationId
            ? -1
            : 1,
  );
}

function mergeUnits(units: readonly { lineId: string; quantity: number }[]): Units {
  const m = new Map<string, number>();
  for (const u of units) m.set(u.lineId, (m.get(u.lineId) ?? 0) + u.quantity);
  return [...m].map(([lineId, quantity]) => ({ lineId, quantity }));
}

/** Per method, when the whole order has arrived: offered only if every parcel has a window for it. */
function orderWindows(shipments: readonly PromisedShipment[], req: PromiseRequest): DeliveryWindow[] {
  if (!shipments.length) return [];
  const out: DeliveryWindow[] = [];
  for (const m of req.methods) {
    const ws = shipments.map((s) => s.windows.find((w) => w.methodCode === m.code));
    if (ws.some((w) => !w)) continue;
    const all = ws as DeliveryWindow[];
    out.push({
      methodCode: m.code,
      methodName: m.name,
      carrier: m.carrier,
      earliest: all.reduce((a, w) => (w.earliest > a ? w.earliest : a), all[0]!.earliest),
      latest: all.reduce((a, w) => (w.latest > a ? w.latest : a), all[0]!.latest),
      source: all.some((w) => w.source === "band") ? "band" : "table",
    });
  }
  return out;
}

function confidenceOf(shipments: readonly PromisedShipment[], undated: Units, unlocated: boolean): Confidence {
  if (undated.length || !shipments.length || shipments.some((s) => !s.windows.length)) return "none";
  if (shipments.some((s) => s.kind === "restock")) return "low";
  if (unlocated || shipments.some((s) => s.windows.some((w) => w.source === "band"))) return "medium";
  return "high";
}
