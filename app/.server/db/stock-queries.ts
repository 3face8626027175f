import type { Prisma } from "@prisma/client";
import { db } from "./client";

// Read-only queries behind the inventory page: a keyset-paginated list of levels, and the
// look-ups that turn inventory item ids into SKUs (and back) for display and for forms.

export type StockLevelFilters = {
  sku?: string;
  /** "contains" (default) or "prefix". Case-insensitive (ASCII) on SQLite, case-sensitive on PostgreSQL. */
  skuMatch?: "contains" | "prefix";
  locationId?: string;
  /** Only levels never observed or last observed before this instant (the stale ones). */
  observedBefore?: Date;
};

/** A level's columns as the views and the inventory flush read them. */
export const LEVEL_SELECT = {
  id: true,
  inventoryItemId: true,
  locationId: true,
  sku: true,
  title: true,
  variantId: true,
  onHand: true,
  reserved: true,
  safetyStock: true,
  committed: true,
  unavailable: true,
  shopifyAvailable: true,
  heldBack: true,
  observedAt: true,
  shopifyAsOf: true,
  pushedAt: true,
} satisfies Prisma.StockLevelSelect;

export type StockLevelRow = Prisma.StockLevelGetPayload<{ select: typeof LEVEL_SELECT }>;

// Nulls last on both SQLite and PostgreSQL, so the cursor means the same thing on either.
const ORDER_BY: Prisma.StockLevelOrderByWithRelationInput[] = [{ sku: { sort: "asc", nulls: "last" } }, { inventoryItemId: "asc" }, { locationId: "asc" }];

type Cursor = { sku: string | null; inventoryItemId: string; locationId: string };

/**
 * One page of a shop's levels ordered by (sku, inventory item, location), with keyset pagination.
 * The "after the cursor" condition is split into index range scans run in order (the rest of the
 * cursor's item, the rest of its SKU, later SKUs, then the SKU-less levels) instead of one OR.
 */
export async function listStockLevels(
  shop: string,
  f: StockLevelFilters,
  page: { after?: string; take: number },
): Promise<{ items: StockLevelRow[]; next: string | null }> {
  const where = levelWhere(shop, f);
  const want = page.take + 1;
  const cursor = page.after ? decodeCursor(page.after) : null;
  let rows: StockLevelRow[] = [];
  if (!cursor) {
    rows = await db().stockLevel.findMany({ where, orderBy: ORDER_BY, take: want, select: LEVEL_SELECT });
  } else {
    for (const range of afterRanges(cursor)) {
      if (rows.length >= want) break;
      rows.push(...(await db().stockLevel.findMany({ where: { AND: [where, range] }, orderBy: ORDER_BY, take: want - rows.length, select: LEVEL_SELECT })));
    }
  }
  const more = rows.length > page.take;
  const items = rows.slice(0, page.take);
  const last = items.at(-1);
  return { items, next: more && last ? stockLevelCursor(last) : null };
}

function levelWhere(shop: string, f: StockLevelFilters): Prisma.StockLevelWhereInput {
  const where: Prisma.StockLevelWhereInput = { shop };
  const sku = f.sku?.trim();
  if (sku) where.sku = f.skuMatch === "prefix" ? { startsWith: sku } : { contains: sku };
  if (f.locationId) where.locationId = f.locationId;
  if (f.observedBefore) where.OR = [{ observedAt: null }, { observedAt: { lt: f.observedBefore } }];
  return where;
}

function afterRanges(c: Cursor): Prisma.StockLevelWhereInput[] {
  const ranges: Prisma.StockLevelWhereInput[] = [
    { sku: c.sku, inventoryItemId: c.inventoryItemId, locationId: { gt: c.locationId } },
    { sku: c.sku, inventoryItemId: { gt: c.inventoryItemId } },
  ];
  if (c.sku !== null) ranges.push({ sku: { gt: c.sku } }, { sku: null });
  return ranges;
}

/** The cursor that continues a listing right after `row` (also for pages cut short by a filter). */
export function stockLevelCursor(row: Pick<StockLevelRow, "sku" | "inventoryItemId" | "locationId">): string {
  return Buffer.from(JSON.stringify([row.sku, row.inventoryItemId, row.locationId])).toString("base64url");
}

function decodeCursor(raw: string): Cursor | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(v) || v.length !== 3) return null;
    const [sku, inventoryItemId, locationId] = v as unknown[];
    if ((sku !== null && typeof sku !== "string") || typeof inventoryItemId !== "string" || typeof locationId !== "string") return null;
    return { sku, inventoryItemId, locationId };
  } catch {
    return null;
  }
}

/** The distinct inventory items that carry exactly this SKU (normally one). */
export async function inventoryItemsWithSku(shop: string, sku: string): Promise<{ inventoryItemId: string; title: string | null }[]> {
  const rows = await db().stockLevel.findMany({
    where: { shop, sku },
    distinct: ["inventoryItemId"],
    select: { inventoryItemId: true, title: true },
    orderBy: { inventoryItemId: "asc" },
    take: 10,
  });
  return rows;
}

/** SKU and title of each of these inventory items, as the levels last described them. */
export async function describeInventoryItems(
  shop: string,
  inventoryItemIds: readonly string[],
): Promise<Map<string, { sku: string | null; title: string | null }>> {
  const ids = [...new Set(inventoryItemIds.filter(Boolean))];
  if (!ids.length) return new Map();
  const rows = await db().stockLevel.findMany({
    where: { shop, inventoryItemId: { in: ids } },
    distinct: ["inventoryItemId"],
    select: { inventoryItemId: true, sku: true, title: true },
  });
  return new Map(rows.map((r) => [r.inventoryItemId, { sku: r.sku, title: r.title }]));
}

/** Every location a level of this shop is at (a level may predate the locations list). */
export async function stockLevelLocationIds(shop: string): Promise<string[]> {
  const rows = await db().stockLevel.findMany({
    where: { shop },
    distinct: ["locationId"],
    select: { locationId: true },
    orderBy: { locationId: "asc" },
    take: 500,
  });
  return rows.map((r) => r.locationId);
}
