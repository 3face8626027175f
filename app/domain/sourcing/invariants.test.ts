import { describe, expect, it } from "vitest";
import { CITY, line, location, route, ruleSet } from "./test-fixtures";
import type { Delivery, OrderLine, RankingRuleType, Rule, SourcingLocation, SourcingPlan } from "./types";

/** Seeded, so a failure names a scenario that can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RANKING: RankingRuleType[] = ["priority", "distance", "fewest_shipments", "capacity", "cost", "inventory_balance"];
const CITIES = Object.keys(CITY) as (keyof typeof CITY)[];

function scenario(seed: number) {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  // Every fifth scenario is wide enough to push fewest_shipments past its exact budget.
  const wide = seed % 5 === 0;
  const items = wide ? ["tee", "cap", "mug", "pen", "hat", "bag", "cup", "kit"] : ["tee", "cap", "mug", "pen"];
  const lines: OrderLine[] = Array.from({ length: 1 + int(wide ? 9 : 6) }, (_, i) =>
    line(`L${i}`, pick(items), 1 + int(3), {
      unitPriceMinor: 100 + int(3000),
      productTags: rand() < 0.2 ? ["hazmat"] : [],
      shipTogetherGroup: rand() < 0.25 ? pick(["kit", "set"]) : null,
    }),
  );
  const locations: SourcingLocation[] = Array.from({ length: wide ? 12 + int(14) : 1 + int(10) }, (_, i) =>
    location(`loc-${String(i).padStart(2, "0")}`, pick(CITIES), Object.fromEntries(items.filter(() => rand() < 0.6).map((it) => [it, int(5)])), {
      kind: pick(["warehouse", "store", "dropship", "pickup"] as const),
      active: rand() < 0.9,
      shipsOnlineOrders: rand() < 0.9,
      tags: rand() < 0.4 ? ["store"] : [],
      priority: int(4),
      dailyCapacity: rand() < 0.5 ? int(10) : null,
      ordersToday: int(10),
      handlingCostMinor: int(1000),
      distanceCost: { perKmMinor: rand() },
    }),
  );
  const ranking = RANKING.filter(() => rand() < 0.5).sort(() => rand() - 0.5);
  const rules: Rule[] = [
    ...ranking.map((type) => ({ type })),
    ...(rand() < 0.4 ? [{ type: "exclude" as const, locationTag: "store", whenProductTag: "hazmat" }] : []),
  ];
  const split = { allow: rand() < 0.8, maxShipments: 1 + int(wide ? 6 : 4), minValuePerShipmentMinor: rand() < 0.3 ? 1500 : 0 };
  const backorder = pick([{ mode: "hold_order" as const }, { mode: "ship_available" as const }, { mode: "wait_days" as const, waitDays: 2 }]);
  const delivery: Delivery = rand() < 0.15 ? { method: "pickup", pickupLocationId: pick(locations).id } : { method: "ship" };
  return { lines, locations, ruleSet: ruleSet(rules, { split, backorder }), delivery };
}

function checkInvariants(given: ReturnType<typeof scenario>, plan: SourcingPlan) {
  const { lines, locations, ruleSet: rs, delivery } = given;
  const byId = new Map(locations.map((l) => [l.id, l]));
  const lineOf = new Map(lines.map((l) => [l.lineId, l]));
  const shipping = [...new Set(plan.assignments.map((a) => a.locationId))];

  // Never more than the split policy allows; a pickup goes to its store only.
  expect(shipping.length).toBeLessThanOrEqual(delivery.method === "pickup" || !rs.split.allow ? 1 : rs.split.maxShipments);
  if (delivery.method === "pickup") expect(shipping.every((id) => id === delivery.pickupLocationId)).toBe(true);
  for (const id of shipping) {
    const loc = byId.get(id)!;
    expect(loc.active).toBe(true);
    if (delivery.method === "ship") expect(loc.shipsOnlineOrders).toBe(true);
    // Never more than the location has of an item.
    for (const item of new Set(lines.map((l) => l.inventoryItemId))) {
      const taken = plan.assignments.filter((a) => a.locationId === id && lineOf.get(a.lineId)!.inventoryItemId === item).reduce((n, a) => n + a.quantity, 0);
      expect(taken).toBeLessThanOrEqual(loc.atp[item] ?? 0);
    }
    // Exclude rules hold.
    for (const a of plan.assignments.filter((x) => x.locationId === id)) {
      const excluded = rs.rules.some(
        (r) =>
          r.type === "exclude" &&
          r.locationTag &&
          loc.tags.includes(r.locationTag) &&
          (!r.whenProductTag || lineOf.get(a.lineId)!.productTags.includes(r.whenProductTag)),
      );
      expect(excluded).toBe(false);
    }
  }
  // A ship-together group ships whole from one location, or not at all.
  for (const group of new Set(lines.map((l) => l.shipTogetherGroup).filter(Boolean))) {
    const members = lines.filter((l) => l.shipTogetherGroup === group);
    const parts = plan.assignments.filter((a) => lineOf.get(a.lineId)!.shipTogetherGroup === group);
    if (parts.length === 0) continue;
    expect(new Set(parts.map((a) => a.locationId)).size).toBe(1);
    expect(parts.map((a) => [a.lineId, a.quantity])).toEqual(members.map((l) => [l.lineId, l.quantity]));
  }
  // Split shipments each reach the minimum value.
  if (shipping.length > 1) {
    for (const id of shipping) {
      const value = plan.assignments.filter((a) => a.locationId === id).reduce((n, a) => n + a.quantity * lineOf.get(a.lineId)!.unitPriceMinor, 0);
      expect(value).toBeGreaterThanOrEqual(rs.split.minValuePerShipmentMinor);
    }
  }
  // With room for a shipment from every location and no minimum, stock is never left behind for policy reasons.
  const eligibleCount = plan.decision.candidates.filter((c) => c.eliminatedBy === null).length;
  if (delivery.method === "ship" && rs.split.allow && rs.split.maxShipments >= eligibleCount && rs.split.minValuePerShipmentMinor === 0) {
    expect([...plan.backorders, ...(plan.hold?.short ?? [])].filter((b) => b.reason === "SPLIT_POLICY")).toEqual([]);
  }
  // Every location appears once in the record.
  expect(plan.decision.candidates.map((c) => c.locationId).sort()).toEqual(locations.map((l) => l.id).sort());
}

describe("invariants over 500 generated orders", () => {
  const SEEDS = Array.from({ length: 500 }, (_, seed) => seed);

  it("the generator reaches every search path, or the invariants would say little", () => {
    const searches = new Set(SEEDS.map((seed) => route(scenario(seed)).decision.search));
    expect([...searches].sort()).toEqual(["exact", "greedy", "ranked", "single"]);
  });

  it.each(SEEDS)("scenario %i: every unit accounted for, within stock, policy and exclusions, and deterministic", (seed) => {
    const given = scenario(seed);
    const plan = route(given);
    checkInvariants(given, plan);
    expect(route({ ...given, locations: [...given.locations].reverse() })).toEqual(plan);
  });
});
