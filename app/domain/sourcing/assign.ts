import type { OrderShape } from "./order-shape";
import type { Candidate } from "./ranking";
import type { Workspace } from "./workspace";

/**
 * Which location of the combination set[0..k) (best-ranked first) ships how many units of each
 * line, written to ws.out[j * nLines + line]; returns the units shipped. The one deterministic
 * placement every combination is judged by:
 *  1. ship-together groups first (they are the hardest to place): each goes whole to the first
 *     location that has all of it, or stays unplaced;
 *  2. then each line whole at the first location that has all of it;
 *  3. only when none has, the line is split across the combination in rank order.
 * Lines of one item draw on the same ATP, in line order.
 */
export function assign(order: OrderShape, ws: Workspace, cands: readonly Candidate[], set: readonly number[], k: number): number {
  const { nItems, nLines, itemOf, qty } = order;
  const { atp, out, stock, may } = ws;
  for (let j = 0; j < k; j++) {
    const from = cands[set[j]!]!.row * nItems;
    for (let item = 0; item < nItems; item++) atp[j * nItems + item] = stock[from + item]!;
  }
  out.fill(0, 0, k * nLines);
  let units = 0;

  for (const group of order.groups) {
    for (let j = 0; j < k; j++) {
      const row = cands[set[j]!]!.row * nLines;
      const base = j * nItems;
      let fits = 0;
      for (; fits < group.length; fits++) {
        const line = group[fits]!;
        if (!may[row + line] || atp[base + itemOf[line]!]! < qty[line]!) break;
        atp[base + itemOf[line]!]! -= qty[line]!;
      }
      if (fits === group.length) {
        for (const line of group) {
          out[j * nLines + line] = qty[line]!;
          units += qty[line]!;
        }
        break;
      }
      for (let g = 0; g < fits; g++) atp[base + itemOf[group[g]!]!]! += qty[group[g]!]!;
    }
  }

  for (const line of order.free) {
    const item = itemOf[line]!;
    let need = qty[line]!;
    let whole = -1;
    for (let j = 0; j < k && whole < 0; j++) if (may[cands[set[j]!]!.row * nLines + line] && atp[j * nItems + item]! >= need) whole = j;
    if (whole >= 0) {
      atp[whole * nItems + item]! -= need;
      out[whole * nLines + line] = need;
      units += need;
      continue;
    }
    for (let j = 0; j < k && need > 0; j++) {
      if (!may[cands[set[j]!]!.row * nLines + line]) continue;
      const take = Math.min(need, atp[j * nItems + item]!);
      if (take <= 0) continue;
      atp[j * nItems + item]! -= take;
      out[j * nLines + line] = take;
      units += take;
      need -= take;
    }
  }
  return units;
}

/** Units and value (minor units) the j-th location of the last assign ships. */
export function shipmentOf(order: OrderShape, ws: Workspace, j: number): { units: number; valueMinor: number } {
  let units = 0;
  let valueMinor = 0;
  for (let line = 0; line < order.nLines; line++) {
    const q = ws.out[j * order.nLines + line]!;
    units += q;
    valueMinor += q * order.price[line]!;
  }
  return { units, valueMinor };
}
