import type { LocationCalendar } from "~/domain/sourcing/calendar";
import type { RuleSet } from "~/domain/sourcing/types";
import { db } from "./client";
import { cachedSetting } from "./config-cache";
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

/** Records a decision; a live one also counts one order for each location it assigns, that day. */
export async function saveDecision(d: {
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
}) {
  const locations =
    d.mode === "live" ? [...new Set(((d.plan as { assignments?: { locationId: string }[] }).assignments ?? []).map((a) => a.locationId))].sort() : [];
  const saved = await db().$transaction(async (tx) => {
    const row = await tx.routingDecision.create({ data: { ...d, plan: JSON.stringify(d.plan) } });
    for (const locationId of locations) {
      await tx.locationDailyLoad.upsert({
        where: { shop_locationId_day: { shop: d.shop, locationId, day: utcDay(d.at) } },
        create: { shop: d.shop, locationId, day: utcDay(d.at), orders: 1 },
        update: { orders: { increment: 1 } },
      });
    }
    return row;
  });
  // After the commit: the delivery promise's copies of today's counts are no longer current.
  if (locations.length) await bumpLoadVersion(d.shop);
  return saved;
}

/** Orders routed to each location on `day`'s UTC date (live decisions): the daily-capacity counter. */
export async function ordersRoutedOn(shop: string, day: Date): Promise<Map<string, number>> {
  const rows = await db().locationDailyLoad.findMany({ where: { shop, day: utcDay(day) }, select: { locationId: true, orders: true } });
  return new Map(rows.map((r) => [r.locationId, r.orders]));
}

/** What sourcing needs of an order: its lines (price), destination, and fulfilment groups. */
export async function orderForSourcing(shop: string, orderId: string) {
  const o = await db().order.findFirst({
    where: { id: orderId, shop },
    select: {
      id: true,
      sourceId: true,
      state: true,
      shippingAddress: true,
      lines: { select: { sourceLineId: true, sku: true, unitPriceMinor: true } },
      groups: { select: { sourceId: true, status: true, deliveryMethod: true, locationId: true, lines: true } },
    },
  });
  if (!o) return null;
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
    prices: new Map(o.lines.map((l) => [l.sourceLineId, Number(l.unitPriceMinor)])),
    groups: o.groups.map((g) => ({
      id: g.sourceId,
      status: g.status,
      deliveryMethod: g.deliveryMethod,
      locationId: g.locationId,
      lines: JSON.parse(g.lines) as {
        foLineId?: string;
        lineItemId: string;
        sku: string | null;
        inventoryItemId?: string | null;
        productTags?: string[];
        remaining: number;
      }[],
    })),
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
