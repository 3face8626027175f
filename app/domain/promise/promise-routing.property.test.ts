import { describe, expect, it } from "vitest";
import { decideSourcing } from "../sourcing/decide-sourcing";
import { CITY, line, location, ruleSet } from "../sourcing/test-fixtures";
import type { Delivery, Destination, OrderLine, RankingRuleType, Rule, SourcingLocation } from "../sourcing/types";
import { publicHolidays } from "./holidays";
import { promiseDelivery, routedLocations } from "./promise-delivery";
import { DEFAULT_BANDS } from "./transit";
import { calendar, everywhere, EXPRESS, STANDARD } from "./test-fixtures";

/** Seeded (mulberry32), so a failure names a scenario that can be replayed. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RANKING: RankingRuleType[] = ["priority", "distance", "fewest_shipments", "capacity", "cost", "inventory_balance", "ship_date"];
const CITIES = Object.keys(CITY) as (keyof typeof CITY)[];
const ZONES = ["America/Los_Angeles", "America/Chicago", "America/New_York", "America/Denver", "Europe/Paris", "Asia/Tokyo"];
const ADDRESSES: Destination[] = [
  { countryCode: "US", provinceCode: "OK", latitude: 35.4676, longitude: -97.5164 },
  { countryCode: "US", provinceCode: "NY", latitude: 40.7128, longitude: -74.006 },
  { countryCode: "US", provinceCode: "CA", latitude: null, longitude: null },
  { countryCode: "CA", provinceCode: "QC", latitude: 45.5017, longitude: -73.5673 },
];

function scenario(seed: number) {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const items = ["tee", "cap", "mug", "pen", "hat"];
  // Any instant in a fortnight around the spring-forward change, to the minute: every time of day, weekends, DST.
  const now = new Date(Date.UTC(2026, 2, 1) + int(14 * 24 * 60) * 60_000);
  const cart: OrderLine[] = Array.from({ length: 1 + int(5) }, (_, i) =>
    line(`cart-${i}`, pick(items), 1 + int(4), {
      unitPriceMinor: 100 + int(4000),
      productTags: rand() < 0.2 ? ["hazmat"] : [],
      shipTogetherGroup: rand() < 0.2 ? "kit" : null,
    }),
  );
  const locations: SourcingLocation[] = Array.from({ length: 1 + int(8) }, (_, i) =>
    location(`loc-${String(i).padStart(2, "0")}`, pick(CITIES), Object.fromEntries(items.filter(() => rand() < 0.6).map((it) => [it, int(6)])), {
      kind: pick(["warehouse", "store", "dropship"] as const),
      active: rand() < 0.9,
      shipsOnlineOrders: rand() < 0.9,
      servesCountries: rand() < 0.2 ? ["US"] : [],
      tags: rand() < 0.4 ? ["store"] : [],
      priority: int(4),
      dailyCapacity: rand() < 0.4 ? int(8) : null,
      ordersToday: int(8),
      handlingCostMinor: int(800),
      distanceCost: { perKmMinor: rand() },
      calendar:
        rand() < 0.8
          ? calendar(
              pick(ZONES),
              `${String(8 + int(14)).padStart(2, "0")}:${pick(["00", "30"])}`,
              [0, 1, 2, 3, 4, 5, 6].filter(() => rand() < 0.6),
              rand() < 0.3 ? ["2026-03-09", "2026-03-10"] : [],
            )
          : null,
    }),
  );
  const rules: Rule[] = [
    ...RANKING.filter(() => rand() < 0.5)
      .sort(() => rand() - 0.5)
      .map((type) => ({ type })),
    ...(rand() < 0.3 ? [{ type: "exclude" as const, locationTag: "store", whenProductTag: "hazmat" }] : []),
  ];
  const rs = ruleSet(rules, {
    split: { allow: rand() < 0.8, maxShipments: 1 + int(3), minValuePerShipmentMinor: rand() < 0.3 ? 1500 : 0 },
    backorder: pick([{ mode: "hold_order" as const }, { mode: "ship_available" as const }, { mode: "wait_days" as const, waitDays: 2 }]),
  });
  const delivery: Delivery = rand() < 0.1 ? { method: "pickup", pickupLocationId: pick(locations).id } : { method: "ship" };
  const incoming = rand() < 0.5 ? [{ inventoryItemId: pick(items), locationId: pick(locations).id, quantity: 1 + int(10), expectedDate: "2026-03-12" }] : [];
  return { now, cart, locations, rs, delivery, destination: pick(ADDRESSES), incoming, rand };
}

describe("property: the promise's locations are the locations routing chooses for the same order at that instant", () => {
  it("holds for 600 seeded carts, addresses, stock levels, rule sets and times of day", () => {
    let split = 0;
    let dated = 0;
    for (let seed = 1; seed <= 600; seed++) {
      const g = scenario(seed);
      const promised = promiseDelivery({
        sourcing: { lines: g.cart, destination: g.destination, delivery: g.delivery, locations: g.locations, ruleSet: g.rs, now: g.now },
        methods: [STANDARD, EXPRESS],
        transit: { entries: everywhere(g.locations.slice(0, 2).map((l) => l.id)), bands: DEFAULT_BANDS },
        incoming: g.incoming,
        holidays: publicHolidays(g.destination.countryCode, g.destination.provinceCode, 2026),
      });
      // Routing (route-order.ts decideFor) sees the order as Shopify created it: its own line ids,
      // its lines in fulfilment-order order, and the OMS's locations in whatever order they load.
      const orderLines = g.cart.map((l, i) => ({ ...l, lineId: `gid://shopify/LineItem/${9_000_000_000_000 + i}` })).sort(() => g.rand() - 0.5);
      const shuffled = [...g.locations].sort(() => g.rand() - 0.5);
      const routed = decideSourcing({ lines: orderLines, destination: g.destination, delivery: g.delivery, locations: shuffled, ruleSet: g.rs, now: g.now });
      expect(promised.ok, `seed ${seed}`).toBe(routed.ok);
      if (!promised.ok || !routed.ok) continue;
      const p = promised.value;
      const stockLocations = [...new Set(p.shipments.filter((s) => s.kind === "stock").map((s) => s.locationId))].sort();
      expect(stockLocations, `seed ${seed}: promise ships from what routing picks`).toEqual(routedLocations(routed.value));
      // Honesty: a window is offered only when every unit has a dated parcel.
      if (p.windows.length) expect(p.undated).toEqual([]);
      for (const s of p.shipments) for (const w of s.windows) expect(w.earliest <= w.latest && s.shipDate! <= w.earliest).toBe(true);
      if (stockLocations.length > 1) split++;
      if (p.windows.length) dated++;
    }
    // The scenarios exercise what they claim to.
    expect(split).toBeGreaterThan(30);
    expect(dated).toBeGreaterThan(100);
  });
});
