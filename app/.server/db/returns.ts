// Returns (ReturnCase with its lines). Status changes and receipts are guarded writes on the
// version they were read at, so a double click or two people receiving the same parcel apply once.
import type { Prisma } from "@prisma/client";
import type { ReturnStatus, ReturnTab } from "~/domain/returns/status";
import type { CandidateOrder } from "~/domain/returns/match";
import { db } from "./client";
import { resolveExceptionBySubject } from "./exceptions";
import { dropPendingSettlement, recordSettlementIntent, type SettlementIntent } from "./exchange-settlements";
import { isUniqueViolation } from "./orders";

export const orderForRefund = (shop: string, orderId: string) =>
  db().order.findFirst({
    where: { id: orderId, shop },
    select: {
      id: true,
      sourceId: true,
      name: true,
      currency: true,
      email: true,
      lines: { select: { sourceLineId: true, unitPriceMinor: true, sku: true, title: true, quantity: true, currentQuantity: true, variantId: true } },
    },
  });

export type NewReturn = Omit<Prisma.ReturnCaseUncheckedCreateInput, "lines" | "id"> & { lines: Omit<Prisma.ReturnCaseLineUncheckedCreateInput, "returnId">[] };

/** Creates the return, or finds the one already recorded for the same Shopify return (a replay). */
export async function createReturnCase(r: NewReturn): Promise<{ id: string; created: boolean }> {
  const { lines, ...data } = r;
  // Recorded already (by a replay, or by Shopify's webhook arriving first): what only the OMS knows is added.
  const known = async () => {
    const existing = data.sourceId
      ? await db().returnCase.findUnique({ where: { shop_sourceId: { shop: data.shop, sourceId: data.sourceId } }, select: { id: true, requestedBy: true } })
      : null;
    if (existing && existing.requestedBy === "shopify" && data.requestedBy !== "shopify") {
      await db().returnCase.update({
        where: { id: existing.id },
        data: {
          reason: data.reason,
          instructions: data.instructions,
          exchangePolicy: data.exchangePolicy,
          exchangeLines: data.exchangeLines,
          restockingFeePercent: data.restockingFeePercent,
          returnShippingFeeMinor: data.returnShippingFeeMinor,
          requestedBy: data.requestedBy,
        },
      });
    }
    return existing;
  };
  const existing = await known();
  if (existing) return { id: existing.id, created: false };
  try {
    const created = await db().returnCase.create({ data: { ...data, lines: { create: lines } }, select: { id: true } });
    return { id: created.id, created: true };
  } catch (e) {
    if (isUniqueViolation(e) && data.sourceId) {
      const again = await known();
      if (again) return { id: again.id, created: false };
    }
    throw e;
  }
}

export const findReturn = (shop: string, id: string) => db().returnCase.findFirst({ where: { id, shop }, include: { lines: { orderBy: { id: "asc" } } } });
export const findReturnBySource = (shop: string, sourceId: string) =>
  db().returnCase.findUnique({ where: { shop_sourceId: { shop, sourceId } }, include: { lines: true } });
export type ReturnRow = NonNullable<Awaited<ReturnType<typeof findReturn>>>;

const TAB_STATUSES: Record<ReturnTab, ReturnStatus[]> = {
  requested: ["requested"],
  in_transit: ["in_transit"],
  received: ["received"],
  awaiting_match: ["awaiting_match", "matching"],
  closed: ["closed", "declined", "cancelled"],
};

export function listReturns(
  shop: string,
  f: { tab?: ReturnTab | null; q?: string | null; locationId?: string | null; from?: Date | null; to?: Date | null; take?: number },
) {
  const where: Prisma.ReturnCaseWhereInput = { shop };
  if (f.tab) where.status = { in: TAB_STATUSES[f.tab] };
  if (f.locationId) where.locationId = f.locationId;
  if (f.from || f.to) where.createdAt = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) };
  // Names are stored as Shopify sends them ("#1001-R1"); exact and prefix matches work on both databases.
  if (f.q) where.OR = [{ orderName: { startsWith: f.q } }, { name: { startsWith: f.q } }, { lines: { some: { sku: f.q } } }];
  return db().returnCase.findMany({ where, include: { lines: true }, orderBy: { createdAt: "desc" }, take: f.take ?? 100 });
}

export async function countReturnsByStatus(shop: string): Promise<Record<string, number>> {
  const rows = await db().returnCase.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.status, r._count._all]));
}

/** Moves a return on only if it is still where it was read (status and version). */
export async function transitionReturn(
  id: string,
  from: readonly ReturnStatus[],
  version: number,
  data: Prisma.ReturnCaseUncheckedUpdateManyInput,
): Promise<boolean> {
  const { count } = await db().returnCase.updateMany({ where: { id, status: { in: [...from] }, version }, data: { ...data, version: { increment: 1 } } });
  return count === 1;
}

