import { randomBytes } from "node:crypto";
import { Prisma } from "@prisma/client";
import type { OrderState } from "~/domain/order/lifecycle";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import type { OrderSnapshot } from "~/domain/order/snapshot";
import type { SQLInputValue } from "node:sqlite";
import { db, onPostgres, sqliteConnection } from "./client";
import { isoTimestamp } from "./sqlite/args";
import type { ReleaseHead } from "./release";
import { jsonRows } from "./json-rows";
import type { Held } from "~/domain/inventory/plan-order-reservations";

export type OrderHead = {
  id: string;
  state: OrderState;
  sourceUpdatedAt: Date;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  holdReason: string | null;
};

/** Who recorded a set of timeline entries, and when. */
export type Provenance = { at: Date; actor: string; source: "shopify" | "oms" | "amazon" | "user"; deliveryId: string | null };

export async function findOrderHead(shop: string, sourceId: string): Promise<OrderHead | null> {
  const row = await db().order.findUnique({
    where: { shop_sourceId: { shop, sourceId } },
    select: { id: true, state: true, sourceUpdatedAt: true, financialStatus: true, fulfillmentStatus: true, holdReason: true },
  });
  return row ? { ...row, state: row.state as OrderState } : null;
}

export const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";

function orderFields(snap: OrderSnapshot) {
  return {
    channel: snap.channel,
    name: snap.name,
    financialStatus: snap.financialStatus,
    fulfillmentStatus: snap.fulfillmentStatus,
    currency: snap.currency,
    totalMinor: snap.totalMinor,
    email: snap.email,
    customerName: snap.customerName,
    shippingAddress: snap.shippingAddress ? JSON.stringify(snap.shippingAddress) : null,
    shipCountry: snap.shippingAddress?.countryCode ?? null,
    tags: snap.tags.join(","),
    cancelledAt: snap.cancelledAt,
    placedAt: snap.placedAt,
    sourceUpdatedAt: snap.updatedAt,
  };
}

type Tx = Prisma.TransactionClient;

/**
 * Appends timeline entries, each at most once per (order, dedupeKey), in one statement: INSERT …
 * ON CONFLICT DO NOTHING. On PostgreSQL through createMany's `skipDuplicates` (an entry a
 * concurrent writer inserted first is skipped instead of failing the insert, which would abort the
 * whole transaction there); SQLite has no `skipDuplicates` in Prisma, so the same statement is
 * written out (rather than a SELECT of the keys first, then the insert). Returns how many were new.
 */
export async function appendTimeline(tx: Tx, orderId: string, shop: string, entries: TimelineEntry[], p: Provenance): Promise<number> {
  if (entries.length === 0) return 0;
  return insertTimelineRows(tx, timelineRows(orderId, shop, entries, p));
}

/** Timeline rows (of one order or several) in one statement inside a Prisma transaction; returns how many were new. */
async function insertTimelineRows(tx: Tx, rows: TimelineRow[]): Promise<number> {
  // The PostgreSQL client is generated from the same models with skipDuplicates (client.ts types it as the SQLite one).
  if (onPostgres()) return (await tx.orderEvent.createMany({ data: rows, skipDuplicates: true } as Parameters<Tx["orderEvent"]["createMany"]>[0])).count;
  const insert = timelineInsert(rows);
  return tx.$executeRawUnsafe(insert.sql, ...insert.args);
}

type TimelineRow = Omit<TimelineEntry, "actor" | "source"> & {
  orderId: string;
  shop: string;
  at: Date;
  actor: string;
  source: string;
  deliveryId: string | null;
};

function timelineRows(orderId: string, shop: string, entries: TimelineEntry[], p: Provenance): TimelineRow[] {
  return entries.map(({ actor, source, ...e }) => ({
    orderId,
    shop,
    at: p.at,
    actor: actor ?? p.actor,
    source: source ?? p.source,
    deliveryId: source && source !== p.source ? null : p.deliveryId,
    ...e,
  }));
}

