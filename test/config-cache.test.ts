// The per-shop settings the workers read on every job (locations, profiles, the active rule set, the
// stale-feed policy, safety-stock rules, the order policy) are kept in the process under the shop's
// settings version in Redis (db/config-cache.ts): while no writer moves the version a read asks no
// database, and a change made through the normal write path in ANOTHER process is what the next read
// here returns. The other process is a second instance of the repositories (vi.resetModules): its
// own copies, its own Redis client, the same database and Redis.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, transaction } from "~/.server/db/client";
import { orderPolicy } from "~/.server/db/order-policy";
import { closePromiseRedis, promiseRedis } from "~/.server/db/promise-versions";
import { activeRuleSet, activateRuleSet, locationProfiles } from "~/.server/db/sourcing";
import { findStockLocation, inventoryPolicy, safetyStockRules, saveLocations, stockLocations, type LocationRow } from "~/.server/db/stock-settings";
import { env } from "~/.server/env";
import { DEFAULT_ORDER_POLICY } from "~/domain/order/policy";
import { effectiveSafetyStock } from "~/domain/inventory/safety-stock";

type Repos = {
  sourcing: typeof import("~/.server/db/sourcing");
  sourcingAdmin: typeof import("~/.server/db/sourcing-admin");
  settings: typeof import("~/.server/db/stock-settings");
  orderPolicy: typeof import("~/.server/db/order-policy");
  changes: typeof import("~/.server/db/changes");
  versions: typeof import("~/.server/db/promise-versions");
};

/** The other process: fresh instances of the repositories and of the cache behind them. */
let other: Repos;

beforeAll(async () => {
  vi.resetModules();
  other = {
    sourcing: await import("~/.server/db/sourcing"),
    sourcingAdmin: await import("~/.server/db/sourcing-admin"),
    settings: await import("~/.server/db/stock-settings"),
    orderPolicy: await import("~/.server/db/order-policy"),
    changes: await import("~/.server/db/changes"),
    versions: await import("~/.server/db/promise-versions"),
  };
});

afterAll(async () => {
  await other.versions.closePromiseRedis();
  await closePromiseRedis();
});

const DALLAS = "gid://shopify/Location/501";
const RENO = "gid://shopify/Location/502";
const location = (id: string, name: string): LocationRow => ({
  id,
  name,
  isActive: true,
  fulfillsOnlineOrders: true,
  countryCode: "US",
  latitude: null,
  longitude: null,
});
const rules = (maxShipments: number) => ({
  rules: [{ type: "priority" as const }],
  split: { allow: true, maxShipments, minValuePerShipmentMinor: 0 },
  backorder: { mode: "ship_available" as const },
});
const audit = () => ({ at: new Date(), actor: "test", summary: "test" });

let n = 0;
/** A shop with two locations and an active rule set, its settings read once here (kept). */
async function shop(): Promise<string> {
  const s = `config-cache-${Date.now()}-${++n}.myshopify.com`;
  await saveLocations(s, [location(DALLAS, "Dallas TX"), location(RENO, "Reno NV")]);
  await activateRuleSet(s, "first", rules(1), "test", new Date());
  await Promise.all([stockLocations(s), locationProfiles(s), activeRuleSet(s), inventoryPolicy(s), safetyStockRules(s), orderPolicy(s)]);
  return s;
}

describe("per-shop settings kept in the process under the shop's settings version", () => {
  it("while the version stays put, a read uses this process's copy (a write behind the writers' backs is not seen); once another process moves the version, it is", async () => {
    const s = await shop();
    await db().stockLocation.updateMany({ where: { shop: s, id: DALLAS }, data: { name: "Dallas (renamed behind the writers' backs)" } });
    expect((await stockLocations(s)).map((l) => l.name)).toEqual(["Dallas TX", "Reno NV"]);
    await other.versions.bumpShopVersion(s);
    expect((await stockLocations(s)).map((l) => l.name)).toEqual(["Dallas (renamed behind the writers' backs)", "Reno NV"]);
  });

  it("a version lost in Redis (a restart, an eviction) is created again from the clock: no copy kept under the old one is used", async () => {
    const s = await shop();
    await db().inventoryPolicy.create({ data: { shop: s, staleFeed: "fail_open", staleAfterMinutes: 5, updatedBy: "behind" } });
    expect((await inventoryPolicy(s)).staleFeed).toBe("fail_closed");
    await promiseRedis().del(`${env().QUEUE_PREFIX}:promise:cfgv:${s}`);
    expect(await inventoryPolicy(s)).toMatchObject({ staleFeed: "fail_open", staleAfterMinutes: 5, explicit: true });
  });

  it("every caller gets its own copy: sorting or editing what one read returned changes no later read", async () => {
    const s = await shop();
    const first = await stockLocations(s);
    first.reverse();
    first[0]!.name = "edited by a caller";
    expect((await stockLocations(s)).map((l) => l.name)).toEqual(["Dallas TX", "Reno NV"]);
  });

  it("inside a transaction (a per-order lock) the database is read, in the transaction, and nothing is kept", async () => {
    const s = await shop();
    await db().stockLocation.updateMany({ where: { shop: s, id: RENO }, data: { isActive: false } });
    expect(await transaction(async () => (await findStockLocation(s, RENO))?.isActive)).toBe(false);
    // Outside, the copy read for the current version still stands (the write above moved no version).
    expect((await findStockLocation(s, RENO))?.isActive).toBe(true);
  });

  it("concurrent reads of one job agree, and a read after them still uses the copy", async () => {
    const s = await shop();
    const [a, b, c] = await Promise.all([stockLocations(s), stockLocations(s), findStockLocation(s, RENO)]);
    expect(a).toEqual(b);
    expect(c?.name).toBe("Reno NV");
    expect(await findStockLocation(s, "gid://shopify/Location/none")).toBeNull();
  });
});

