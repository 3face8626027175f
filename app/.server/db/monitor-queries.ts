import type { AlertSettings, MonitorThresholds, PreAllocationOrder, ShippedOrder, SourcedOrder } from "~/domain/ops/monitors";
import { DEFAULT_ALERTS, DEFAULT_THRESHOLDS, PRE_ALLOCATION_STATES } from "~/domain/ops/monitors";
import { db } from "./client";

// What the five monitors read. Every read starts from an index ((shop, state, placedAt) on Order,
// (orderId, at) on OrderEvent, (orderId, sourceId) on FulfillmentGroup) and is bounded: the
// monitors never scan a shop's whole order history.

/** A candidate list longer than this is cut (oldest first); the rest is seen on the next evaluation. */
const CAP = 2_000;

export type MonitorSettingsRow = MonitorThresholds & AlertSettings & { updatedBy: string; updatedAt: Date | null };

export async function readThresholds(shop: string): Promise<MonitorSettingsRow> {
  const row = await db().monitorSettings.findUnique({ where: { shop } });
  if (!row) return { ...DEFAULT_THRESHOLDS, ...DEFAULT_ALERTS, updatedBy: "default", updatedAt: null };
  const { shop: _s, locationSlaMinutes, ...rest } = row;
  return { ...rest, locationSlaMinutes: JSON.parse(locationSlaMinutes) as Record<string, number> };
}

/** Saves the thresholds and the audit entry in one transaction. */
export async function saveThresholds(shop: string, t: MonitorThresholds & AlertSettings, actor: string, at: Date, summary: string): Promise<void> {
  const data = {
    stuckBeforeAllocationMinutes: t.stuckBeforeAllocationMinutes,
    allocationSlaMinutes: t.allocationSlaMinutes,
    locationSlaMinutes: JSON.stringify(t.locationSlaMinutes),
    statusSyncMinutes: t.statusSyncMinutes,
    paymentWindowHours: t.paymentWindowHours,
    paymentGraceMinutes: t.paymentGraceMinutes,
    refundWindowHours: t.refundWindowHours,
    refundGraceMinutes: t.refundGraceMinutes,
    alertEmail: t.alertEmail,
    alertWebhookUrl: t.alertWebhookUrl,
    digestMinutes: t.digestMinutes,
    updatedBy: actor,
  };
  await db().$transaction([
    db().monitorSettings.upsert({ where: { shop }, create: { shop, ...data }, update: data }),
    db().auditEvent.create({ data: { shop, at, actor, subject: "monitor-thresholds", summary, data: JSON.stringify({ ...data, updatedBy: undefined }) } }),
  ]);
}

/**
 * One query per state, each a range on (shop, state, placedAt) in index order. (With `state IN (…)`
 * and ORDER BY placedAt, SQLite prefers the (shop, placedAt) index and walks the shop's history.)
 */
async function perState<T extends { placedAt: Date }>(states: readonly string[], query: (state: string) => Promise<T[]>): Promise<T[]> {
  const rows = (await Promise.all(states.map(query))).flat();
  return rows.sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime()).slice(0, CAP);
}

export async function preAllocationOrders(shop: string, placedBefore: Date): Promise<PreAllocationOrder[]> {
  return perState(PRE_ALLOCATION_STATES, (state) =>
    db().order.findMany({
      where: { shop, state, placedAt: { lte: placedBefore } },
      select: { id: true, name: true, state: true, placedAt: true },
      orderBy: { placedAt: "asc" },
      take: CAP,
    }),
  );
}

const CLOSED_GROUPS = ["CLOSED", "CANCELLED", "INCOMPLETE"];

/** Orders sourced (or allocated, or being picked) before `placedBefore`, with their open groups and when they were sourced. */
export async function sourcedOrders(shop: string, placedBefore: Date): Promise<SourcedOrder[]> {
  const orders = await perState(["allocated", "sourced", "picking"], (state) =>
    db().order.findMany({
      where: { shop, state, placedAt: { lte: placedBefore } },
      select: {
        id: true,
        name: true,
        placedAt: true,
        groups: { where: { status: { notIn: CLOSED_GROUPS } }, select: { locationId: true, locationName: true } },
        events: { where: { kind: "transition", toState: "sourced" }, select: { at: true }, orderBy: { at: "asc" }, take: 1 },
      },
      orderBy: { placedAt: "asc" },
      take: CAP,
    }),
  );
  return orders.map((o) => ({ id: o.id, name: o.name, sourcedAt: o.events[0]?.at ?? o.placedAt, openGroups: o.groups }));
}

