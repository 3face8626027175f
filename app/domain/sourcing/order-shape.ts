import type { OrderLine } from "./types";

/**
 * The order as flat arrays of numbers, built once per decision: the search evaluates hundreds of
 * location combinations and must not allocate or look strings up while doing so.
 */
export type OrderShape = {
  lines: readonly OrderLine[];
  nLines: number;
  nItems: number;
  /** The order's distinct inventory items, in order of first line. */
  itemIds: string[];
  /** line → index of its inventory item in itemIds (lines of one item share its ATP). */
  itemOf: number[];
  qty: number[];
  price: number[];
  /** Ship-together groups (line indices), each placed whole at one location; in order of first line. */
  groups: number[][];
  /** Lines outside any group, in order; a line is split across locations only when none can ship it whole. */
  free: number[];
  totalUnits: number;
};

export function shapeOrder(lines: readonly OrderLine[]): OrderShape {
  const itemIndex = new Map<string, number>();
  const itemIds: string[] = [];
  const groupIndex = new Map<string, number[]>();
  const itemOf: number[] = [];
  const qty: number[] = [];
  const price: number[] = [];
  const groups: number[][] = [];
  const free: number[] = [];
  let totalUnits = 0;
  lines.forEach((line, i) => {
    let item = itemIndex.get(line.inventoryItemId);
    if (item === undefined) itemIndex.set(line.inventoryItemId, (item = itemIds.push(line.inventoryItemId) - 1));
    itemOf[i] = item;
    qty[i] = line.quantity;
    price[i] = line.unitPriceMinor;
    totalUnits += line.quantity;
    if (!line.shipTogetherGroup) return void free.push(i);
    let group = groupIndex.get(line.shipTogetherGroup);
    if (!group) groupIndex.set(line.shipTogetherGroup, (group = groups[groups.push([]) - 1]!));
    group.push(i);
  });
  return {
    lines,
    nLines: lines.length,
    nItems: itemIds.length,
    itemIds,
    itemOf,
    qty,
    price,
    groups,
    free,
    totalUnits,
  };
}
