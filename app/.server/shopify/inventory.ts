import type { Observed } from "~/domain/inventory/atp";
import type { HoldMove } from "~/domain/inventory/plan-push";
import type { ObservedLevel } from "../db/stock";
import type { LocationRow } from "../db/stock-settings";
import type { AdminGraphql } from "./admin";
import {
  HOLD_BACK,
  ITEM_LEVELS,
  ITEM_LEVELS_PAGE,
  LEVELS_BY_ID,
  LEVELS_BY_ID_WITH_ITEM,
  LOCATION_LEVELS_PAGE,
  QUANTITY_NAMES,
  SHOP_LOCATIONS,
} from "./documents/inventory";

// The Admin API side of inventory: reading Shopify's quantities by state, and holding back the
// difference between what Shopify would sell and the OMS's ATP in the safety_stock state.

type Cost = { actualQueryCost?: number | null; requestedQueryCost?: number };

/** Cost points this process has spent on inventory calls (read by the benchmark). */
export const inventoryCost = { points: 0, calls: 0 };

function spend(extensions: { cost?: Cost } | undefined) {
  inventoryCost.points += extensions?.cost?.actualQueryCost ?? extensions?.cost?.requestedQueryCost ?? 0;
  inventoryCost.calls++;
}

function observed(quantities: readonly { name: string; quantity: number }[]): Observed {
  const q = (name: (typeof QUANTITY_NAMES)[number]) => quantities.find((x) => x.name === name)?.quantity ?? 0;
  const unavailable = q("damaged") + q("quality_control") + q("reserved");
  // Shopify: on_hand = available + committed + reserved + damaged + safety_stock + quality_control.
  return {
    onHand: q("on_hand"),
    available: q("on_hand") - q("committed") - unavailable - q("safety_stock"),
    committed: q("committed"),
    unavailable,
    heldBack: q("safety_stock"),
  };
}

async function locationsPage(graphql: AdminGraphql, after: string | null) {
  const res = await graphql(SHOP_LOCATIONS, { variables: { after } });
  const { data, extensions } = await res.json();
  spend(extensions);
  if (!data) throw new Error("locations: empty response");
  return data.locations;
}

export async function fetchLocations(graphql: AdminGraphql): Promise<LocationRow[]> {
  const out: LocationRow[] = [];
  let after: string | null = null;
  do {
    const page = await locationsPage(graphql, after);
    for (const l of page.nodes) {
      out.push({
        id: l.id,
        name: l.name,
        isActive: l.isActive,
        fulfillsOnlineOrders: l.fulfillsOnlineOrders,
        countryCode: l.address.countryCode ?? null,
        latitude: l.address.latitude ?? null,
        longitude: l.address.longitude ?? null,
      });
    }
    after = page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null;
  } while (after);
  return out;
}

/** One page of a location's levels with their quantities. */
export async function fetchLocationLevels(
  graphql: AdminGraphql,
  locationId: string,
  after: string | null,
): Promise<{ levels: ObservedLevel[]; next: string | null }> {
  const res = await graphql(LOCATION_LEVELS_PAGE, { variables: { id: locationId, after, names: [...QUANTITY_NAMES] } });
  const { data, extensions } = await res.json();
  spend(extensions);
  const page = data?.location?.inventoryLevels;
  if (!page) return { levels: [], next: null };
  return {
    levels: page.nodes.map((n) => ({
      inventoryItemId: n.item.id,
      locationId,
      sku: n.item.sku ?? null,
      variantId: n.item.variant?.id ?? null,
      title: n.item.variant?.displayName ?? null,
      q: observed(n.quantities),
    })),
    next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
  };
}

/** Every level of the given items, in calls of 10 items (an item at more than 25 locations: its further pages). */
export async function fetchItemLevels(graphql: AdminGraphql, inventoryItemIds: readonly string[]): Promise<ObservedLevel[]> {
  const out: ObservedLevel[] = [];
  for (let i = 0; i < inventoryItemIds.length; i += 10) {
    const res = await graphql(ITEM_LEVELS, { variables: { ids: inventoryItemIds.slice(i, i + 10), names: [...QUANTITY_NAMES] } });
    const { data, extensions } = await res.json();
    spend(extensions);
    for (const node of data?.nodes ?? []) {
      if (!node || !("inventoryLevels" in node)) continue;
      const levels = [...node.inventoryLevels.nodes];
      for (let page = node.inventoryLevels.pageInfo; page.hasNextPage;) {
        const more = await graphql(ITEM_LEVELS_PAGE, { variables: { id: node.id, after: page.endCursor ?? "", names: [...QUANTITY_NAMES] } });
        const next = await more.json();
        spend(next.extensions);
        const conn = next.data?.inventoryItem?.inventoryLevels;
        if (!conn) break; // the item is gone: what was read stands
        levels.push(...conn.nodes);
        page = conn.pageInfo;
      }
      for (const lv of levels) {
        out.push({
          inventoryItemId: node.id,
          locationId: lv.location.id,
          sku: node.sku ?? null,
          variantId: node.variant?.id ?? null,
          title: node.variant?.displayName ?? null,
          q: observed(lv.quantities),
        });
      }
    }
  }
  return out;
}

/** Shopify's id for the level of an item at a location (as inventory_levels/update payloads spell it). */
export function inventoryLevelGid(inventoryItemId: string, locationId: string): string {
  const num = (g: string) => g.slice(g.lastIndexOf("/") + 1);
  return `gid://shopify/InventoryLevel/${num(locationId)}?inventory_item_id=${num(inventoryItemId)}`;
}

