/** Builders for the sourcing tests: a customer in Oklahoma City and locations in real cities. */
import { expect } from "vitest";
import { sourceOrder } from "./source-order";
import type { OrderLine, Rule, RuleSet, SourcingLocation, SourcingPlan, SourcingRequest } from "./types";

export const NOW = new Date("2026-11-23T12:00:00Z");

/** km from Oklahoma City: Tulsa 157, Dallas 306, Austin 579, Chicago 1114, Los Angeles 1897, Reno 2013, Newark 2118. */
export const CITY = {
  tulsa: { latitude: 36.154, longitude: -95.9928 },
  dallas: { latitude: 32.7767, longitude: -96.797 },
  austin: { latitude: 30.2672, longitude: -97.7431 },
  chicago: { latitude: 41.8781, longitude: -87.6298 },
  la: { latitude: 34.0522, longitude: -118.2437 },
  reno: { latitude: 39.5296, longitude: -119.8138 },
  newark: { latitude: 40.7357, longitude: -74.1724 },
};

export const OKC = { countryCode: "US", provinceCode: "OK", latitude: 35.4676, longitude: -97.5164 };

export const line = (lineId: string, inventoryItemId: string, quantity: number, more: Partial<OrderLine> = {}): OrderLine => ({
  lineId,
  inventoryItemId,
  sku: inventoryItemId.toUpperCase(),
  quantity,
  unitPriceMinor: 1000,
  productTags: [],
  ...more,
});

export const location = (id: string, city: keyof typeof CITY, atp: Record<string, number>, more: Partial<SourcingLocation> = {}): SourcingLocation => ({
  id,
  name: id,
  kind: "warehouse",
  active: true,
  shipsOnlineOrders: true,
  servesCountries: [],
  tags: [],
  ...CITY[city],
  priority: 1,
  dailyCapacity: null,
  ordersToday: 0,
  handlingCostMinor: 0,
  distanceCost: { perKmMinor: 0 },
  atp,
  ...more,
});

export const ruleSet = (rules: Rule[], more: Partial<RuleSet> = {}): RuleSet => ({
  id: "rs-default",
  version: 3,
  rules,
  split: { allow: true, maxShipments: 5, minValuePerShipmentMinor: 0 },
  backorder: { mode: "ship_available" },
  ...more,
});

export type Given = Partial<SourcingRequest> & { lines: OrderLine[]; locations: SourcingLocation[] };

export const request = (given: Given): SourcingRequest => ({
  destination: OKC,
  delivery: { method: "ship" },
  ruleSet: ruleSet([]),
  now: NOW,
  ...given,
});

/** Routes and checks the invariant every plan must keep: each unit is assigned, backordered or held. */
export function route(given: Given): SourcingPlan {
  const result = sourceOrder(request(given));
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.error)}`);
  expectEveryUnitAccountedFor(result.value, given.lines);
  return result.value;
}

export function expectEveryUnitAccountedFor(plan: SourcingPlan, lines: readonly OrderLine[]) {
  for (const a of plan.assignments) expect(a.quantity).toBeGreaterThan(0);
  if (plan.hold) {
    expect(plan.assignments).toEqual([]);
    expect(plan.backorders).toEqual([]);
    expect(plan.hold.short.length).toBeGreaterThan(0);
    return;
  }
  for (const l of lines) {
    const assigned = plan.assignments.filter((a) => a.lineId === l.lineId).reduce((n, a) => n + a.quantity, 0);
    const backordered = plan.backorders.filter((b) => b.lineId === l.lineId).reduce((n, b) => n + b.quantity, 0);
    expect(assigned + backordered, `line ${l.lineId}`).toBe(l.quantity);
  }
}

/** "dal: L1×2 L2×1 | tul: L3×1" — shipments in the order the plan lists them. */
export function shipped(plan: SourcingPlan): string {
  const byLocation: string[] = [];
  const parts = new Map<string, string[]>();
  for (const a of plan.assignments) {
    if (!parts.has(a.locationId)) byLocation.push(a.locationId);
    parts.set(a.locationId, [...(parts.get(a.locationId) ?? []), `${a.lineId}×${a.quantity}`]);
  }
  return byLocation.map((id) => `${id}: ${parts.get(id)!.join(" ")}`).join(" | ");
}

/** Location ids that ship, sorted. */
export const winners = (plan: SourcingPlan) => [...new Set(plan.assignments.map((a) => a.locationId))].sort();
