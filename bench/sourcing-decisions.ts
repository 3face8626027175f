// Routing decisions per second on one core: 5-line orders across 25 locations under a 6-rule set
// (exclude, capacity, fewest_shipments, distance, cost, inventory_balance), pure engine, no I/O.
//   npm run bench -- sourcing-decisions [seconds=3] [locations=25]
import { cpus } from "node:os";
import { sourceOrder } from "~/domain/sourcing/source-order";
import type { OrderLine, RuleSet, SourcingLocation, SourcingRequest } from "~/domain/sourcing/types";
import { percentile } from "./lib";

const ORDERS = 2_000;
const ITEMS = 300;
const PROVINCES = ["CA", "TX", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI", "WA", "AZ", "OK", "CO"];

/** Seeded, so every run routes the same orders. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ruleSet: RuleSet = {
  id: "bench",
  version: 1,
  rules: [
    { type: "exclude", locationTag: "store", whenProductTag: "hazmat" },
    { type: "capacity" },
    { type: "fewest_shipments" },
    { type: "distance" },
    { type: "cost" },
    { type: "inventory_balance" },
  ],
  split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 1_500 },
  backorder: { mode: "ship_available" },
};

const ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"];

function world(locationCount: number, calendars: boolean) {
  const rand = rng(42);
  const pick = (n: number) => Math.floor(rand() * n);
  const item = (i: number) => `gid://shopify/InventoryItem/${i}`;
  const locations: SourcingLocation[] = Array.from({ length: locationCount }, (_, i) => {
    const kind = i < 4 ? "warehouse" : i < locationCount - 2 ? "store" : "dropship";
    const atp: Record<string, number> = {};
    // Warehouses carry most of the catalogue deep, stores a shallow third, suppliers a few lines deep.
    for (let it = 0; it < ITEMS; it++) {
      const carried = kind === "warehouse" ? rand() < 0.8 : kind === "store" ? rand() < 0.3 : it % 10 === i % 10;
      if (carried) atp[item(it)] = kind === "store" ? 1 + pick(8) : 5 + pick(200);
    }
    return {
      id: `gid://shopify/Location/${1000 + i}`,
      name: `${kind} ${i}`,
      kind,
      active: i !== 7,
      shipsOnlineOrders: true,
      servesCountries: ["US"],
      tags: kind === "store" ? ["store"] : [],
      latitude: 26 + rand() * 22,
      longitude: -122 + rand() * 50,
      priority: kind === "warehouse" ? 1 : 2,
      dailyCapacity: kind === "store" ? 40 : null,
      ordersToday: pick(45),
      handlingCostMinor: kind === "warehouse" ? 250 : kind === "store" ? 400 : 600,
      distanceCost:
        kind === "dropship"
          ? {
              bands: [
                { upToKm: 500, costMinor: 600 },
                { upToKm: 1500, costMinor: 900 },
                { upToKm: 5000, costMinor: 1400 },
              ],
            }
          : { perKmMinor: 0.4 },
      atp,
      // With "calendars": warehouses ship Mon–Fri until 16:00 in one of four zones, stores every day until 20:00.
      calendar: calendars
        ? {
            timeZone: ZONES[i % ZONES.length]!,
            shipDays: kind === "store" ? [0, 1, 2, 3, 4, 5, 6] : [1, 2, 3, 4, 5],
            cutoffMinutes: kind === "store" ? 20 * 60 : 16 * 60,
            closedDates: ["2026-12-25"],
          }
        : null,
    };
  });
  const requests: SourcingRequest[] = Array.from({ length: ORDERS }, (_, o) => {
    const chosen = new Set<number>();
    // Popular items sell more: a skewed draw over the catalogue.
    while (chosen.size < 5) chosen.add(Math.floor(ITEMS * rand() ** 2));
    const lines: OrderLine[] = [...chosen].map((it, l) => ({
      lineId: `gid://shopify/LineItem/${o * 10 + l}`,
      inventoryItemId: item(it),
      sku: `SKU-${it}`,
      quantity: 1 + pick(3),
      unitPriceMinor: 500 + pick(9_500),
      productTags: it % 20 === 0 ? ["hazmat"] : [],
      shipTogetherGroup: l < 2 && o % 10 === 0 ? "kit" : null,
    }));
    return {
      lines,
      destination: { countryCode: "US", provinceCode: PROVINCES[pick(PROVINCES.length)]!, latitude: 26 + rand() * 22, longitude: -122 + rand() * 50 },
      delivery: { method: "ship" },
      locations,
      ruleSet: calendars ? { ...ruleSet, rules: [...ruleSet.rules.slice(0, 2), { type: "ship_date" }, ...ruleSet.rules.slice(2)] } : ruleSet,
      // One order a second, as a steady stream would route them.
      now: new Date(Date.parse("2026-11-23T12:00:00Z") + o * 1_000),
    };
  });
  return requests;
}

export async function run(args: string[]) {
  const seconds = Number(args[0] ?? 3);
  const locationCount = Number(args[1] ?? 25);
  const calendars = args.includes("calendars");
  const requests = world(locationCount, calendars);
  const rules = calendars ? ruleSet.rules.length + 1 : ruleSet.rules.length;
  console.log(
    `\nsourcing decisions: ${ORDERS.toLocaleString()} distinct 5-line orders, ${locationCount} locations, ${rules} rules${calendars ? " (+ ship_date, every location with a calendar)" : ""}, one thread (${cpus()[0]?.model ?? "cpu"}, node ${process.version})`,
  );

  let sink = 0;
  const warmUntil = performance.now() + 1_000;
  for (let i = 0; performance.now() < warmUntil; i++) {
    const r = sourceOrder(requests[i % ORDERS]!);
    sink += r.ok ? r.value.assignments.length : 0;
  }

  const samples: number[] = [];
  const mix = new Map<string, number>();
  let errors = 0;
  const start = performance.now();
  const stop = start + seconds * 1_000;
  let end = start;
  for (let i = 0; end < stop; i++) {
    const t = performance.now();
    const r = sourceOrder(requests[i % ORDERS]!);
    end = performance.now();
    samples.push((end - t) * 1_000);
    if (!r.ok) {
      errors++;
      continue;
    }
    const kind = `${r.value.decision.search}/${r.value.decision.shipments.length} shipment(s)${r.value.backorders.length ? " +backorder" : ""}`;
    mix.set(kind, (mix.get(kind) ?? 0) + 1);
    sink += r.value.assignments.length;
  }
  const elapsed = (end - start) / 1_000;
  samples.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `decisions/s ${Math.round(samples.length / elapsed)
      .toLocaleString()
      .padStart(
        10,
      )}   n=${samples.length}  p50=${f(percentile(samples, 50))} µs  p99=${f(percentile(samples, 99))} µs  max=${f(samples.at(-1) ?? NaN)} µs  errors=${errors}`,
  );
  for (const [kind, n] of [...mix.entries()].sort((a, b) => b[1] - a[1]))
    console.log(`  ${kind.padEnd(40)} ${((100 * n) / samples.length).toFixed(1).padStart(5)} %`);
  if (sink < 0) console.log(sink); // keeps the optimiser from discarding the work
}