/** SQLite's INSERT … ON CONFLICT DO NOTHING of timeline rows (one row per order and dedupe key). */
function timelineInsert(rows: TimelineRow[]): { sql: string; args: SQLInputValue[] } {
  const unique = [...new Map(rows.map((r) => [`${r.orderId}\u0000${r.dedupeKey}`, r])).values()];
  const args = unique.flatMap((r) => [
    cuidLike(),
    r.orderId,
    r.shop,
    isoTimestamp(r.at),
    r.kind,
    r.summary,
    r.fromState ?? null,
    r.toState ?? null,
    r.owner ?? null,
    r.actor,
    r.source,
    r.deliveryId,
    r.dedupeKey,
  ]);
  const placeholders = unique.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ");
  return {
    sql: `INSERT INTO "OrderEvent" ("id", "orderId", "shop", "at", "kind", "summary", "fromState", "toState", "owner", "actor", "source", "deliveryId", "dedupeKey") VALUES ${placeholders} ON CONFLICT ("orderId", "dedupeKey") DO NOTHING`,
    args,
  };
}

/**
 * Ids in Prisma's cuid form ("c", time, counter, fingerprint, random), so a timeline's entries of
 * one instant keep their order when sorted by id, as the ones Prisma generates do.
 */
let timelineCounter = 0;
const fingerprint = randomBytes(2).readUInt16BE(0).toString(36).padStart(4, "0").slice(-4);
export function cuidLike(): string {
  timelineCounter = (timelineCounter + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(8, "0")}${timelineCounter.toString(36).padStart(4, "0")}${fingerprint}${randomBytes(6).readUIntBE(0, 6).toString(36).padStart(8, "0").slice(-8)}`;
}

/** What an intake writes for an order: its state, flags and timeline entries (planIntake's plan). */
export type OrderWrite = { state: OrderState; exception: string | null; holdReason: string | null | undefined; timeline: TimelineEntry[] };

/** `moneyDue`: its captures await the money sweep (a new paid order taken in from orders/create). */
export type NewOrder = { snap: OrderSnapshot; write: OrderWrite; provenance: Provenance; moneyDue?: boolean };

/**
 * Creates orders of a shop that the OMS does not hold yet, each with its lines and first timeline
 * entries, in one transaction and three statements for all of them: the orders (INSERT … ON
 * CONFLICT DO NOTHING), the lines and the entries of those that were created. Returns the ids of
 * the created ones by source id; one held already (created meanwhile by another job, or a second
 * snapshot of the same order in `orders`) is left out, and its caller re-plans it as an update.
 *
 * On SQLite the statements run back to back (`SqliteAdapter.transact`): the write lock every
 * process shares is held for the inserts alone, not across Prisma's work per statement, which kept
 * the lock taken nearly all the time under an orders/create backlog, the web process's delivery
 * inserts waiting behind it.
 */
export async function createOrders(shop: string, orders: readonly NewOrder[]): Promise<Map<string, string>> {
  // One row per order (the first snapshot of it): a second one is the caller's to re-plan.
  const bySource = new Map<string, NewOrder & { id: string }>();
  for (const o of orders) if (!bySource.has(o.snap.sourceId)) bySource.set(o.snap.sourceId, { ...o, id: cuidLike() });
  const rows = [...bySource.values()];
  if (rows.length === 0) return new Map();
  const now = new Date();
  const sqlite = await sqliteConnection(db());
  if (sqlite) {
    return sqlite.transact((sql) => {
      const insert = orderInsert(shop, rows, now, "sqlite");
      const created = new Set(sql.all(insert.sql, insert.args as SQLInputValue[]).map((r) => String(r[0])));
      const kept = rows.filter((r) => created.has(r.id));
      const lines = lineInsert(kept);
      if (lines) sql.run(lines.sql, lines.args);
      const entries = kept.flatMap((r) => timelineRows(r.id, shop, r.write.timeline, r.provenance));
      if (entries.length) {
        const insert = timelineInsert(entries);
        sql.run(insert.sql, insert.args);
      }
      return new Map(kept.map((r) => [r.snap.sourceId, r.id]));
    });
  }
  return db().$transaction(async (tx) => {
    const insert = orderInsert(shop, rows, now, "postgres");
    const created = new Set((await tx.$queryRawUnsafe<{ id: string }[]>(insert.sql, ...insert.args)).map((r) => r.id));
    const kept = rows.filter((r) => created.has(r.id));
    const lines = kept.flatMap((r) => r.snap.lines.map((l) => ({ ...l, orderId: r.id })));
    if (lines.length) await tx.orderLine.createMany({ data: lines });
    const entries = kept.flatMap((r) => timelineRows(r.id, shop, r.write.timeline, r.provenance));
    if (entries.length) await insertTimelineRows(tx, entries);
    return new Map(kept.map((r) => [r.snap.sourceId, r.id]));
  });
}

/** One new order (createOrders); null when the shop holds it already. */
export async function createOrder(shop: string, snap: OrderSnapshot, write: OrderWrite, provenance: Provenance, moneyDue = false): Promise<string | null> {
  return (await createOrders(shop, [{ snap, write, provenance, moneyDue }])).get(snap.sourceId) ?? null;
}

const ORDER_COLUMNS = [
  "id",
  "shop",
  "sourceId",
  "state",
  "exception",
  "holdReason",
  "channel",
  "name",
  "financialStatus",
  "fulfillmentStatus",
  "currency",
  "totalMinor",
  "email",
  "customerName",
  "shippingAddress",
  "shipCountry",
  "tags",
  "cancelledAt",
  "placedAt",
  "sourceUpdatedAt",
  "moneyDueAt",
  "createdAt",
  "updatedAt",
] as const;

/** The orders' INSERT … ON CONFLICT DO NOTHING RETURNING "id" (placeholders and dates as each database takes them). */
function orderInsert(shop: string, rows: readonly (NewOrder & { id: string })[], now: Date, dialect: "sqlite" | "postgres") {
  const time = (d: Date | null) => (d === null ? null : dialect === "sqlite" ? isoTimestamp(d) : d);
  const args = rows.flatMap(({ id, snap, write, moneyDue }) => {
    const f = orderFields(snap);
    return [
      id,
      shop,
      snap.sourceId,
      write.state,
      write.exception,
      write.holdReason ?? null,
      f.channel,
      f.name,
      f.financialStatus,
      f.fulfillmentStatus,
      f.currency,
      f.totalMinor,
      f.email,
      f.customerName,
      f.shippingAddress,
      f.shipCountry,
      f.tags,
      time(f.cancelledAt),
      time(f.placedAt),
      time(f.sourceUpdatedAt),
      moneyDue ? time(now) : null,
      time(now),
      time(now),
    ];
  });
  let n = 0;
  const placeholder = () => (dialect === "sqlite" ? "?" : `$${++n}`);
  const values = rows.map(() => `(${ORDER_COLUMNS.map(placeholder).join(", ")})`).join(", ");
  const columns = ORDER_COLUMNS.map((c) => `"${c}"`).join(", ");
  return { sql: `INSERT INTO "Order" (${columns}) VALUES ${values} ON CONFLICT ("shop", "sourceId") DO NOTHING RETURNING "id"`, args };
}

/** SQLite's INSERT of the created orders' lines (null: none). */
function lineInsert(rows: readonly (NewOrder & { id: string })[]): { sql: string; args: SQLInputValue[] } | null {
  const lines = rows.flatMap((r) =>
    r.snap.lines.map((l) => [cuidLike(), r.id, l.sourceLineId, l.sku, l.title, l.variantId, l.quantity, l.currentQuantity, l.unitPriceMinor]),
  );
  if (lines.length === 0) return null;
  return {
    sql: `INSERT INTO "OrderLine" ("id", "orderId", "sourceLineId", "sku", "title", "variantId", "quantity", "currentQuantity", "unitPriceMinor") VALUES ${lines.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
    args: lines.flat(),
  };
}

