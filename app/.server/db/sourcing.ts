import type { LocationCalendar } from "~/domain/sourcing/calendar";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import type { RuleSet } from "~/domain/sourcing/types";
import { Prisma } from "@prisma/client";
import { db, onPostgres, transaction } from "./client";
import { cachedSetting } from "./config-cache";
import { jsonRows } from "./json-rows";
import { appendTimeline, type Provenance } from "./orders";
import { bumpLoadVersion, bumpShopVersion } from "./promise-versions";

// Sourcing data: location profiles, rule-set versions and routing decisions.

export type RuleSetDefinition = Omit<RuleSet, "id" | "version">;

/** The active rule set (this process's copy while the shop's settings version stays put: db/config-cache.ts). */
export function activeRuleSet(shop: string): Promise<RuleSet | null> {
  return cachedSetting(shop, "activeRuleSet", async () => {
    const row = await db().sourcingRuleSet.findFirst({ where: { shop, status: "active" }, orderBy: { version: "desc" } });
    return row ? { id: row.id, version: row.version, ...(JSON.parse(row.definition) as RuleSetDefinition) } : null;
  });
}

/** Stores a new version and makes it the active one (the previous active version is archived). */
export async function activateRuleSet(shop: string, name: string, definition: RuleSetDefinition, by: string, at: Date): Promise<RuleSet> {
  const active = await db().$transaction(async (tx) => {
    const last = await tx.sourcingRuleSet.findFirst({ where: { shop }, orderBy: { version: "desc" }, select: { version: true } });
    await tx.sourcingRuleSet.updateMany({ where: { shop, status: "active" }, data: { status: "archived" } });
    const row = await tx.sourcingRuleSet.create({
      data: { shop, version: (last?.version ?? 0) + 1, status: "active", name, definition: JSON.stringify(definition), createdBy: by, activatedAt: at },
    });
    return { id: row.id, version: row.version, ...definition };
  });
  await bumpShopVersion(shop);
  return active;
}

/** Every location's profile (a copy while the settings version stays put: db/config-cache.ts). */
export function locationProfiles(shop: string) {
  return cachedSetting(shop, "locationProfiles", () => db().locationProfile.findMany({ where: { shop } }));
}

/** A profile's shipping calendar as the engine reads it; none when no ship days are set (it ships any day). */
export function calendarOf(p: { shipDays: string; cutoffMinutes: number; timeZone: string; closedDates: string } | undefined): LocationCalendar | null {
  if (!p?.shipDays) return null;
  return {
    timeZone: p.timeZone,
    shipDays: p.shipDays.split(",").map(Number),
    cutoffMinutes: p.cutoffMinutes,
    closedDates: p.closedDates ? p.closedDates.split(",") : [],
  };
}

export async function saveLocationProfile(
  shop: string,
  p: {
    locationId: string;
    kind?: string;
    priority?: number;
    dailyCapacity?: number | null;
    handlingCostMinor?: number;
    costPerKmMinor?: number;
    tags?: string;
    servesCountries?: string;
  },
) {
  const { locationId, ...fields } = p;
  await db().locationProfile.upsert({ where: { shop_locationId: { shop, locationId } }, create: { shop, locationId, ...fields }, update: fields });
  await bumpShopVersion(shop);
}

/** The latest live decision left the order waiting for stock (and was applied in Shopify). */
export function awaitsStock(d: { outcome: string; applied: string } | null): boolean {
  return !!d && (d.outcome === "backordered" || d.outcome === "held") && d.applied === "applied";
}

export function liveDecision(shop: string, orderId: string) {
  return db().routingDecision.findFirst({ where: { shop, orderId, mode: "live" }, orderBy: { at: "desc" } });
}

export function decisionsFor(shop: string, orderId: string) {
  return db().routingDecision.findMany({ where: { shop, orderId }, orderBy: { at: "desc" }, take: 10 });
}

