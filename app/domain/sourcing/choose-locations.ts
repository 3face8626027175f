import { assign } from "./assign";
import type { OrderShape } from "./order-shape";
import { sameTier, type Candidate } from "./ranking";
import type { SearchKind } from "./types";
import type { Workspace } from "./workspace";

/**
 * Work the exact fewest-shipments search may do, in line placements (combinations × locations ×
 * lines): enough for every combination of 8 locations on a 10-line order (8·2⁷·10 = 10,240), or
 * for pairs among 25 locations on a 5-line order. Beyond it the search turns greedy.
 */
export const EXACT_WORK_BUDGET = 20_000;

export type Choice = { set: number[]; search: SearchKind; combinations: number };

type Search = { order: OrderShape; ws: Workspace; cands: readonly Candidate[]; alone: readonly number[]; set: number[]; combinations: number };

/**
 * Which locations ship, as indices into `cands` (ranked best first), at most `maxShipments`.
 * Units shipped come first: sourcing's first duty is to ship what can ship. Then the rules:
 * the ones before fewest_shipments cut the ranking into tiers (locations tied on all of them);
 * tiers are drawn from in order. A one-location tier ships what it can; in a wider tier,
 * fewest_shipments picks the smallest combination that ships the most of what is left, and the
 * rules after it choose between combinations of that size (summed: total km, total cost…).
 * Without fewest_shipments every tier is one location: a fill in rank order, as Shopify routes
 * items to their highest-ranked location. The last shipment allowed always goes to the location
 * that ships the most of what is left, so a cap on shipments does not strand units behind a
 * near location that had only one of them.
 * `alone[j]`: units cands[j] ships on its own.
 */
export function chooseLocations(
  order: OrderShape,
  ws: Workspace,
  cands: readonly Candidate[],
  alone: readonly number[],
  fewestAt: number | null,
  maxShipments: number,
): Choice {
  const s: Search = { order, ws, cands, alone, set: [], combinations: 0 };
  const { set } = s;
  const n = cands.length;
  const max = Math.min(maxShipments, n);
  let covered = 0;
  let search: SearchKind = maxShipments <= 1 ? "single" : "ranked";
  let i = 0;
  while (i < n && covered < order.totalUnits && set.length < max) {
    if (max - set.length === 1) {
      let best = -1;
      for (let j = i; j < n; j++) {
        const units = unitsWith(s, j);
        if (units > covered) [best, covered] = [j, units];
      }
      if (best >= 0) set.push(best);
      break;
    }
    let end = i + 1;
    if (fewestAt !== null) while (end < n && sameTier(cands[i]!, cands[end]!, fewestAt)) end++;
    if (end - i === 1) {
      const units = unitsWith(s, i);
      if (units > covered) {
        set.push(i);
        covered = units;
      }
    } else {
      const tier = searchTier(s, i, end, max - set.length, covered, fewestAt ?? 0);
      if (search !== "greedy") search = tier.exact ? "exact" : "greedy";
      set.length = tier.size;
      covered = tier.units;
    }
    i = end;
  }
  return { set, search, combinations: s.combinations };
}

/** Units shipped by the current set plus location j. */
function unitsWith(s: Search, j: number): number {
  s.combinations++;
  if (s.set.length === 0) return s.alone[j]!;
  s.set.push(j);
  const units = assign(s.order, s.ws, s.cands, s.set, s.set.length);
  s.set.pop();
  return units;
}

type TierResult = { size: number; units: number; exact: boolean };