/**
 * Applies a newer snapshot. The write is guarded on the stored watermark, so a snapshot that lost a
 * race to a newer one changes nothing (returns false) and the caller re-plans.
 */
export async function updateOrderFromSnapshot(head: OrderHead, shop: string, snap: OrderSnapshot, w: OrderWrite, p: Provenance): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.order.updateMany({
      where: { id: head.id, sourceUpdatedAt: head.sourceUpdatedAt, state: head.state },
      data: {
        ...orderFields(snap),
        state: w.state,
        ...(w.exception ? { exception: w.exception } : {}),
        ...(w.holdReason !== undefined ? { holdReason: w.holdReason } : {}),
      },
    });
    if (count === 0) return false;
    for (const l of snap.lines) {
      await tx.orderLine.upsert({
        where: { orderId_sourceLineId: { orderId: head.id, sourceLineId: l.sourceLineId } },
        create: { orderId: head.id, ...l },
        update: { sku: l.sku, title: l.title, quantity: l.quantity, currentQuantity: l.currentQuantity, unitPriceMinor: l.unitPriceMinor },
      });
    }
    await appendTimeline(tx, head.id, shop, w.timeline, p);
    return true;
  });
}

/** Moves an order from one state to another only if it is still in `from` (a guarded write). */
export async function transitionOrder(
  orderId: string,
  shop: string,
  from: OrderState,
  to: OrderState,
  extra: { holdReason?: string | null; holdRule?: string | null; exception?: string | null },
  entries: TimelineEntry[],
  p: Provenance,
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const { count } = await tx.order.updateMany({ where: { id: orderId, state: from }, data: { state: to, ...extra } });
    if (count === 0) return false;
    await appendTimeline(tx, orderId, shop, entries, p);
    return true;
  });
}

