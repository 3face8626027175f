import { atp, channelAtp, isStale, type StaleFeedPolicy } from "~/domain/inventory/atp";
import type { SafetyStockError } from "~/domain/inventory/safety-stock";
import { err, type Result } from "~/domain/shared/result";
import { stockLevels } from "../db/stock";
import {
  describeInventoryItems,
  inventoryItemsWithSku,
  listStockLevels,
  stockLevelCursor,
  stockLevelLocationIds,
  type StockLevelFilters,
  type StockLevelRow,
} from "../db/stock-queries";
import { auditEvents, inventoryPolicy, openDrift, recentDrift, safetyStockRules, stockLocations } from "../db/stock-settings";
import { enqueue } from "../queue/queues";
import { setSafetyStock } from "./inventory-settings";

// The inventory page: levels with their ATP, the stale-feed policy, safety-stock rules, the
// reconciler's drift report and the audit trail, as plain JSON (dates as ISO strings); and the
// page's three writes (safety stock by SKU, reconcile now; the policy goes to inventory-settings).

const PAGE = 50;
/** With "only zero ATP" the filter is applied to the ATP the domain computes, scanning at most this many levels per page. */
const SCAN_BATCH = 250;
const SCAN_LIMIT = 5_000;

export type InventoryFilters = { sku?: string; skuMatch?: "contains" | "prefix"; location?: string; stale?: boolean; zeroAtp?: boolean; after?: string };

export async function inventoryPageView(shop: string, f: InventoryFilters, now: Date) {
  const policy = await inventoryPolicy(shop);
  const [page, locationRows, levelLocations, rules, open, recent, audit] = await Promise.all([
    levelPage(shop, f, policy, now),
    stockLocations(shop),
    stockLevelLocationIds(shop),
    safetyStockRules(shop),
    openDrift(shop),
    recentDrift(shop, 50),
    auditEvents(shop, ["safety-stock", "inventory-policy"], 20),
  ]);
  const resolved = recent.filter((d) => d.resolvedAt).slice(0, 15);
  const names = new Map(locationRows.map((l) => [l.id, l.name]));
  const locationName = (id: string) => (id ? (names.get(id) ?? id) : null);
  const items = await describeInventoryItems(shop, [
    ...rules.map((r) => r.inventoryItemId),
    ...open.map((d) => d.inventoryItemId),
    ...resolved.map((d) => d.inventoryItemId),
  ]);
  const itemLabel = (id: string) => (id ? (items.get(id)?.sku ?? items.get(id)?.title ?? id) : null);

  return {
    now: now.toISOString(),
    policy: { staleFeed: policy.staleFeed, staleAfterMinutes: policy.staleAfterMinutes, explicit: policy.explicit, updatedBy: policy.updatedBy },
    locations: [...locationRows.map((l) => ({ id: l.id, name: l.name })), ...levelLocations.filter((id) => !names.has(id)).map((id) => ({ id, name: id }))],
    levels: page.items.map((l) => levelView(l, policy, now, locationName(l.locationId) ?? l.locationId)),
    next: page.next,
    channels: await channelSummary(shop, page.items, locationRows, policy, now),
    rules: rules
      .map((r) => ({
        key: `${r.locationId}|${r.inventoryItemId}`,
        locationId: r.locationId,
        inventoryItemId: r.inventoryItemId,
        scope: scopeOf(r),
        location: locationName(r.locationId),
        item: itemLabel(r.inventoryItemId),
        quantity: r.quantity,
        updatedBy: r.updatedBy,
        updatedAt: r.updatedAt.toISOString(),
      }))
      .sort(
        (a, b) =>
          SCOPES.indexOf(a.scope) - SCOPES.indexOf(b.scope) || (a.location ?? "").localeCompare(b.location ?? "") || (a.item ?? "").localeCompare(b.item ?? ""),
      ),
    drift: {
      open: open.map((d) => ({
        ...driftView(d, locationName, itemLabel),
        age: formatAge(now.getTime() - d.firstSeenAt.getTime()),
        ageMinutes: Math.floor((now.getTime() - d.firstSeenAt.getTime()) / 60_000),
      })),
      resolved: resolved.map((d) => ({ ...driftView(d, locationName, itemLabel), resolvedAt: d.resolvedAt!.toISOString() })),
    },
    audit: audit.map((a) => ({ id: a.id, at: a.at.toISOString(), actor: a.actor, subject: a.subject, summary: a.summary })),
  };
}

export type InventoryPageView = Awaited<ReturnType<typeof inventoryPageView>>;
export type LevelView = InventoryPageView["levels"][number];

function levelView(l: StockLevelRow, policy: StaleFeedPolicy, now: Date, location: string) {
  const available = atp(l, policy, now);
  return {
    id: l.id,
    inventoryItemId: l.inventoryItemId,
    locationId: l.locationId,
    sku: l.sku,
    title: l.title,
    location,
    onHand: l.onHand,
    reserved: l.reserved,
    committed: l.committed,
    safetyStock: l.safetyStock,
    unavailable: l.unavailable,
    atp: available,
    shopifyAvailable: l.shopifyAvailable,
    heldBack: l.heldBack,
    observedAt: l.observedAt?.toISOString() ?? null,
    pushedAt: l.pushedAt?.toISOString() ?? null,
    stale: isStale(l, policy, now),
  };
}

