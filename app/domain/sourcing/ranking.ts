import { distanceCostMinor, haversineKm } from "./geo";
import type { OrderShape } from "./order-shape";
import type { Destination, RankingRuleType, Rule, SourcingLocation } from "./types";
import type { Workspace } from "./workspace";

/** An eligible location with everything the rules compare, computed once per decision. */
export type Candidate = {
  loc: SourcingLocation;
  /** Its row in the workspace's stock and may tables. */
  row: number;
  /** Lines an exclude rule keeps from this location. */
  notes: readonly string[];
  /** 0 when the distance is unknown (no destination coordinates) or irrelevant (pickup). */
  km: number;
  costMinor: number;
  atCapacity: boolean;
  /** Units of the order's items left here if it shipped all it could of them. */
  leftAfter: number;
  /** Calendar days until it can ship (0 = today); its first shipping date, when it has a calendar. */
  daysToShip: number;
  shipDate: string | null;
  /** One per ranking rule except fewest_shipments, in rule order; lower wins. */
  keys: number[];
  /** Bit per line it may ship (orders up to 30 lines), -1 beyond: lets the search skip hopeless combinations. */
  lineMask: number;
};

/** Ranking rules in order without repeats; fewest_shipments ranks combinations, not locations, so it is kept apart. */
export type RankingOrder = { keyRules: RankingRuleType[]; fewestAt: number | null; rules: RankingRuleType[] };

export function rankingOrder(rules: readonly Rule[]): RankingOrder {
  const ranked: RankingRuleType[] = [];
  for (const r of rules) if (r.type !== "exclude" && !ranked.includes(r.type)) ranked.push(r.type);
  const at = ranked.indexOf("fewest_shipments");
  return { rules: ranked, keyRules: ranked.filter((r) => r !== "fewest_shipments"), fewestAt: at < 0 ? null : at };
}

export const MASKED_LINES = 30;

/** Scores an eligible location from its stock and may rows. */
export function measure(
  loc: SourcingLocation,
  row: number,
  notes: readonly string[],
  order: OrderShape,
  ws: Workspace,
  dest: Destination,
  pickup: boolean,
  ranking: RankingOrder,
  ship: { daysAhead: number; date: string | null },
): Candidate {
  const { nItems, nLines, stock, may } = ws;
  let leftAfter = 0;
  let lineMask = nLines <= MASKED_LINES ? 0 : -1;
  for (let item = 0; item < nItems; item++) {
    let want = 0;
    for (let line = 0; line < nLines; line++) if (order.itemOf[line] === item && may[row * nLines + line]) want += order.qty[line]!;
    const atp = stock[row * nItems + item]!;
    if (want > 0) leftAfter += atp - Math.min(atp, want);
  }
  if (lineMask === 0) for (let line = 0; line < nLines; line++) if (may[row * nLines + line]) lineMask |= 1 << line;
  const located = !pickup && dest.latitude !== null && dest.longitude !== null;
  const km = located ? haversineKm(loc.latitude, loc.longitude, dest.latitude!, dest.longitude!) : 0;
  const costMinor = loc.handlingCostMinor + (located ? distanceCostMinor(loc.distanceCost, km) : 0);
  const atCapacity = loc.dailyCapacity !== null && loc.ordersToday >= loc.dailyCapacity;
  const keys: number[] = [];
  for (const rule of ranking.keyRules) keys.push(keyOf(rule, loc, km, costMinor, atCapacity, leftAfter, ship.daysAhead));
  return { loc, row, notes, km, costMinor, atCapacity, leftAfter, daysToShip: ship.daysAhead, shipDate: ship.date, keys, lineMask };
}

/**
 * Capacity deprioritises rather than filters: a location at its daily limit still beats not
 * shipping at all, and only loses to locations with room at the rule's place in the order.
 */
function keyOf(
  rule: RankingRuleType,
  loc: SourcingLocation,
  km: number,
  costMinor: number,
  atCapacity: boolean,
  leftAfter: number,
  daysToShip: number,
): number {
  switch (rule) {
    case "priority":
      return loc.priority;
    case "distance":
      return km;
    case "cost":
      return costMinor;
    case "capacity":
      return atCapacity ? 1 : 0;
    case "inventory_balance":
      return -leftAfter;
    case "ship_date":
      return daysToShip;
    case "fewest_shipments":
      return 0;
  }
}

/** Each rule only breaks the ties the rules before it left; the location id breaks the last ones. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  for (let r = 0; r < a.keys.length; r++) if (a.keys[r] !== b.keys[r]) return a.keys[r]! - b.keys[r]!;
  return a.loc.id < b.loc.id ? -1 : a.loc.id > b.loc.id ? 1 : 0;
}

/** True when a and b tie on the first `n` rules (n = the rules before fewest_shipments: one tier). */
export function sameTier(a: Candidate, b: Candidate, n: number): boolean {
  for (let r = 0; r < n; r++) if (a.keys[r] !== b.keys[r]) return false;
  return true;
}