export async function recordTimeline(orderId: string, shop: string, entries: TimelineEntry[], p: Provenance, exception?: string): Promise<number> {
  return db().$transaction(async (tx) => {
    if (exception) await tx.order.update({ where: { id: orderId }, data: { exception } });
    return appendTimeline(tx, orderId, shop, entries, p);
  });
}

/**
 * The order's head as the ticket guard of `replaceGroups` returned it (under the order's lock): what
 * its reservations need, and what the release rules read (db/release.ts ReleaseHead).
 */
/** `held`: what the order holds by its ledger entries, per level, read under the order's lock by the guarded write itself. */
export type GroupsHead = ReleaseHead & { exception: string | null; cancelled: boolean; holdsStock: boolean; held: Held[] };

type GroupWrite = {
  sourceId: string;
  status: string;
  requestStatus: string | null;
  deliveryMethod?: string | null;
  holdHandles?: string[];
  locationId: string | null;
  locationName: string | null;
  lines: unknown;
  trackingInfo?: unknown;
};

/**
 * Replaces the order's fulfilment groups with what one read of Shopify found (fulfilment orders are
 * Shopify's), unless a read that started later (a higher ticket, `startGroupsRead`) has already
 * written them: then nothing changes and it returns null, so an older read never overwrites a
 * newer one. Call it inside the order's lock (`withOrderLock`), with the reservations that follow.
 * Returns the order's head as the guarded write found it (state, exception, cancelled, whether it
 * has ledger entries), so the reservations that follow under the same lock need not read it again.
 *
 * At most three statements: the ticket guard (an UPDATE … RETURNING that also counts the stored
 * groups this read no longer has), their DELETE (only when there are any), and one multi-row
 * INSERT … ON CONFLICT DO UPDATE for the groups read.
 */
