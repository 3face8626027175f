import type { OrderShape } from "./order-shape";
import type { SourcingLocation } from "./types";

/**
 * One decision's flat memory, allocated once so the search allocates nothing: per location row,
 * the ATP of each of the order's items and the lines it may ship; and the buffers assign() reuses
 * for every combination it judges (j = position in the combination).
 */
export type Workspace = {
  nItems: number;
  nLines: number;
  /** stock[row * nItems + item]: ATP, never negative. */
  stock: number[];
  /** may[row * nLines + line]: 1 if the location may ship the line and has some of its item. */
  may: number[];
  /** atp[j * nItems + item]: what is left at the j-th location while a combination is judged. */
  atp: number[];
  /** out[j * nLines + line]: units of the line the j-th location ships. */
  out: number[];
};

/** Plain packed arrays of small integers: for tables this small V8 allocates them faster than typed arrays. */
function zeros(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

export function newWorkspace(order: OrderShape, rows: number, maxCombination: number): Workspace {
  const k = Math.max(1, maxCombination);
  return {
    nItems: order.nItems,
    nLines: order.nLines,
    stock: zeros(Math.max(1, rows) * order.nItems),
    may: zeros(Math.max(1, rows) * order.nLines),
    atp: zeros(k * order.nItems),
    out: zeros(k * order.nLines),
  };
}

/** Reads each location's ATP for the order's items once (never negative, whole units). */
export function fillStock(ws: Workspace, order: OrderShape, locations: readonly SourcingLocation[]): void {
  locations.forEach((loc, row) => {
    for (let item = 0; item < order.nItems; item++) ws.stock[row * order.nItems + item] = Math.max(0, Math.floor(loc.atp[order.itemIds[item]!] ?? 0));
  });
}
