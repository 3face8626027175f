import type { StaleFeedPolicy } from "~/domain/inventory/atp";
import type { SafetyStockRule } from "~/domain/inventory/safety-stock";
import { db } from "./client";
import { cachedSetting } from "./config-cache";
import { bumpShopVersion } from "./promise-versions";

// Inventory settings and reports: safety-stock rules, the stale-feed policy, locations, the
// reconciler's drift rows and the audit trail of who changed them.

/** The shop's safety-stock rules (a copy while the settings version stays put: db/config-cache.ts). */
export function safetyStockRules(shop: string): Promise<(SafetyStockRule & { updatedBy: string; updatedAt: Date })[]> {
  return cachedSetting(shop, "safetyStockRules", () =>
    db().safetyStockRule.findMany({
      where: { shop },
      select: { locationId: true, inventoryItemId: true, quantity: true, updatedBy: true, updatedAt: true },
    }),
  );
}

/**
 * Stores a rule (or removes it when quantity is null) and rewrites the effective safety stock of
 * every level it may affect, with an audit entry — all in one transaction.
 */
export async function saveSafetyStockRule(
  shop: string,
  rule: { locationId: string; inventoryItemId: string; quantity: number | null },
  effective: (inventoryItemId: string, locationId: string, rules: SafetyStockRule[]) => number,
  audit: { at: Date; actor: string; summary: string },
): Promise<number> {
  const changed = await db().$transaction(async (tx) => {
    const where = { shop_locationId_inventoryItemId: { shop, locationId: rule.locationId, inventoryItemId: rule.inventoryItemId } };
    if (rule.quantity === null) await tx.safetyStockRule.deleteMany({ where: { shop, locationId: rule.locationId, inventoryItemId: rule.inventoryItemId } });
    else
      await tx.safetyStockRule.upsert({
        where,
        create: { shop, ...rule, quantity: rule.quantity, updatedBy: audit.actor },
        update: { quantity: rule.quantity, updatedBy: audit.actor },
      });
    const rules = await tx.safetyStockRule.findMany({ where: { shop }, select: { locationId: true, inventoryItemId: true, quantity: true } });
    const levels = await tx.stockLevel.findMany({
      where: { shop, ...(rule.locationId ? { locationId: rule.locationId } : {}), ...(rule.inventoryItemId ? { inventoryItemId: rule.inventoryItemId } : {}) },
      select: { id: true, inventoryItemId: true, locationId: true, safetyStock: true },
    });
    let changed = 0;
    for (const l of levels) {
      const next = effective(l.inventoryItemId, l.locationId, rules);
      if (next === l.safetyStock) continue;
      await tx.stockLevel.update({ where: { id: l.id }, data: { safetyStock: next } });
      changed++;
    }
    await tx.auditEvent.create({
      data: {
        shop,
        at: audit.at,
        actor: audit.actor,
        subject: "safety-stock",
        summary: audit.summary,
        data: JSON.stringify({ ...rule, levelsChanged: changed }),
      },
    });
    return changed;
  });
  await bumpShopVersion(shop);
  return changed;
}

/** The stale-feed policy (a copy while the settings version stays put: db/config-cache.ts). */
export function inventoryPolicy(shop: string): Promise<StaleFeedPolicy & { updatedBy: string; explicit: boolean }> {
  return cachedSetting(shop, "inventoryPolicy", async () => {
    const row = await db().inventoryPolicy.findUnique({ where: { shop } });
    return {
      staleFeed: row?.staleFeed === "fail_open" ? ("fail_open" as const) : ("fail_closed" as const),
      staleAfterMinutes: row?.staleAfterMinutes ?? 60,
      updatedBy: row?.updatedBy ?? "default",
      explicit: Boolean(row),
    };
  });
}

export async function saveInventoryPolicy(shop: string, p: StaleFeedPolicy, audit: { at: Date; actor: string; summary: string }): Promise<void> {
  await db().$transaction([
    db().inventoryPolicy.upsert({ where: { shop }, create: { shop, ...p, updatedBy: audit.actor }, update: { ...p, updatedBy: audit.actor } }),
    db().auditEvent.create({ data: { shop, at: audit.at, actor: audit.actor, subject: "inventory-policy", summary: audit.summary, data: JSON.stringify(p) } }),
  ]);
  await bumpShopVersion(shop);
}

export type LocationRow = {
  id: string;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  countryCode: string | null;
  latitude: number | null;
  longitude: number | null;
};

export async function saveLocations(shop: string, locations: readonly LocationRow[]): Promise<void> {
  await db().$transaction(
    locations.map((l) => db().stockLocation.upsert({ where: { shop_id: { shop, id: l.id } }, create: { shop, ...l }, update: { ...l } })),
  );
  await bumpShopVersion(shop);
}

/** The shop's locations by name (a copy while the settings version stays put: db/config-cache.ts). */
export function stockLocations(shop: string) {
  return cachedSetting(shop, "stockLocations", () => db().stockLocation.findMany({ where: { shop }, orderBy: { name: "asc" } }));
}

/** One of the shop's locations, from `stockLocations`. */
export async function findStockLocation(shop: string, id: string) {
  return (await stockLocations(shop)).find((l) => l.id === id) ?? null;
}

export function auditEvents(shop: string, subjects: string[], take = 20) {
  return db().auditEvent.findMany({ where: { shop, subject: { in: subjects } }, orderBy: { at: "desc" }, take });
}

export type DriftFinding = {
  kind: string;
  key: string;
  inventoryItemId: string;
  locationId: string;
  reference: string | null;
  expected: number;
  actual: number;
  outcome: "healed" | "exception";
  note: string | null;
};

/**
 * Stores one reconcile run's findings: new ones open a row, repeated ones keep their first-seen
 * time (that is the drift's age), and open rows not found again are resolved.
 * (A row resolved earlier and found again keeps its first-seen time: the age is of the discrepancy's key.)
 */
export async function recordDrift(shop: string, findings: readonly DriftFinding[], at: Date): Promise<void> {
  await db().$transaction(async (tx) => {
    const open = await tx.stockDrift.findMany({ where: { shop, resolvedAt: null }, select: { key: true } });
    const seen = new Set(findings.map((f) => f.key));
    for (const f of findings) {
      await tx.stockDrift.upsert({
        where: { shop_key: { shop, key: f.key } },
        // A healed finding is resolved by this run; an exception stays open until it clears.
        create: { shop, ...f, firstSeenAt: at, lastSeenAt: at, resolvedAt: f.outcome === "healed" ? at : null },
        update: { expected: f.expected, actual: f.actual, outcome: f.outcome, note: f.note, lastSeenAt: at, resolvedAt: f.outcome === "healed" ? at : null },
      });
    }
    const gone = open.filter((o) => !seen.has(o.key)).map((o) => o.key);
    if (gone.length) await tx.stockDrift.updateMany({ where: { shop, key: { in: gone } }, data: { resolvedAt: at } });
  });
}

export function openDrift(shop: string, take = 100) {
  return db().stockDrift.findMany({ where: { shop, resolvedAt: null }, orderBy: { firstSeenAt: "asc" }, take });
}

export function recentDrift(shop: string, take = 50) {
  return db().stockDrift.findMany({ where: { shop }, orderBy: { lastSeenAt: "desc" }, take });
}