export async function replaceGroups(orderId: string, groups: GroupWrite[], readTicket: number): Promise<GroupsHead | null> {
  return db().$transaction(async (tx) => {
    const keep = [...new Set(groups.map((g) => g.sourceId))];
    const stale = keep.length
      ? Prisma.sql`(SELECT COUNT(*) FROM "FulfillmentGroup" WHERE "orderId" = ${orderId} AND "sourceId" NOT IN (${Prisma.join(keep)}))`
      : Prisma.sql`(SELECT COUNT(*) FROM "FulfillmentGroup" WHERE "orderId" = ${orderId})`;
    const now = new Date();
    const guarded = await guardGroupsWrite(tx, orderId, readTicket, stale, now);
    if (!guarded) return null;
    if (guarded.stale > 0) await tx.fulfillmentGroup.deleteMany({ where: { orderId, sourceId: { notIn: keep } } });
    // One row per fulfilment order (a repeated one: the last read of it, as the upserts one by one left it).
    const byId = new Map(groups.map((g) => [g.sourceId, g]));
    if (byId.size) {
      const values = [...byId.values()].map(
        (g) =>
          Prisma.sql`(${cuidLike()}, ${orderId}, ${g.sourceId}, ${g.status}, ${g.requestStatus}, ${g.deliveryMethod ?? null}, ${
            g.holdHandles?.length ? JSON.stringify(g.holdHandles) : null
          }, ${g.locationId}, ${g.locationName}, ${JSON.stringify(g.lines)}, ${g.trackingInfo === undefined ? null : JSON.stringify(g.trackingInfo)}, ${now})`,
      );
      await tx.$executeRaw`
        INSERT INTO "FulfillmentGroup" ("id", "orderId", "sourceId", "status", "requestStatus", "deliveryMethod", "holdHandles", "locationId", "locationName", "lines", "trackingInfo", "updatedAt")
        VALUES ${Prisma.join(values)}
        ON CONFLICT ("orderId", "sourceId") DO UPDATE SET "status" = excluded."status", "requestStatus" = excluded."requestStatus",
          "deliveryMethod" = excluded."deliveryMethod", "holdHandles" = excluded."holdHandles", "locationId" = excluded."locationId",
          "locationName" = excluded."locationName", "lines" = excluded."lines", "trackingInfo" = excluded."trackingInfo", "updatedAt" = excluded."updatedAt"`;
    }
    return guarded.head;
  });
}

/** A fulfilment group as the order's reservations see it (orderStockView's `groups`). */
export type StockGroup = { status: string; locationId: string | null; locationName: string | null; lines: unknown; holdHandles: string[] };

/**
 * Fulfilment orders Shopify has just moved whole to another location (a fulfillmentOrderMove whose
 * moved fulfilment order is the original: same id, same lines, new location), written from the
 * mutation's answer instead of a read of the order, under the same ticket guard as `replaceGroups`
 * (the ticket taken before the moves: a read that started later wins). Two statements: the guard
 * (which also returns what the order holds) and one UPDATE of the order's groups that moves the
 * moved ones and returns them all, as the reservations that follow read them. Call it inside the
 * order's lock.
 */