const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Records a decision; a live one also counts one order for each location it assigns, that day (one
 * INSERT … ON CONFLICT for them all, in location order, written last: those rows are every routing
 * pass's, so they are held the shortest). `timeline`: the order's timeline entries that say so, in
 * the same transaction (the decision and its explanation are written together or not at all).
 */
export type DecisionInput = {
  shop: string;
  orderId: string;
  mode: "live" | "dry_run";
  ruleSetId: string;
  version: number;
  outcome: string;
  applied: string;
  error: string | null;
  shipments: number;
  backordered: number;
  plan: unknown;
  at: Date;
  /** The sourcing lease of the pass writing it: written, the decision frees that lease (db/sourcing-lease.ts). */
  leaseToken?: string | null;
};

/**
 * A decision written in the caller's transaction (withOrderLock's, or saveDecision's): its row, its
 * timeline entries, and (live) the day's count at each location it sends units to. Returns the row
 * and whether those counts changed: then, after the commit, the caller calls `bumpLoadVersion`
 * (saveDecision does).
 */
export async function writeDecisionLocked(d: DecisionInput, timeline?: { entries: TimelineEntry[]; p: Provenance }) {
  const tx = db();
  const locations =
    d.mode === "live" ? [...new Set(((d.plan as { assignments?: { locationId: string }[] }).assignments ?? []).map((a) => a.locationId))].sort() : [];
  const row = await tx.routingDecision.create({ data: { ...d, plan: JSON.stringify(d.plan) } });
  if (timeline) await appendTimeline(tx, d.orderId, d.shop, timeline.entries, timeline.p);
  if (locations.length) {
    const day = utcDay(d.at);
    await tx.$executeRaw`
      INSERT INTO "LocationDailyLoad" ("shop", "locationId", "day", "orders")
      VALUES ${Prisma.join(locations.map((locationId) => Prisma.sql`(${d.shop}, ${locationId}, ${day}, 1)`))}
      ON CONFLICT ("shop", "locationId", "day") DO UPDATE SET "orders" = "LocationDailyLoad"."orders" + 1`;
  }
  return { row, loadChanged: locations.length > 0 };
}

/** A decision and its timeline entries in a transaction of their own (writeDecisionLocked). */
export async function saveDecision(d: DecisionInput, timeline?: { entries: TimelineEntry[]; p: Provenance }) {
  const saved = await transaction(() => writeDecisionLocked(d, timeline));
  // After the commit: the delivery promise's copies of today's counts are no longer current.
  if (saved.loadChanged) await bumpLoadVersion(d.shop);
  return saved.row;
}

/** Orders routed to each location on `day`'s UTC date (live decisions): the daily-capacity counter. */
export async function ordersRoutedOn(shop: string, day: Date): Promise<Map<string, number>> {
  const rows = await db().locationDailyLoad.findMany({ where: { shop, day: utcDay(day) }, select: { locationId: true, orders: true } });
  return new Map(rows.map((r) => [r.locationId, r.orders]));
}

type GroupLine = {
  foLineId?: string;
  lineItemId: string;
  sku: string | null;
  inventoryItemId?: string | null;
  productTags?: string[];
  remaining: number;
};

/** The promise an order was placed with, as checking it after routing reads it (written once: db/promise.ts). */
export type PromiseToCheck = { promiseId: string; methodCode: string | null; earliest: string; latest: string };

type SourcingRow = {
  id: string;
  sourceId: string;
  state: string;
  shippingAddress: string | null;
  prices: string;
  groups: string;
  levels: string;
  held: string;
  load: string;
  promise: string;
};

/**
 * The columns of an order's sourcing read, over the order row (`o` unless named): its head, its lines' prices,
 * its groups, the levels of their items, what it holds, today's counts per location and its promise.
 * A SELECT's list (orderForSourcing) or an UPDATE … RETURNING's (the routing pass's lease claim,
 * db/sourcing-lease.ts: the claim and the read are one statement).
 */
export function sourcingColumns(shop: string, orderId: string, day: Date, order: Prisma.Sql = Prisma.sql`o`): Prisma.Sql {
  // `order`: how the statement names the order row (SQLite's RETURNING takes only the table's own name).
  return Prisma.sql`${order}."id", ${order}."sourceId", ${order}."state", ${order}."shippingAddress",
      ${jsonRows({ sourceLineId: 'l."sourceLineId"', unitPriceMinor: 'CAST(l."unitPriceMinor" AS TEXT)' }, Prisma.sql`FROM "OrderLine" l WHERE l."orderId" = ${orderId}`)} AS "prices",
      ${jsonRows(
        { sourceId: 'g."sourceId"', status: 'g."status"', deliveryMethod: 'g."deliveryMethod"', locationId: 'g."locationId"', lines: 'g."lines"' },
        Prisma.sql`FROM "FulfillmentGroup" g WHERE g."orderId" = ${orderId}`,
      )} AS "groups",
      ${jsonRows(
        {
          inventoryItemId: 's."inventoryItemId"',
          locationId: 's."locationId"',
          onHand: 's."onHand"',
          reserved: 's."reserved"',
          safetyStock: 's."safetyStock"',
          committed: 's."committed"',
          unavailable: 's."unavailable"',
          // PostgreSQL's JSON gives a timestamp without its zone: epoch milliseconds instead (UTC, as stored).
          observedAt: onPostgres() ? 'CAST(EXTRACT(EPOCH FROM s."observedAt") * 1000 AS BIGINT)' : 's."observedAt"',
        },
        Prisma.sql`FROM "StockLevel" s WHERE s."shop" = ${shop} AND s."inventoryItemId" IN (${
          onPostgres()
            ? Prisma.sql`SELECT j."value"->>'inventoryItemId' FROM "FulfillmentGroup" g, json_array_elements(CAST(g."lines" AS json)) j WHERE g."orderId" = ${orderId}`
            : Prisma.sql`SELECT json_extract(j."value", '$.inventoryItemId') FROM "FulfillmentGroup" g, json_each(g."lines") j WHERE g."orderId" = ${orderId}`
        })`,
        's."inventoryItemId", s."locationId"',
      )} AS "levels",
      ${jsonRows(
        { inventoryItemId: 'h."inventoryItemId"', locationId: 'h."locationId"', reserved: 'h."reserved"' },
        Prisma.sql`FROM (SELECT "inventoryItemId", "locationId", SUM("reservedDelta") AS "reserved" FROM "StockMovement"
          WHERE "shop" = ${shop} AND "reference" = ${orderId} GROUP BY "inventoryItemId", "locationId") h`,
      )} AS "held",
      ${jsonRows({ locationId: 'd."locationId"', orders: 'd."orders"' }, Prisma.sql`FROM "LocationDailyLoad" d WHERE d."shop" = ${shop} AND d."day" = ${utcDay(day)}`)} AS "load",
      ${jsonRows(
        { promiseId: 'p."promiseId"', methodCode: 'p."methodCode"', earliest: 'p."earliest"', latest: 'p."latest"' },
        Prisma.sql`FROM "OrderPromise" p WHERE p."shop" = ${shop} AND p."orderId" = ${orderId}`,
      )} AS "promise"`;
}

/**
 * What sourcing needs of an order, read in one statement (one instant): its lines' prices, its
 * destination and fulfilment groups; the stock levels of the items its groups name (as
 * `stockLevels`, in its order: the caller keeps those of the items it sources); what it holds by
 * its reservations (the ledger's sum per item and location: read with the levels, whose `reserved`
 * includes it); the orders routed to each location on `day`'s UTC date (daily capacity, as
 * `ordersRoutedOn`); and the promise it was placed with, if any (checked after routing).
 */
export async function orderForSourcing(shop: string, orderId: string, day: Date) {
  const rows = await db().$queryRaw<
    SourcingRow[]
  >`SELECT ${sourcingColumns(shop, orderId, day)} FROM "Order" o WHERE o."id" = ${orderId} AND o."shop" = ${shop}`;
  return rows[0] ? parseSourcingRow(rows[0]) : null;
}

export type OrderForSourcing = ReturnType<typeof parseSourcingRow>;

/** A row of `sourcingColumns`, parsed. */
export function parseSourcingRow(row: unknown) {
  const o = row as SourcingRow;
  const prices = JSON.parse(o.prices) as { sourceLineId: string; unitPriceMinor: string }[];
  const groups = JSON.parse(o.groups) as { sourceId: string; status: string; deliveryMethod: string | null; locationId: string | null; lines: string }[];
  const levels = JSON.parse(o.levels) as (Record<"onHand" | "reserved" | "safetyStock" | "committed" | "unavailable", number | string> & {
    inventoryItemId: string;
    locationId: string;
    observedAt: string | number | null;
  })[];
  const held = JSON.parse(o.held) as { inventoryItemId: string; locationId: string; reserved: number | string }[];
  const load = JSON.parse(o.load) as { locationId: string; orders: number | string }[];
  const promise = (JSON.parse(o.promise) as PromiseToCheck[])[0] ?? null;
  return {
    id: o.id,
    sourceId: o.sourceId,
    state: o.state,
    address: o.shippingAddress
      ? (JSON.parse(o.shippingAddress) as {
          countryCode: string | null;
          provinceCode: string | null;
          zip: string | null;
          latitude: number | null;
          longitude: number | null;
        })
      : null,
    prices: new Map(prices.map((l) => [l.sourceLineId, Number(l.unitPriceMinor)])),
    groups: groups.map((g) => ({
      id: g.sourceId,
      status: g.status,
      deliveryMethod: g.deliveryMethod,
      locationId: g.locationId,
      lines: JSON.parse(g.lines) as GroupLine[],
    })),
    levels: levels.map((l) => ({
      inventoryItemId: l.inventoryItemId,
      locationId: l.locationId,
      onHand: Number(l.onHand),
      reserved: Number(l.reserved),
      safetyStock: Number(l.safetyStock),
      committed: Number(l.committed),
      unavailable: Number(l.unavailable),
      observedAt: l.observedAt === null ? null : new Date(l.observedAt),
    })),
    /** Units this order holds by its reservations, per item and location (what `heldByOrder` sums as `reserved`). */
    held: held.map((h) => ({ inventoryItemId: h.inventoryItemId, locationId: h.locationId, reserved: Number(h.reserved) })),
    ordersToday: new Map(load.map((r) => [r.locationId, Number(r.orders)])),
    promise,
  };
}

/** Orders the OMS is holding for stock: an ON_HOLD group and a latest live decision that backordered or held. */
export async function ordersAwaitingStock(shop: string): Promise<string[]> {
  const held = await db().fulfillmentGroup.findMany({ where: { order: { shop }, status: "ON_HOLD" }, select: { orderId: true }, distinct: ["orderId"] });
  const out: string[] = [];
  for (const { orderId } of held) {
    if (awaitsStock(await liveDecision(shop, orderId))) out.push(orderId);
  }
  return out;
}
