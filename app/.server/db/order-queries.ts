import type { Prisma } from "@prisma/client";
import type { OrderState } from "~/domain/order/lifecycle";
import { db } from "./client";

export async function findOrderById(shop: string, id: string) {
  const row = await db().order.findFirst({ where: { id, shop } });
  return row ? { ...row, state: row.state as OrderState } : null;
}

export type OrderFilters = {
  q?: string;
  channel?: string;
  state?: string;
  location?: string;
  exception?: "any" | "none";
  from?: Date;
  to?: Date;
};

const LIST_SELECT = {
  id: true,
  name: true,
  channel: true,
  tags: true,
  state: true,
  exception: true,
  financialStatus: true,
  currency: true,
  totalMinor: true,
  customerName: true,
  shipCountry: true,
  placedAt: true,
  groups: { select: { locationName: true } },
} satisfies Prisma.OrderSelect;

/**
 * One page of a shop's orders, newest first, with keyset pagination on (placedAt, id) so a deep
 * page costs what the first does. The cursor condition is split in two index range scans (the
 * rest of the cursor's own instant, then strictly older) because an OR across them defeats the
 * index. Every filter uses an index that starts with shop.
 */
export async function listOrders(shop: string, f: OrderFilters, page: { after?: string; take: number }) {
  const where: Prisma.OrderWhereInput = { shop };
  if (f.channel) where.channel = f.channel;
  if (f.state) where.state = f.state;
  if (f.exception === "any") where.exception = { not: null };
  if (f.exception === "none") where.exception = null;
  if (f.from || f.to) where.placedAt = { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) };
  if (f.location) where.groups = { some: { locationId: f.location } };
  if (f.q) Object.assign(where, searchCondition(f.q));

  const orderBy = [{ placedAt: "desc" as const }, { id: "desc" as const }];
  const cursor = page.after ? decodeCursor(page.after) : null;
  const want = page.take + 1;
  let rows;
  if (!cursor) {
    rows = await db().order.findMany({ where, orderBy, take: want, select: LIST_SELECT });
  } else {
    const sameInstant = await db().order.findMany({
      where: { AND: [where, { placedAt: cursor.placedAt, id: { lt: cursor.id } }] },
      orderBy,
      take: want,
      select: LIST_SELECT,
    });
    const older =
      sameInstant.length < want
        ? await db().order.findMany({
            where: { AND: [where, { placedAt: { lt: cursor.placedAt } }] },
            orderBy,
            take: want - sameInstant.length,
            select: LIST_SELECT,
          })
        : [];
    rows = [...sameInstant, ...older];
  }
  const more = rows.length > page.take;
  const items = rows.slice(0, page.take);
  const last = items.at(-1);
  return { items, next: more && last ? encodeCursor(last.placedAt, last.id) : null };
}

/** The search box takes an order name, an email or a Shopify order id; each has its own index. */
function searchCondition(raw: string): Prisma.OrderWhereInput {
  const q = raw.trim();
  if (q.includes("@")) return { email: q.toLowerCase() };
  if (q.startsWith("gid://")) return { sourceId: q };
  return { name: q.startsWith("#") ? q : `#${q}` };
}

const encodeCursor = (placedAt: Date, id: string) => Buffer.from(`${placedAt.toISOString()}|${id}`).toString("base64url");
function decodeCursor(raw: string): { placedAt: Date; id: string } | null {
  const [iso, id] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  const placedAt = iso ? new Date(iso) : null;
  return placedAt && id && !Number.isNaN(placedAt.getTime()) ? { placedAt, id } : null;
}

export async function getOrderDetail(shop: string, id: string) {
  return db().order.findFirst({
    where: { id, shop },
    include: {
      lines: { orderBy: { id: "asc" } },
      groups: { orderBy: { id: "asc" } },
      events: { orderBy: [{ at: "asc" }, { id: "asc" }] },
    },
  });
}

export function countOrders(shop: string) {
  return db().order.count({ where: { shop } });
}

/** The locations a shop's orders have been assigned to, for the list's location filter. */
export async function listOrderLocations(shop: string): Promise<{ id: string; name: string }[]> {
  const rows = await db().fulfillmentGroup.findMany({
    where: { order: { shop }, locationId: { not: null } },
    distinct: ["locationId"],
    select: { locationId: true, locationName: true },
    take: 200,
  });
  return rows.map((r) => ({ id: r.locationId!, name: r.locationName ?? r.locationId! })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The Shopify GIDs of a shop's open Shopify orders (not cancelled, not finished), oldest first: what a resync re-reads. */
export async function openShopifyOrderIds(shop: string, take = 5000): Promise<string[]> {
  const rows = await db().order.findMany({
    where: { shop, cancelledAt: null, sourceId: { startsWith: "gid://shopify/Order/" }, state: { notIn: ["cancelled", "delivered", "returned", "refunded"] } },
    orderBy: [{ placedAt: "asc" }, { id: "asc" }],
    select: { sourceId: true },
    take,
  });
  return rows.map((r) => r.sourceId);
}