export async function moveGroupsWhole(
  orderId: string,
  moves: readonly { sourceId: string; locationId: string; locationName: string | null }[],
  readTicket: number,
): Promise<{ head: GroupsHead; groups: StockGroup[] } | null> {
  if (!moves.length) return null;
  return db().$transaction(async (tx) => {
    const now = new Date();
    const guarded = await guardGroupsWrite(tx, orderId, readTicket, Prisma.sql`0`, now);
    if (!guarded) return null;
    const location = Prisma.join(
      moves.map((m) => Prisma.sql`WHEN ${m.sourceId} THEN ${m.locationId}`),
      " ",
    );
    const name = Prisma.join(
      moves.map((m) => Prisma.sql`WHEN ${m.sourceId} THEN ${m.locationName}`),
      " ",
    );
    const moved = Prisma.join(moves.map((m) => m.sourceId));
    // Every group of the order is returned; only the moved ones change (the others keep their updatedAt).
    const rows = await tx.$queryRaw<{ status: string; locationId: string | null; locationName: string | null; lines: string; holdHandles: string | null }[]>`
      UPDATE "FulfillmentGroup" SET "locationId" = CASE "sourceId" ${location} ELSE "locationId" END,
        "locationName" = CASE "sourceId" ${name} ELSE "locationName" END,
        "updatedAt" = CASE WHEN "sourceId" IN (${moved}) THEN ${now} ELSE "updatedAt" END
      WHERE "orderId" = ${orderId}
      RETURNING "status", "locationId", "locationName", "lines", "holdHandles"`;
    return {
      head: guarded.head,
      groups: rows.map((r) => ({ ...r, lines: JSON.parse(r.lines) as unknown, holdHandles: r.holdHandles ? (JSON.parse(r.holdHandles) as string[]) : [] })),
    };
  });
}

/**
 * The ticket guard of a groups write: the order's applied ticket is raised to `readTicket` unless a
 * later-started read has written already (then null), returning the head the reservations need and
 * what `stale` counts (the stored groups a full read no longer has).
 */
async function guardGroupsWrite(
  tx: Prisma.TransactionClient,
  orderId: string,
  readTicket: number,
  stale: Prisma.Sql,
  now: Date,
): Promise<{ head: GroupsHead; stale: number } | null> {
  const rows = await tx.$queryRaw<
    (Omit<ReleaseHead, "state" | "totalMinor" | "cancelledAt"> & {
      state: string;
      totalMinor: bigint | number | string;
      cancelledAt: Date | string | null;
      exception: string | null;
      stale: number | bigint;
      held: string;
    })[]
  >`
    UPDATE "Order" SET "groupsAppliedSeq" = ${readTicket}, "updatedAt" = ${now}
    WHERE "id" = ${orderId} AND "groupsAppliedSeq" <= ${readTicket}
    RETURNING "id", "state", "holdRule", "holdReason", "channel", "name", "totalMinor", "currency", "shippingAddress", "sourceId", "cancelledAt",
      "fulfillmentStatus", "orderKind", "riskLevel", "exception", ${stale} AS "stale",
      ${jsonRows(
        { inventoryItemId: 'h."i"', locationId: 'h."l"', reserved: 'h."r"', consumed: 'h."c"', movements: 'h."n"' },
        Prisma.sql`FROM (SELECT m."inventoryItemId" AS "i", m."locationId" AS "l", SUM(m."reservedDelta") AS "r",
          SUM(CASE WHEN m."kind" = 'consume' THEN -m."reservedDelta" ELSE 0 END) AS "c", COUNT(*) AS "n"
          FROM "StockMovement" m WHERE m."shop" = "Order"."shop" AND m."reference" = "Order"."id"
          GROUP BY m."inventoryItemId", m."locationId") h`,
      )} AS "held"`;
  const row = rows[0];
  if (!row) return null;
  const { stale: staleCount, held: heldJson, ...head } = row;
  const cancelledAt = row.cancelledAt === null ? null : new Date(row.cancelledAt);
  // What the order holds, per level (as heldIn sums it): its ledger entries are written only under this lock.
  const held = (JSON.parse(heldJson) as Held[]).map((h) => ({
    ...h,
    reserved: Number(h.reserved),
    consumed: Number(h.consumed),
    movements: Number(h.movements),
  }));
  return {
    stale: Number(staleCount),
    head: {
      ...head,
      state: row.state as OrderState,
      totalMinor: BigInt(row.totalMinor),
      cancelledAt,
      cancelled: row.state === "cancelled" || cancelledAt !== null,
      holdsStock: held.length > 0,
      held,
    },
  };
}

/** Clears an order's exception only if it is still `code` (another exception is left alone). */
export async function clearOrderException(orderId: string, code: string): Promise<boolean> {
  const { count } = await db().order.updateMany({ where: { id: orderId, exception: code }, data: { exception: null } });
  return count === 1;
}