/**
 * The given levels, in calls of 50 (a level Shopify no longer has is left out). Only the
 * quantities are read — the level's id names its item and location — except for levels `isNew`
 * says the OMS does not hold yet, whose item SKU and title are read too.
 */
export async function fetchLevels(
  graphql: AdminGraphql,
  levels: readonly { inventoryItemId: string; locationId: string }[],
  isNew: (l: { inventoryItemId: string; locationId: string }) => boolean = () => false,
): Promise<ObservedLevel[]> {
  const out: ObservedLevel[] = [];
  const byId = new Map(levels.map((l) => [inventoryLevelGid(l.inventoryItemId, l.locationId), l]));
  const add = (nodeId: string, quantities: readonly { name: string; quantity: number }[], item?: LevelItem | null) => {
    const asked = byId.get(nodeId);
    if (!asked) return;
    out.push({
      inventoryItemId: asked.inventoryItemId,
      locationId: asked.locationId,
      sku: item?.sku ?? null,
      variantId: item?.variant?.id ?? null,
      title: item?.variant?.displayName ?? null,
      q: observed(quantities),
    });
  };
  const ids = (group: typeof levels) => group.map((l) => inventoryLevelGid(l.inventoryItemId, l.locationId));
  const fresh = levels.filter(isNew);
  for (let i = 0; i < fresh.length; i += 50) {
    const res = await graphql(LEVELS_BY_ID_WITH_ITEM, { variables: { ids: ids(fresh.slice(i, i + 50)), names: [...QUANTITY_NAMES] } });
    const { data, extensions } = await res.json();
    spend(extensions);
    for (const node of data?.nodes ?? []) if (node && "quantities" in node) add(node.id, node.quantities, node.item);
  }
  const held = levels.filter((l) => !isNew(l));
  for (let i = 0; i < held.length; i += 50) {
    const res = await graphql(LEVELS_BY_ID, { variables: { ids: ids(held.slice(i, i + 50)), names: [...QUANTITY_NAMES] } });
    const { data, extensions } = await res.json();
    spend(extensions);
    for (const node of data?.nodes ?? []) if (node && "quantities" in node) add(node.id, node.quantities);
  }
  return out;
}

type LevelItem = { sku?: string | null; variant?: { id: string; displayName: string } | null };

export type PushResult =
  | { kind: "applied"; after: { inventoryItemId: string; locationId: string; available: number; heldBack: number }[] }
  | { kind: "stale"; inventoryItemIds: string[] }
  | { kind: "rejected"; errors: { code: string | null; message: string }[] };

/**
 * One inventoryMoveQuantities call for up to 250 moves. Both sides carry changeFromQuantity, so
 * a level that changed since it was read fails the whole call with CHANGE_FROM_QUANTITY_STALE and
 * nothing is applied; the caller re-reads those items and plans again. The idempotency key is
 * derived from the moves, so a retried call that already succeeded is answered from Shopify's
 * idempotency record instead of moving twice.
 */
export async function pushHoldMoves(graphql: AdminGraphql, moves: readonly HoldMove[], key: string, reference: string): Promise<PushResult> {
  const ledger = `gid://oms/AtpHoldBack/${key}`;
  const input = {
    reason: "safety_stock",
    referenceDocumentUri: reference,
    changes: moves.map((m) => {
      const available = { locationId: m.locationId, name: "available", changeFromQuantity: m.fromAvailable };
      const held = { locationId: m.locationId, name: "safety_stock", changeFromQuantity: m.fromHeldBack, ledgerDocumentUri: ledger };
      return m.delta > 0
        ? { inventoryItemId: m.inventoryItemId, quantity: m.delta, from: available, to: held }
        : { inventoryItemId: m.inventoryItemId, quantity: -m.delta, from: held, to: available };
    }),
  };
  const res = await graphql(HOLD_BACK, { variables: { input, key } });
  const { data, extensions } = await res.json();
  spend(extensions);
  const payload = data?.inventoryMoveQuantities;
  if (!payload) throw new Error("inventoryMoveQuantities: empty response");
  if (payload.userErrors.length) {
    const stale = payload.userErrors.filter((e) => e.code === "CHANGE_FROM_QUANTITY_STALE");
    if (stale.length) {
      const idx = new Set(stale.map((e) => Number(e.field?.[2])).filter((n) => Number.isInteger(n)));
      const items = moves.filter((_, i) => idx.size === 0 || idx.has(i)).map((m) => m.inventoryItemId);
      return { kind: "stale", inventoryItemIds: [...new Set(items)] };
    }
    return { kind: "rejected", errors: payload.userErrors.map((e) => ({ code: e.code ?? null, message: e.message })) };
  }
  const after = new Map<string, { inventoryItemId: string; locationId: string; available: number; heldBack: number }>();
  for (const c of payload.inventoryAdjustmentGroup?.changes ?? []) {
    const k = `${c.item?.id}|${c.location?.id}`;
    const row = after.get(k) ?? { inventoryItemId: c.item?.id ?? "", locationId: c.location?.id ?? "", available: 0, heldBack: 0 };
    if (c.name === "available") row.available = c.quantityAfterChange ?? 0;
    if (c.name === "safety_stock") row.heldBack = c.quantityAfterChange ?? 0;
    after.set(k, row);
  }
  return { kind: "applied", after: [...after.values()] };
}