export type LineReceipt = { lineId: string; restocked: number; damaged: number; qualityControl: number; missing: number };

/** Adds received units to lines, in one transaction guarded on the version the receipt was planned from. */
export async function applyReceipts(
  id: string,
  version: number,
  receipts: readonly LineReceipt[],
  data: Prisma.ReturnCaseUncheckedUpdateManyInput,
  // The exchange settlement this receipt makes due (every unit in), written with it; or, when a
  // receipt is given back, the one it wrote dropped with it.
  settlement?: { record: SettlementIntent } | { drop: { shop: string; returnId: string } },
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.returnCase.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } });
    if (count === 0) return false;
    if (settlement && "record" in settlement) await recordSettlementIntent(settlement.record, tx);
    else if (settlement) await dropPendingSettlement(tx, settlement.drop.shop, settlement.drop.returnId);
    for (const r of receipts) {
      await tx.returnCaseLine.update({
        where: { id: r.lineId },
        data: {
          restocked: { increment: r.restocked },
          damaged: { increment: r.damaged },
          qualityControl: { increment: r.qualityControl },
          missing: { increment: r.missing },
        },
      });
    }
    return true;
  });
}

export async function updateReturnLines(lines: readonly { id: string; data: Prisma.ReturnCaseLineUncheckedUpdateInput }[]): Promise<void> {
  await db().$transaction(lines.map((l) => db().returnCaseLine.update({ where: { id: l.id }, data: l.data })));
}

/** Refunded: a received return whose every unit is accounted for is closed. */
export async function markReturnRefunded(id: string, at: Date): Promise<void> {
  await db().returnCase.updateMany({ where: { id, refundedAt: null }, data: { refundedAt: at } });
  const r = await db().returnCase.findUnique({ where: { id }, include: { lines: true } });
  if (r?.status === "received" && r.lines.every((l) => l.restocked + l.damaged + l.qualityControl + l.missing >= l.quantity)) {
    await db().returnCase.updateMany({
      where: { id, status: "received", version: r.version },
      data: { status: "closed", closedAt: at, version: { increment: 1 } },
    });
  }
}

/** The order's returns that carry exchange items, with their returned lines (for the exchange value held against its money). */
export const exchangeReturnsOfOrder = (orderId: string) =>
  db().returnCase.findMany({
    where: { orderId, exchangeLines: { not: null } },
    select: { status: true, exchangeLines: true, lines: { select: { unitPriceMinor: true, quantity: true } } },
  });

export const returnsOfOrder = (orderId: string) => db().returnCase.findMany({ where: { orderId }, include: { lines: true }, orderBy: { createdAt: "asc" } });

/** Orders a parcel could have come from: the slip's email, or any of its SKUs shipped within the window. */
export async function candidateOrders(shop: string, skus: readonly string[], email: string | null, since: Date): Promise<CandidateOrder[]> {
  const emails = email ? [email, email.trim().toLowerCase()] : [];
  const orders = await db().order.findMany({
    where: { shop, placedAt: { gte: since }, OR: [...(emails.length ? [{ email: { in: emails } }] : []), { lines: { some: { sku: { in: [...skus] } } } }] },
    select: {
      id: true,
      name: true,
      placedAt: true,
      email: true,
      customerName: true,
      shippingAddress: true,
      lines: { select: { sku: true } },
      groups: { select: { lines: true, trackingInfo: true } },
    },
    orderBy: { placedAt: "desc" },
    take: 200,
  });
  const returns = await db().returnCase.findMany({
    where: { orderId: { in: orders.map((o) => o.id) }, status: { notIn: ["declined", "cancelled"] } },
    select: { orderId: true, name: true, lines: { select: { sku: true, quantity: true } } },
  });
  return orders.map((o) => {
    const shipped = new Map<string, number>();
    for (const g of o.groups)
      for (const l of JSON.parse(g.lines) as { sku: string | null; quantity: number; remaining: number }[])
        if (l.sku) shipped.set(l.sku, (shipped.get(l.sku) ?? 0) + (l.quantity - l.remaining));
    const returned = new Map<string, number>();
    for (const r of returns.filter((x) => x.orderId === o.id)) for (const l of r.lines) if (l.sku) returned.set(l.sku, (returned.get(l.sku) ?? 0) + l.quantity);
    const address = o.shippingAddress ? (JSON.parse(o.shippingAddress) as { phone?: string | null }) : null;
    return {
      orderId: o.id,
      orderName: o.name,
      placedAt: o.placedAt,
      email: o.email,
      customerName: o.customerName,
      phone: address?.phone ?? null,
      trackingNumbers: o.groups.flatMap((g) =>
        g.trackingInfo ? (JSON.parse(g.trackingInfo) as { number?: string | null }[]).map((t) => t.number ?? "").filter(Boolean) : [],
      ),
      returnNames: returns
        .filter((x) => x.orderId === o.id)
        .map((x) => x.name ?? "")
        .filter(Boolean),
      lines: [...shipped].map(([sku, n]) => ({ sku, shipped: n, returned: returned.get(sku) ?? 0 })),
    };
  });
}