describe("a settings change made through the write path in another process is the next read here", () => {
  it("the active rule set: activated directly, or a draft activated", async () => {
    const s = await shop();
    expect((await activeRuleSet(s))?.split.maxShipments).toBe(1);
    await other.sourcing.activateRuleSet(s, "second", rules(2), "test", new Date());
    expect((await activeRuleSet(s))?.split.maxShipments).toBe(2);
    const draft = await other.sourcingAdmin.saveDraftRuleSet(s, "third", rules(3), "test");
    // A draft is not the active rule set.
    expect((await activeRuleSet(s))?.split.maxShipments).toBe(2);
    expect(await other.sourcingAdmin.activateDraftRuleSet(s, draft, audit())).toBe(true);
    expect(await activeRuleSet(s)).toMatchObject({ version: draft, split: { maxShipments: 3 } });
  });

  it("location profiles: saved, saved from the settings page, and a location taken offline", async () => {
    const s = await shop();
    expect(await locationProfiles(s)).toEqual([]);
    await other.sourcing.saveLocationProfile(s, { locationId: DALLAS, priority: 3 });
    expect((await locationProfiles(s)).map((p) => [p.locationId, p.priority])).toEqual([[DALLAS, 3]]);
    const fields = {
      kind: "warehouse",
      priority: 7,
      dailyCapacity: 40,
      handlingCostMinor: 0,
      costPerKmMinor: 0,
      tags: "",
      servesCountries: "",
      shipDays: "",
      cutoffMinutes: 0,
      timeZone: "UTC",
      closedDates: "",
    };
    await other.sourcingAdmin.saveLocationProfileAudited(s, DALLAS, fields, audit());
    expect((await locationProfiles(s)).find((p) => p.locationId === DALLAS)).toMatchObject({ priority: 7, dailyCapacity: 40 });
    expect(await other.changes.setLocationOffline(s, RENO, true, "flooded", "test", new Date())).toBe(true);
    expect((await locationProfiles(s)).find((p) => p.locationId === RENO)).toMatchObject({ offline: true, offlineReason: "flooded" });
  });

  it("the locations (an inventory sync's save)", async () => {
    const s = await shop();
    expect((await findStockLocation(s, RENO))?.isActive).toBe(true);
    await other.settings.saveLocations(s, [{ ...location(RENO, "Reno NV"), isActive: false }, location("gid://shopify/Location/503", "Austin TX")]);
    expect((await stockLocations(s)).map((l) => `${l.name}:${l.isActive}`)).toEqual(["Austin TX:true", "Dallas TX:true", "Reno NV:false"]);
    expect((await findStockLocation(s, RENO))?.isActive).toBe(false);
  });

  it("the stale-feed policy and the safety-stock rules", async () => {
    const s = await shop();
    expect(await inventoryPolicy(s)).toMatchObject({ staleFeed: "fail_closed", explicit: false });
    await other.settings.saveInventoryPolicy(s, { staleFeed: "fail_open", staleAfterMinutes: 15 }, audit());
    expect(await inventoryPolicy(s)).toMatchObject({ staleFeed: "fail_open", staleAfterMinutes: 15, explicit: true });

    expect(await safetyStockRules(s)).toEqual([]);
    const rule = { locationId: DALLAS, inventoryItemId: "gid://shopify/InventoryItem/77", quantity: 4 };
    await other.settings.saveSafetyStockRule(s, rule, (item, loc, r) => effectiveSafetyStock(r, item, loc), audit());
    expect((await safetyStockRules(s)).map((r) => r.quantity)).toEqual([4]);
    await other.settings.saveSafetyStockRule(s, { ...rule, quantity: null }, (item, loc, r) => effectiveSafetyStock(r, item, loc), audit());
    expect(await safetyStockRules(s)).toEqual([]);
  });

  it("the order policy (created, then changed on its version)", async () => {
    const s = await shop();
    expect(await orderPolicy(s)).toEqual({ ...DEFAULT_ORDER_POLICY, version: 0 });
    const onShipment = { ...DEFAULT_ORDER_POLICY, captureMode: "on_shipment" as const };
    expect(await other.orderPolicy.saveOrderPolicy(s, 0, DEFAULT_ORDER_POLICY, onShipment, "test", "settings.edit", new Date())).toBe(true);
    expect(await orderPolicy(s)).toMatchObject({ captureMode: "on_shipment", version: 1 });
    const held = { ...onShipment, holdHighRisk: false };
    expect(await other.orderPolicy.saveOrderPolicy(s, 1, onShipment, held, "test", "settings.edit", new Date())).toBe(true);
    expect(await orderPolicy(s)).toMatchObject({ holdHighRisk: false, version: 2 });
    // A save on a version someone else moved first changes nothing (and the read still says version 2).
    expect(await other.orderPolicy.saveOrderPolicy(s, 1, onShipment, DEFAULT_ORDER_POLICY, "test", "settings.edit", new Date())).toBe(false);
    expect(await orderPolicy(s)).toMatchObject({ holdHighRisk: false, version: 2 });
  });

  it("a write in this process is seen by its next read here too (its copies are forgotten at the write)", async () => {
    const s = await shop();
    await activateRuleSet(s, "here", rules(3), "test", new Date());
    expect((await activeRuleSet(s))?.split.maxShipments).toBe(3);
  });
});