/** Orders that confirm their shipments to a marketplace; the marketplace connector records the confirmation as an event with this key prefix. */
export const MARKETPLACE_CHANNELS = ["amazon"];
export const CHANNEL_CONFIRMED_PREFIX = "channel-confirmed:";

/** Shipped (not delivered) orders placed within the lookback, with when they shipped and their newest carrier update. */
export async function shippedOrders(shop: string, placedAfter: Date, placedBefore: Date): Promise<ShippedOrder[]> {
  const orders = await db().order.findMany({
    where: { shop, state: "shipped", placedAt: { gte: placedAfter, lte: placedBefore } },
    select: {
      id: true,
      name: true,
      channel: true,
      placedAt: true,
      events: {
        where: {
          OR: [{ kind: "transition", toState: "shipped" }, { kind: "fulfillment", owner: "carrier" }, { dedupeKey: { startsWith: CHANNEL_CONFIRMED_PREFIX } }],
        },
        select: { at: true, kind: true, owner: true, dedupeKey: true },
        orderBy: { at: "asc" },
      },
    },
    orderBy: { placedAt: "asc" },
    take: CAP,
  });
  return orders.map((o) => {
    const shipped = o.events.find((e) => e.kind === "transition");
    const carrier = o.events.filter((e) => e.kind === "fulfillment" && e.owner === "carrier").at(-1);
    const confirmed = o.events.find((e) => e.dedupeKey.startsWith(CHANNEL_CONFIRMED_PREFIX));
    return {
      id: o.id,
      name: o.name,
      shippedAt: shipped?.at ?? o.placedAt,
      lastCarrierUpdateAt: carrier?.at ?? null,
      channelConfirmation: MARKETPLACE_CHANNELS.includes(o.channel) ? { channel: o.channel, confirmedAt: confirmed?.at ?? null } : null,
    };
  });
}

/** Which of these Shopify order GIDs the OMS holds. */
export async function knownOrderSourceIds(shop: string, sourceIds: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let i = 0; i < sourceIds.length; i += 500) {
    const rows = await db().order.findMany({ where: { shop, sourceId: { in: sourceIds.slice(i, i + 500) } }, select: { sourceId: true } });
    for (const r of rows) known.add(r.sourceId);
  }
  return known;
}

/**
 * Marketplace orders placed in the window that are not in Shopify: imported under their marketplace
 * id (not a Shopify Order GID) and not linked to a Shopify order since (the connector records the
 * link as a timeline event keyed `shopify-order:`).
 */
export async function marketplaceOrdersNotInShopify(shop: string, from: Date, to: Date) {
  const rows = await db().order.findMany({
    where: {
      shop,
      channel: { in: MARKETPLACE_CHANNELS },
      placedAt: { gte: from, lte: to },
      state: { not: "cancelled" },
      NOT: { sourceId: { startsWith: "gid://shopify/Order/" } },
      events: { none: { dedupeKey: { startsWith: "shopify-order:" } } },
    },
    select: { id: true, name: true, channel: true, placedAt: true },
    take: CAP,
  });
  return rows;
}

/**
 * Which of these Shopify refunds the OMS has recorded (the refunds/create webhook's timeline entry on
 * the order, keyed `refund:<numeric id>`): looked up through the orders' unique (shop, sourceId).
 */
export async function recordedRefunds(shop: string, refunds: readonly { id: string; orderId: string }[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < refunds.length; i += 500) {
    const chunk = refunds.slice(i, i + 500);
    const orders = await db().order.findMany({ where: { shop, sourceId: { in: [...new Set(chunk.map((r) => r.orderId))] } }, select: { id: true } });
    const keys = new Map(chunk.map((r) => [`refund:${r.id.split("/").pop()}`, r.id]));
    const rows = await db().orderEvent.findMany({
      where: { orderId: { in: orders.map((o) => o.id) }, dedupeKey: { in: [...keys.keys()] } },
      select: { dedupeKey: true },
    });
    for (const r of rows) found.add(keys.get(r.dedupeKey)!);
  }
  return found;
}

/** The subjects of a kind's open (or snoozed) queue items: what a monitor may clear. */
export async function openSubjects(shop: string, kind: string): Promise<string[]> {
  const rows = await db().opsException.findMany({ where: { shop, kind, status: { in: ["open", "snoozed"] } }, select: { subjectKey: true } });
  return rows.map((r) => r.subjectKey);
}

/** Shops the monitors watch: installed, not uninstalled. */
export async function monitoredShops(): Promise<string[]> {
  const rows = await db().shop.findMany({ where: { uninstalledAt: null }, select: { domain: true } });
  return rows.map((r) => r.domain);
}