export async function returnsKpiFacts(shop: string, from: Date, to: Date) {
  const [returns, refunds, groups] = await Promise.all([
    db().returnCase.findMany({
      where: { shop, createdAt: { gte: from, lt: to }, status: { notIn: ["declined", "cancelled"] } },
      select: { receivedAt: true, refundedAt: true, lines: { select: { quantity: true } } },
    }),
    db().refundRecord.findMany({ where: { shop, status: "succeeded", processedAt: { gte: from, lt: to } }, select: { amountMinor: true, currency: true } }),
    db().fulfillmentGroup.findMany({ where: { order: { shop, placedAt: { gte: from, lt: to } } }, select: { lines: true } }),
  ]);
  const unitsShipped = groups.reduce(
    (n, g) => n + (JSON.parse(g.lines) as { quantity: number; remaining: number }[]).reduce((m, l) => m + (l.quantity - l.remaining), 0),
    0,
  );
  return {
    unitsShipped,
    unitsReturned: returns.reduce((n, r) => n + r.lines.reduce((m, l) => m + l.quantity, 0), 0),
    refunds,
    receiptToRefund: returns.filter((r) => r.receivedAt && r.refundedAt).map((r) => ({ receivedAt: r.receivedAt!, refundedAt: r.refundedAt! })),
  };
}

export async function markExchangeReleased(id: string, at: Date): Promise<boolean> {
  const { count } = await db().returnCase.updateMany({ where: { id, exchangeReleasedAt: null }, data: { exchangeReleasedAt: at } });
  return count === 1;
}

/** Inventory items by SKU, from the levels the OMS holds (a parcel's slip names SKUs). */
export async function itemsBySku(shop: string, skus: readonly string[]): Promise<Map<string, string>> {
  const rows = await db().stockLevel.findMany({ where: { shop, sku: { in: [...skus] } }, select: { sku: true, inventoryItemId: true }, distinct: ["sku"] });
  return new Map(rows.map((r) => [r.sku!, r.inventoryItemId]));
}

/**
 * A matched parcel becomes the Shopify return it was matched to: its source, order and lines.
 * `resolved`: the parcel's unmatched_return item, resolved in the same transaction (a retry finds
 * the parcel matched and would not resolve it).
 */
export async function attachParcelToReturn(
  id: string,
  version: number,
  data: Prisma.ReturnCaseUncheckedUpdateManyInput,
  lines: readonly Omit<Prisma.ReturnCaseLineUncheckedCreateInput, "returnId">[],
  resolved?: { shop: string; by: string; resolution: string; at: Date },
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.returnCase.updateMany({ where: { id, version }, data: { ...data, version: { increment: 1 } } });
    if (count === 0) return false;
    await tx.returnCaseLine.deleteMany({ where: { returnId: id } });
    for (const l of lines) await tx.returnCaseLine.create({ data: { ...l, returnId: id } });
    if (resolved) await resolveExceptionBySubject(resolved.shop, "unmatched_return", id, resolved.by, resolved.resolution, resolved.at, tx);
    return true;
  });
}

/** Parcels still being matched whose last write is older than `before`: their run stopped. */
export const staleParcelMatches = (before: Date, take = 50) =>
  db().returnCase.findMany({ where: { status: "matching", updatedAt: { lt: before } }, select: { id: true, shop: true }, orderBy: { updatedAt: "asc" }, take });

export const hasMatchingParcel = async (orderId: string) => (await db().returnCase.count({ where: { orderId, status: "matching" } })) > 0;

export const shopLocations = (shop: string) => db().stockLocation.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } });
export const orderNameOf = (shop: string, orderId: string) =>
  db().order.findFirst({ where: { id: orderId, shop }, select: { id: true, name: true, sourceId: true, currency: true } });

export async function variantIdBySku(shop: string, sku: string): Promise<string | null> {
  const row = await db().stockLevel.findFirst({ where: { shop, sku, variantId: { not: null } }, select: { variantId: true } });
  return row?.variantId ?? null;
}