/** Picks locations of the tier [from, to) and leaves the pick in s.set after the locations already chosen. */
function searchTier(s: Search, from: number, to: number, slots: number, covered: number, postFrom: number): TierResult {
  const { order, cands, set } = s;
  const b = set.length;
  // Only locations that ship something of what is left can be part of a useful combination.
  const useful: number[] = [];
  for (let j = from; j < to; j++) if (unitsWith(s, j) > covered) useful.push(j);
  if (useful.length === 0) return { size: b, units: covered, exact: true };

  let baseMask = 0;
  for (let x = 0; x < b; x++) baseMask |= cands[set[x]!]!.lineMask;
  let best: number[] = [];
  let bestUnits = covered;
  let work = 0;
  for (let k = 1; k <= Math.min(slots, useful.length); k++) {
    work += choose(useful.length, k) * (b + k) * order.nLines;
    if (work > EXACT_WORK_BUDGET) return greedyCover(s, b, useful, slots, covered);
    const before = bestUnits;
    const idx = Array.from({ length: k }, (_, x) => x);
    do {
      let mask = baseMask;
      for (let x = 0; x < k; x++) mask |= cands[(set[b + x] = useful[idx[x]!]!)]!.lineMask;
      // A combination can ship at most the units of the lines its locations may ship: skip those
      // that cannot beat the best, and, once a same-size best ships as much, those not preferred.
      const bound = mask < 0 ? order.totalUnits : unitsOfLines(order, mask);
      const sameSize = best.length === k;
      if (bound < bestUnits || (bound === bestUnits && !(sameSize && betterCombination(cands, set, b, best, postFrom)))) continue;
      s.combinations++;
      const units = assign(order, s.ws, cands, set, b + k);
      if (units > bestUnits || (units === bestUnits && sameSize && (bound === bestUnits || betterCombination(cands, set, b, best, postFrom)))) {
        best = set.slice(b, b + k);
        bestUnits = units;
      }
    } while (nextCombination(idx, useful.length));
    // Fewer shipments win: stop at the first size that ships everything, or that ships no more than the size before.
    if (bestUnits === order.totalUnits || bestUnits === before) break;
  }
  set.length = b;
  set.push(...best);
  return { size: set.length, units: bestUnits, exact: true };
}

/** Greedy set cover: repeatedly the location that ships the most of what is left (rank breaks ties), then redundant picks dropped. */
function greedyCover(s: Search, b: number, useful: readonly number[], slots: number, covered: number): TierResult {
  const { set } = s;
  const judge = (picks: readonly number[]) => {
    set.length = b;
    set.push(...[...picks].sort((x, y) => x - y));
    s.combinations++;
    return assign(s.order, s.ws, s.cands, set, set.length);
  };
  const chosen: number[] = [];
  let units = covered;
  while (chosen.length < slots) {
    let pick = -1;
    let pickUnits = units;
    for (const j of useful) {
      if (chosen.includes(j)) continue;
      const u = judge([...chosen, j]);
      if (u > pickUnits) [pick, pickUnits] = [j, u];
    }
    if (pick < 0) break;
    chosen.push(pick);
    units = pickUnits;
  }
  // Greedy's classic waste: an early wide pick that later picks made redundant. Drop such
  // locations, worst-ranked first.
  chosen.sort((x, y) => x - y);
  for (let x = chosen.length - 1; x >= 0 && chosen.length > 1; x--) {
    if (judge(chosen.filter((_, y) => y !== x)) >= units) chosen.splice(x, 1);
  }
  set.length = b;
  set.push(...chosen);
  return { size: set.length, units, exact: false };
}

function unitsOfLines(order: OrderShape, mask: number): number {
  let units = 0;
  for (let line = 0; line < order.nLines; line++) if (mask & (1 << line)) units += order.qty[line]!;
  return units;
}

/** Same size, same units: the rules after fewest_shipments decide on sums (total km, total cost…), then location ids. */
function betterCombination(cands: readonly Candidate[], set: readonly number[], from: number, best: readonly number[], postFrom: number): boolean {
  const keyCount = cands[best[0]!]!.keys.length;
  for (let r = postFrom; r < keyCount; r++) {
    let sa = 0;
    let sb = 0;
    for (let x = 0; x < best.length; x++) {
      sa += cands[set[from + x]!]!.keys[r]!;
      sb += cands[best[x]!]!.keys[r]!;
    }
    if (sa !== sb) return sa < sb;
  }
  const ids = (c: readonly number[]) => c.map((j) => cands[j]!.loc.id).sort();
  const [ia, ib] = [ids(set.slice(from, from + best.length)), ids(best)];
  for (let x = 0; x < ia.length; x++) if (ia[x] !== ib[x]) return ia[x]! < ib[x]!;
  return false;
}

function nextCombination(idx: number[], n: number): boolean {
  const k = idx.length;
  let x = k - 1;
  while (x >= 0 && idx[x] === n - k + x) x--;
  if (x < 0) return false;
  idx[x]!++;
  for (let y = x + 1; y < k; y++) idx[y] = idx[y - 1]! + 1;
  return true;
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let x = 1; x <= k; x++) c = (c * (n - k + x)) / x;
  return Math.round(c);
}
