import { createHash } from "node:crypto";
import type { Prisma } from "@prisma/client";
import type { ExceptionRaise } from "~/domain/exceptions/kinds";
import { db } from "./client";
import { upsertException } from "./exceptions";
import { isUniqueViolation } from "./orders";
import { bumpShopVersion } from "./promise-versions";

// The delivery promise's data: transit times, incoming stock, the stock a cart's promise rests on,
// and the promise each order was placed with (with what happened to it).

export function transitTimes(shop: string) {
  return db().transitTime.findMany({ where: { shop }, orderBy: [{ originLocationId: "asc" }, { zone: "asc" }, { methodCode: "asc" }] });
}

export type TransitRow = { originLocationId: string; zone: string; methodCode: string; minDays: number; maxDays: number };

/** Sets (or with remove, deletes) one transit time and records who did it, in one transaction. */
export async function saveTransitTime(shop: string, row: TransitRow, remove: boolean, audit: { at: Date; actor: string; summary: string }) {
  const id = { shop_originLocationId_zone_methodCode: { shop, originLocationId: row.originLocationId, zone: row.zone, methodCode: row.methodCode } };
  await db().$transaction(async (tx) => {
    if (remove) await tx.transitTime.deleteMany({ where: { shop, originLocationId: row.originLocationId, zone: row.zone, methodCode: row.methodCode } });
    else
      await tx.transitTime.upsert({
        where: id,
        create: { shop, ...row, updatedBy: audit.actor },
        update: { minDays: row.minDays, maxDays: row.maxDays, updatedBy: audit.actor },
      });
    await tx.auditEvent.create({
      data: { shop, at: audit.at, actor: audit.actor, subject: "transit-times", summary: audit.summary, data: JSON.stringify({ ...row, removed: remove }) },
    });
  });
  await bumpShopVersion(shop);
}

export type IncomingRow = { reference: string; inventoryItemId: string; locationId: string; quantity: number; expectedDate: string };

/** Sets (or with remove, deletes) one incoming-stock entry and records who did it, in one transaction; then the shop's promises are no longer current. */
export async function saveIncomingStock(
  shop: string,
  row: IncomingRow,
  remove: boolean,
  audit: { at: Date; actor: string; summary: string },
): Promise<boolean> {
  const where = { shop, reference: row.reference, inventoryItemId: row.inventoryItemId, locationId: row.locationId };
  const changed = await db().$transaction(async (tx) => {
    if (remove) {
      if ((await tx.incomingStock.deleteMany({ where })).count === 0) return false;
    } else {
      await tx.incomingStock.upsert({
        where: { shop_reference_inventoryItemId_locationId: where },
        create: { ...where, quantity: row.quantity, expectedDate: row.expectedDate, updatedBy: audit.actor },
        update: { quantity: row.quantity, expectedDate: row.expectedDate, updatedBy: audit.actor },
      });
    }
    await tx.auditEvent.create({
      data: { shop, at: audit.at, actor: audit.actor, subject: "incoming-stock", summary: audit.summary, data: JSON.stringify({ ...row, removed: remove }) },
    });
    return true;
  });
  if (changed) await bumpShopVersion(shop);
  return changed;
}

export function incomingStockRows(shop: string) {
  return db().incomingStock.findMany({
    where: { shop },
    orderBy: [{ expectedDate: "asc" }, { reference: "asc" }, { inventoryItemId: "asc" }, { locationId: "asc" }],
  });
}

/** The items the shop stocks whose SKU, variant or inventory item is `q` (one per inventory item). */
export async function stockItemsMatching(shop: string, q: string) {
  const rows = await db().stockLevel.findMany({
    where: { shop, OR: [{ sku: q }, { variantId: q }, { inventoryItemId: q }] },
    select: { inventoryItemId: true, sku: true, variantId: true, title: true },
    orderBy: { inventoryItemId: "asc" },
  });
  return [...new Map(rows.map((r) => [r.inventoryItemId, r])).values()];
}

/** SKU and title of these items, for display. */
export async function describeItems(shop: string, inventoryItemIds: string[]) {
  const rows = await db().stockLevel.findMany({
    where: { shop, inventoryItemId: { in: inventoryItemIds } },
    select: { inventoryItemId: true, sku: true, title: true },
  });
  return new Map(rows.map((r) => [r.inventoryItemId, r]));
}

