/** Builders for the promise tests: the sourcing fixtures (a customer in Oklahoma City), calendars, methods, transit. */
import { expect } from "vitest";
import { OKC, request, type Given } from "../sourcing/test-fixtures";
import type { LocationCalendar } from "../sourcing/calendar";
import { publicHolidays } from "./holidays";
import { promiseDelivery } from "./promise-delivery";
import { DEFAULT_BANDS } from "./transit";
import type { DeliveryPromise, IncomingStock, PromiseRequest, ShippingMethod, TransitEntry } from "./types";

export const STANDARD: ShippingMethod = { code: "standard", name: "Standard", carrier: "UPS", nonDeliveryWeekdays: [0, 6] };
export const EXPRESS: ShippingMethod = { code: "express", name: "Express", carrier: "FedEx", nonDeliveryWeekdays: [0] };

export const calendar = (timeZone: string, cutoff: string, shipDays = [1, 2, 3, 4, 5], closedDates: string[] = []): LocationCalendar => {
  const [h, m] = cutoff.split(":").map(Number) as [number, number];
  return { timeZone, shipDays, cutoffMinutes: h * 60 + m, closedDates };
};

/** Every origin → "US" in 2–3 business days standard, 1 express, unless the test says otherwise. */
export const everywhere = (ids: string[], standard: [number, number] = [2, 3], express: [number, number] = [1, 1]): TransitEntry[] =>
  ids.flatMap((id) => [
    { originLocationId: id, zone: "US", methodCode: "standard", minDays: standard[0], maxDays: standard[1] },
    { originLocationId: id, zone: "US", methodCode: "express", minDays: express[0], maxDays: express[1] },
  ]);

export type PromiseGiven = Given & { entries?: TransitEntry[]; incoming?: IncomingStock[]; methods?: ShippingMethod[]; grace?: number };

export function promiseRequest(given: PromiseGiven): PromiseRequest {
  const { entries, incoming, methods, grace, ...sourcing } = given;
  const s = request(sourcing);
  return {
    sourcing: s,
    methods: methods ?? [STANDARD, EXPRESS],
    transit: { entries: entries ?? everywhere(s.locations.map((l) => l.id)), bands: DEFAULT_BANDS },
    incoming: incoming ?? [],
    holidays: publicHolidays(s.destination.countryCode, s.destination.provinceCode, s.now.getUTCFullYear()),
    cutoffGraceMinutes: grace,
  };
}

export function promise(given: PromiseGiven): DeliveryPromise {
  const r = promiseDelivery(promiseRequest(given));
  if (!r.ok) throw new Error(`expected a promise, got ${JSON.stringify(r.error)}`);
  return r.value;
}

/** "dal ships 2026-12-01 · standard 12-03..12-04 · express 12-02..12-02" per parcel. */
export const parcels = (p: DeliveryPromise) =>
  p.shipments.map(
    (s) => `${s.locationId} ${s.kind} ${s.shipDate ?? "undated"}: ${s.windows.map((w) => `${w.methodCode} ${w.earliest}..${w.latest}`).join(", ")}`,
  );

export const window = (p: DeliveryPromise, method = "standard") => {
  const w = p.windows.find((x) => x.methodCode === method);
  expect(w, `order window for ${method}`).toBeDefined();
  return `${w!.earliest}..${w!.latest}`;
};

export { OKC };