/** What the inventory side needs of an order: whether it is cancelled, and its groups' lines. */
type StockGroupRow = { status: string; locationId: string | null; locationName: string | null; lines: string; holdHandles: string | null };

/**
 * An order's fulfilment groups as its reservations see them. `groups`: the groups the caller has
 * just written (replaceGroups, in the same transaction), so they are not read back; `known`: the
 * head replaceGroups returned with them, so the order is not read at all.
 */
export async function orderStockView(
  shop: string,
  orderId: string,
  groups?: readonly { status: string; locationId: string | null; locationName: string | null; lines: unknown; holdHandles?: string[] }[],
  known?: GroupsHead,
) {
  const head = { id: true, name: true, state: true, cancelledAt: true, exception: true } as const;
  const groupSelect = { status: true, locationId: true, locationName: true, lines: true, holdHandles: true } as const;
  // The head the caller holds is not read again; groups it has not written are (with the head, or alone).
  const o = known ?? (await db().order.findFirst({ where: { id: orderId, shop }, select: groups ? head : { ...head, groups: { select: groupSelect } } }));
  if (!o) return null;
  const rows: StockGroupRow[] = groups
    ? groups.map((g) => ({
        status: g.status,
        locationId: g.locationId,
        locationName: g.locationName,
        lines: JSON.stringify(g.lines),
        holdHandles: g.holdHandles?.length ? JSON.stringify(g.holdHandles) : null,
      }))
    : "groups" in o
      ? (o as { groups: StockGroupRow[] }).groups
      : await db().fulfillmentGroup.findMany({ where: { orderId }, select: groupSelect });
  return {
    id: o.id,
    name: o.name,
    state: o.state as OrderState,
    exception: o.exception,
    cancelled: o.state === "cancelled" || o.cancelledAt !== null,
    groups: rows.map((g) => ({
      status: g.status,
      locationId: g.locationId,
      locationName: g.locationName,
      awaitingStock: g.status === "ON_HOLD" && (JSON.parse(g.holdHandles ?? "[]") as string[]).some((h) => h.startsWith("oms-backorder-")),
      lines: (JSON.parse(g.lines) as { inventoryItemId?: string | null; sku: string | null; quantity: number; remaining: number }[]).map((l) => ({
        ...l,
        inventoryItemId: l.inventoryItemId ?? null,
      })),
    })),
  };
}

/** Orders with a fulfilment group still owed by a location: the ones that should hold stock. */
export async function ordersWithOpenGroups(shop: string): Promise<string[]> {
  const rows = await db().fulfillmentGroup.findMany({
    where: { order: { shop }, status: { in: ["OPEN", "IN_PROGRESS", "ON_HOLD", "SCHEDULED"] } },
    select: { orderId: true },
    distinct: ["orderId"],
  });
  return rows.map((r) => r.orderId);
}

/** The fulfilment orders the OMS knows among `sourceIds` (FulfillmentOrder GIDs), with their order's GID. */
export async function findGroupsBySourceIds(shop: string, sourceIds: readonly string[]) {
  if (!sourceIds.length) return new Map<string, { status: string; locationId: string | null; orderSourceId: string }>();
  // One statement (a join): Prisma's relation select is a second query for the orders.
  const rows = await db().$queryRaw<{ sourceId: string; status: string; locationId: string | null; orderSourceId: string }[]>`
    SELECT g."sourceId", g."status", g."locationId", o."sourceId" AS "orderSourceId"
    FROM "FulfillmentGroup" g JOIN "Order" o ON o."id" = g."orderId"
    WHERE o."shop" = ${shop} AND g."sourceId" IN (${Prisma.join([...new Set(sourceIds)])})`;
  return new Map(rows.map((r) => [r.sourceId, { status: r.status, locationId: r.locationId, orderSourceId: r.orderSourceId }]));
}