/** Every incoming entry of the shop (the promise keeps them per settings version and picks the cart's items). */
export function allIncomingStock(shop: string) {
  return db().incomingStock.findMany({ where: { shop }, select: { inventoryItemId: true, locationId: true, quantity: true, expectedDate: true } });
}

export function incomingStock(shop: string, inventoryItemIds: string[]) {
  return db().incomingStock.findMany({
    where: { shop, inventoryItemId: { in: inventoryItemIds } },
    select: { inventoryItemId: true, locationId: true, quantity: true, expectedDate: true },
  });
}

/** The levels of the cart's variants; and a fingerprint of them, which changes whenever their stock does. */
export async function levelsForVariants(shop: string, variantIds: string[]) {
  const rows = await db().stockLevel.findMany({ where: { shop, variantId: { in: variantIds } }, orderBy: [{ inventoryItemId: "asc" }, { locationId: "asc" }] });
  const h = createHash("sha1");
  for (const r of rows)
    h.update(
      `${r.inventoryItemId}|${r.locationId}|${r.onHand}|${r.reserved}|${r.committed}|${r.unavailable}|${r.safetyStock}|${r.observedAt?.getTime() ?? 0};`,
    );
  return { rows, stockVersion: h.digest("hex").slice(0, 16) };
}

export type OrderPromiseRow = {
  orderId: string;
  promiseId: string;
  source: "verified" | "attribute";
  methodCode: string | null;
  carrier: string | null;
  destinationZone: string;
  earliest: string;
  latest: string;
  promisedAt: Date;
  reason: string;
  parcels: unknown;
};

/** The promise an order was placed with: written once (a replayed intake changes nothing). */
export async function saveOrderPromise(shop: string, p: OrderPromiseRow): Promise<boolean> {
  try {
    await db().orderPromise.create({ data: { shop, ...p, parcels: JSON.stringify(p.parcels) } });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

export function orderPromise(shop: string, orderId: string) {
  return db().orderPromise.findFirst({ where: { shop, orderId } });
}

/** First shipment and delivery: each recorded once, the earliest event winning (guarded writes). */
export async function markPromiseShipped(shop: string, orderId: string, at: Date, carrier: string | null) {
  await db().orderPromise.updateMany({
    where: { shop, orderId, OR: [{ firstShippedAt: null }, { firstShippedAt: { gt: at } }] },
    data: { firstShippedAt: at, shipCarrier: carrier },
  });
}
/** The order has arrived when its last parcel has: the latest delivery event wins. */
export async function markPromiseDelivered(shop: string, orderId: string, at: Date) {
  await db().orderPromise.updateMany({ where: { shop, orderId, OR: [{ deliveredAt: null }, { deliveredAt: { lt: at } }] }, data: { deliveredAt: at } });
}
/**
 * Marks the order's promise at risk, once, and raises `item` with the mark in one transaction: a
 * retry finds the promise already marked and would not raise it again.
 */
export async function markPromiseAtRisk(shop: string, orderId: string, at: Date, item?: ExceptionRaise) {
  return db().$transaction(async (tx) => {
    if ((await tx.orderPromise.updateMany({ where: { shop, orderId, atRiskAt: null }, data: { atRiskAt: at } })).count !== 1) return false;
    if (item) await upsertException(item, at, tx);
    return true;
  });
}

export function promisesBetween(shop: string, from: Date, to: Date) {
  return db().orderPromise.findMany({
    where: { shop, promisedAt: { gte: from, lt: to } },
    select: {
      orderId: true,
      methodCode: true,
      carrier: true,
      shipCarrier: true,
      destinationZone: true,
      earliest: true,
      latest: true,
      promisedAt: true,
      firstShippedAt: true,
      deliveredAt: true,
      atRiskAt: true,
    },
  });
}

export type AuditEntry = { at: Date; actor: string; subject: string; summary: string; data: unknown };

/** `tx`: written in the caller's transaction, with the change it records. */
export async function recordAudit(shop: string, a: AuditEntry, tx?: Prisma.TransactionClient) {
  await (tx ?? db()).auditEvent.create({ data: { shop, at: a.at, actor: a.actor, subject: a.subject, summary: a.summary, data: JSON.stringify(a.data) } });
}