async function levelPage(shop: string, f: InventoryFilters, policy: StaleFeedPolicy, now: Date): Promise<{ items: StockLevelRow[]; next: string | null }> {
  const filters: StockLevelFilters = {
    sku: f.sku,
    skuMatch: f.skuMatch,
    locationId: f.location,
    observedBefore: f.stale ? new Date(now.getTime() - policy.staleAfterMinutes * 60_000) : undefined,
  };
  if (!f.zeroAtp) return listStockLevels(shop, filters, { after: f.after, take: PAGE });
  // ATP is the domain's arithmetic (and depends on the policy and the clock): filter on it here,
  // continuing the keyset scan until a page is full; the cursor resumes after the last level looked at.
  const items: StockLevelRow[] = [];
  let after = f.after;
  for (let scanned = 0; ;) {
    const batch = await listStockLevels(shop, filters, { after, take: SCAN_BATCH });
    for (const [i, row] of batch.items.entries()) {
      if (atp(row, policy, now) !== 0) continue;
      items.push(row);
      if (items.length === PAGE) return { items, next: i === batch.items.length - 1 && !batch.next ? null : stockLevelCursor(row) };
    }
    scanned += batch.items.length;
    if (!batch.next) return { items, next: null };
    after = batch.next;
    if (scanned >= SCAN_LIMIT) return { items, next: after };
  }
}

/** ATP of each item on the page summed over every location, and over those that sell online. */
async function channelSummary(
  shop: string,
  rows: StockLevelRow[],
  locations: { id: string; isActive: boolean; fulfillsOnlineOrders: boolean }[],
  policy: StaleFeedPolicy,
  now: Date,
) {
  const ids = [...new Set(rows.map((r) => r.inventoryItemId))];
  if (!ids.length) return [];
  const online = new Set(locations.filter((l) => l.isActive && l.fulfillsOnlineOrders).map((l) => l.id));
  const levels = await stockLevels(shop, { inventoryItemIds: ids });
  return ids.map((id) => {
    const mine = levels.filter((l) => l.inventoryItemId === id);
    const perLocation = mine.map((l) => ({ locationId: l.locationId, atp: atp(l, policy, now) }));
    const first = rows.find((r) => r.inventoryItemId === id);
    return {
      inventoryItemId: id,
      sku: first?.sku ?? null,
      title: first?.title ?? null,
      locations: mine.length,
      all: channelAtp(perLocation, () => true),
      online: channelAtp(perLocation, (l) => online.has(l)),
    };
  });
}

const SCOPES = ["shop default", "location", "item", "item at location"] as const;
type Scope = (typeof SCOPES)[number];
const scopeOf = (r: { locationId: string; inventoryItemId: string }): Scope =>
  r.inventoryItemId ? (r.locationId ? "item at location" : "item") : r.locationId ? "location" : "shop default";

type DriftRow = Awaited<ReturnType<typeof openDrift>>[number];
function driftView(d: DriftRow, locationName: (id: string) => string | null, itemLabel: (id: string) => string | null) {
  return {
    id: d.id,
    kind: d.kind,
    item: itemLabel(d.inventoryItemId),
    location: locationName(d.locationId),
    reference: d.reference,
    expected: d.expected,
    actual: d.actual,
    outcome: d.outcome,
    note: d.note,
    firstSeenAt: d.firstSeenAt.toISOString(),
    lastSeenAt: d.lastSeenAt.toISOString(),
  };
}

/** "45 min", "3 h 20 min", "2 d 4 h". */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export type SafetyStockForm = { scope: "shop" | "location" | "item" | "item_location"; locationId?: string; sku?: string; quantity: number | null };
export type SafetyStockFormError =
  | SafetyStockError
  | { code: "LOCATION_REQUIRED" }
  | { code: "SKU_REQUIRED" }
  | { code: "UNKNOWN_SKU"; sku: string }
  | { code: "AMBIGUOUS_SKU"; sku: string; items: number };

/**
 * The page's safety-stock form: resolves the scope (and a SKU to its inventory item through the
 * shop's levels) into a rule edit and applies it with setSafetyStock (validation, audit, push).
 */
export async function editSafetyStock(
  shop: string,
  form: SafetyStockForm,
  actor: string,
  now: Date,
): Promise<Result<{ levelsChanged: number }, SafetyStockFormError>> {
  const atLocation = form.scope === "location" || form.scope === "item_location";
  const forItem = form.scope === "item" || form.scope === "item_location";
  const locationId = form.locationId?.trim() ?? "";
  const sku = form.sku?.trim() ?? "";
  if (atLocation && !locationId) return err({ code: "LOCATION_REQUIRED" });
  if (forItem && !sku) return err({ code: "SKU_REQUIRED" });
  let inventoryItemId = "";
  if (forItem) {
    const found = await inventoryItemsWithSku(shop, sku);
    if (found.length === 0) return err({ code: "UNKNOWN_SKU", sku });
    if (found.length > 1) return err({ code: "AMBIGUOUS_SKU", sku, items: found.length });
    inventoryItemId = found[0]!.inventoryItemId;
  }
  return setSafetyStock(shop, { locationId: atLocation ? locationId : "", inventoryItemId, quantity: form.quantity }, actor, now);
}

/** "Reconcile now": one job per shop per minute, so a double click queues it once. */
export async function requestInventoryReconcile(shop: string, now: Date): Promise<void> {
  await enqueue("inventoryReconcile", { shop, reason: `manual-${now.toISOString().slice(0, 16)}` });
}
