import { Prisma } from "@prisma/client";
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { db, onPostgres, pgPool, sqliteConnection, transaction } from "./client";
import { isoTimestamp } from "./sqlite/args";

export type NewDelivery = {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  apiVersion: string;
  triggeredAt: Date | null;
  headers: Record<string, string>;
  body: string;
  status: "received" | "rejected";
  error: string | null;
};

export type StoredDelivery = {
  id: string;
  shop: string;
  topic: string;
  body: string;
  status: string;
  triggeredAt: Date | null;
  receivedAt: Date;
};

// The delivery and its body (a table of its own: a claim or a mark never rewrites the body) are
// written together: on SQLite two statements in one transaction, the body only if the delivery was
// new; on PostgreSQL one statement (below).
const INSERT_DELIVERY = `
  INSERT INTO "WebhookDelivery" ("id", "shop", "topic", "webhookId", "eventId", "apiVersion", "triggeredAt", "headers", "status", "error", "attempts", "receivedAt")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
  ON CONFLICT ("shop", "webhookId") DO NOTHING`;
const INSERT_BODY = `INSERT INTO "WebhookDeliveryBody" ("deliveryId", "body") VALUES (?, ?)`;

// The same on PostgreSQL's pool. Every INSERT there is a commit, and a commit waits for its WAL
// flush: under load the acknowledgements' commits queue behind each other. So a web process keeps
// at most PG_INSERTS_IN_FLIGHT inserts running, and deliveries that arrive meanwhile go into the next
// one together (one multi-row INSERT, one commit): no waiting at all under light load, fewer commits
// under heavy load. Each delivery is answered once the statement holding it has committed.
// Timestamps go as UTC text: the columns are timestamp without time zone, and node-pg would write
// a Date in the process's local time.
// One statement writes the deliveries and the bodies of those that were new: the rows as a VALUES
// list (parameters there are text unless cast), the deliveries inserted from it, then the bodies of
// the deliveries the insert returned (the foreign key is checked at the statement's end, when the
// delivery is there).
const PG_COLUMNS = `"id", "shop", "topic", "webhookId", "eventId", "apiVersion", "triggeredAt", "headers", "status", "error", "attempts", "receivedAt"`;
const PG_VALUES_COLUMNS = `"id", "shop", "topic", "webhookId", "eventId", "apiVersion", "triggeredAt", "headers", "body", "status", "error", "attempts", "receivedAt"`;
// Parameters per row: every column of PG_VALUES_COLUMNS but "attempts" (a literal 0).
const PG_PARAMS_PER_ROW = 12;
const PG_INSERTS_IN_FLIGHT = 4;
const PG_ROWS_PER_INSERT = 100;
type PendingRow = { id: string; values: unknown[]; done: (inserted: boolean) => void; failed: (e: unknown) => void };
const pgPending = new WeakMap<pg.Pool, { queue: PendingRow[]; running: number }>();

function pgInsertText(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, r) => {
    const p = (n: number) => `$${r * PG_PARAMS_PER_ROW + n}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}::timestamp, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}, 0, ${p(12)}::timestamp)`;
  });
  return `WITH v (${PG_VALUES_COLUMNS}) AS (VALUES ${tuples.join(", ")}),
    d AS (INSERT INTO "WebhookDelivery" (${PG_COLUMNS}) SELECT ${PG_COLUMNS} FROM v ON CONFLICT ("shop", "webhookId") DO NOTHING RETURNING "id"),
    b AS (INSERT INTO "WebhookDeliveryBody" ("deliveryId", "body") SELECT v."id", v."body" FROM v JOIN d ON d."id" = v."id")
    SELECT "id" FROM d`;
}

function insertOnPg(pool: pg.Pool, id: string, values: unknown[]): Promise<boolean> {
  let state = pgPending.get(pool);
  if (!state) pgPending.set(pool, (state = { queue: [], running: 0 }));
  const promise = new Promise<boolean>((done, failed) => state.queue.push({ id, values, done, failed }));
  drainPg(pool, state);
  return promise;
}

function drainPg(pool: pg.Pool, state: { queue: PendingRow[]; running: number }): void {
  while (state.running < PG_INSERTS_IN_FLIGHT && state.queue.length) {
    const rows = state.queue.splice(0, PG_ROWS_PER_INSERT);
    state.running++;
    void insertRowsOnPg(pool, rows).finally(() => {
      state.running--;
      drainPg(pool, state);
    });
  }
}

async function insertRowsOnPg(pool: pg.Pool, rows: PendingRow[]): Promise<void> {
  // A single row is a named statement (prepared once per connection); a batch is sized by its rows.
  const single = (values: unknown[]) => pool.query<{ id: string }>({ name: "oms_insert_delivery", text: pgInsertText(1), values });
  try {
    const res =
      rows.length === 1
        ? await single(rows[0]!.values)
        : await pool.query<{ id: string }>({ text: pgInsertText(rows.length), values: rows.flatMap((r) => r.values) });
    const inserted = new Set(res.rows.map((r) => r.id));
    for (const r of rows) r.done(inserted.has(r.id));
  } catch (e) {
    if (rows.length === 1) return rows[0]!.failed(e);
    // A statement fails whole: each row is tried alone, so that a row PostgreSQL refuses fails
    // only its own delivery (answered 500, so Shopify sends it again), not the others it shared.
    await Promise.all(
      rows.map((r) =>
        single(r.values).then(
          (res) => r.done(res.rows.length === 1),
          (err: unknown) => r.failed(err),
        ),
      ),
    );
  }
}

/**
 * Stores a delivery once per (shop, webhookId); returns null when it was already stored. This is
 * the acknowledgement hot path: one INSERT … ON CONFLICT DO NOTHING, straight on the SQLite
 * connection or the PostgreSQL pool where there is one (Prisma's per-query cost is most of an
 * acknowledgement otherwise: on PostgreSQL, 5.0 ms of the web process's CPU per delivery through
 * Prisma, against 1.6 on SQLite's connection).
 */
export async function insertDelivery(d: NewDelivery, receivedAt: Date = new Date()): Promise<{ id: string } | null> {
  const id = randomUUID();
  const sqlite = await sqliteConnection(db());
  const pool = sqlite ? null : pgPool(db());
  // The delivery's values in column order, with the body before the status on PostgreSQL (its
  // VALUES list, PG_COLUMNS with "body"); timestamps as each database's text (SQLite's own format,
  // UTC ISO for PostgreSQL's timestamp without time zone).
  const values = (time: (t: Date) => string, body: string[]) => [
    id,
    d.shop,
    d.topic,
    d.webhookId,
    d.eventId,
    d.apiVersion,
    d.triggeredAt ? time(d.triggeredAt) : null,
    JSON.stringify(d.headers),
    ...body,
    d.status,
    d.error,
    time(receivedAt),
  ];
  if (pool)
    return (await insertOnPg(
      pool,
      id,
      values((t) => t.toISOString(), [d.body]),
    ))
      ? { id }
      : null;
  if (sqlite) {
    const row = values(isoTimestamp, []);
    const inserted = await sqlite.transact((sql) => sql.run(INSERT_DELIVERY, row) === 1 && sql.run(INSERT_BODY, [id, d.body]) === 1);
    return inserted ? { id } : null;
  }
  // A transaction's client (no pool of its own to write on directly).
  return transaction(async (tx) => {
    const inserted = await tx.$executeRaw`
      INSERT INTO "WebhookDelivery" ("id", "shop", "topic", "webhookId", "eventId", "apiVersion", "triggeredAt", "headers", "status", "error", "attempts", "receivedAt")
      VALUES (${id}, ${d.shop}, ${d.topic}, ${d.webhookId}, ${d.eventId}, ${d.apiVersion}, ${d.triggeredAt}, ${JSON.stringify(d.headers)}, ${d.status}, ${d.error}, 0, ${receivedAt})
      ON CONFLICT ("shop", "webhookId") DO NOTHING`;
    if (inserted !== 1) return null;
    await tx.webhookDeliveryBody.create({ data: { deliveryId: id, body: d.body } });
    return { id };
  });
}

export async function findDelivery(id: string): Promise<StoredDelivery | null> {
  const row = await db().webhookDelivery.findUnique({
    where: { id },
    select: { id: true, shop: true, topic: true, payload: { select: { body: true } }, status: true, triggeredAt: true, receivedAt: true },
  });
  return row && withBody(row);
}

/** A delivery read with its body (`payload`), as callers see it: the body a field of its own. */
function withBody<T extends { payload: { body: string } | null }>({ payload, ...row }: T): Omit<T, "payload"> & { body: string } {
  // Every delivery is written with its body; one without (none is) reads as an empty body, which
  // processing rejects as not JSON rather than passing over.
  return { ...row, body: payload?.body ?? "" };
}

type DeliveryRow = {
  id: string;
  shop: string;
  topic: string;
  body: string;
  status: string;
  triggeredAt: Date | string | null;
  receivedAt: Date | string;
  installed: number | bigint;
};

/**
 * Stored deliveries (`where` on the alias d), each with whether its shop has the app installed now:
 * installed and not uninstalled since, or holding an offline session (stored by the token exchange
 * just before the install is recorded; an uninstall removes both). One statement: the check is read
 * with the deliveries, at the same instant, rather than cached (an uninstall in another process is
 * seen by the next read).
 */
async function deliveriesToProcess(where: Prisma.Sql): Promise<(StoredDelivery & { installed: boolean })[]> {
  const rows = await db().$queryRaw<DeliveryRow[]>`
    SELECT d."id", d."shop", d."topic", COALESCE(b."body", '') AS "body", d."status", d."triggeredAt", d."receivedAt",
      CASE WHEN EXISTS (SELECT 1 FROM "Session" s WHERE s."shop" = d."shop" AND s."isOnline" = false)
             OR EXISTS (SELECT 1 FROM "Shop" h WHERE h."domain" = d."shop" AND h."uninstalledAt" IS NULL)
           THEN 1 ELSE 0 END AS "installed"
    FROM "WebhookDelivery" d LEFT JOIN "WebhookDeliveryBody" b ON b."deliveryId" = d."id"
    ${where}`;
  return rows.map((r) => ({
    id: r.id,
    shop: r.shop,
    topic: r.topic,
    body: r.body,
    status: r.status,
    triggeredAt: r.triggeredAt === null ? null : new Date(r.triggeredAt),
    receivedAt: new Date(r.receivedAt),
    installed: Number(r.installed) === 1,
  }));
}

/** The delivery, and whether its shop has the app installed now (deliveriesToProcess). */
export async function findDeliveryToProcess(id: string): Promise<(StoredDelivery & { installed: boolean }) | null> {
  return (await deliveriesToProcess(Prisma.sql`WHERE d."id" = ${id}`))[0] ?? null;
}

/**
 * Takes a shop's deliveries of some topics waiting to be processed (status received, not taken by
 * another batch), oldest first, until `until`, and returns them with whether the shop has the app
 * installed (deliveriesToProcess): what one batch handles. Two batches of one shop running at once
 * (two workers, or a window's job while the one before is still busy) take different deliveries:
 * on PostgreSQL the rows are locked as they are taken, skipping those another batch is taking; on
 * SQLite the statement is the only writer.
 */
export async function claimPendingDeliveries(
  shop: string,
  topics: readonly string[],
  take: number,
  now: Date,
  until: Date,
): Promise<{ deliveries: (StoredDelivery & { installed: boolean })[]; more: boolean }> {
  const claimed = await db().$queryRaw<{ id: string }[]>`
    UPDATE "WebhookDelivery" SET "claimedUntil" = ${until}
    WHERE "id" IN (
      SELECT "id" FROM "WebhookDelivery"
      WHERE "shop" = ${shop} AND "status" = 'received' AND "topic" IN (${Prisma.join([...topics])})
        AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})
      ORDER BY "receivedAt", "id"
      LIMIT ${take}
      ${onPostgres() ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty})
    RETURNING "id"`;
  if (!claimed.length) return { deliveries: [], more: false };
  const rows = await deliveriesToProcess(Prisma.sql`WHERE d."id" IN (${Prisma.join(claimed.map((c) => c.id))}) ORDER BY d."receivedAt", d."id"`);
  // A full batch: there may be more (the next window's batch looks).
  return { more: claimed.length === take, deliveries: rows };
}

/** Gives back what a batch took (claimPendingDeliveries) and could not finish. */
export async function releaseClaims(ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  await db().webhookDelivery.updateMany({ where: { id: { in: [...ids] }, status: "received" }, data: { claimedUntil: null } });
}

/** `markDelivery` for several deliveries at once, each only while it is still `received` (a replay or another batch may have taken it). */
export async function markReceivedDeliveries(
  ids: readonly string[],
  status: "processed" | "rejected" | "not_installed",
  at: Date,
  error: string | null = null,
): Promise<number> {
  if (!ids.length) return 0;
  // On SQLite a plain statement: the write lock all processes share is held for the update alone.
  const sqlite = await sqliteConnection(db());
  if (sqlite)
    return sqlite.run(
      `UPDATE "WebhookDelivery" SET "status" = ?, "error" = ?, "processedAt" = ?, "attempts" = "attempts" + 1 WHERE "status" = 'received' AND "id" IN (${ids.map(() => "?").join(", ")})`,
      [status, error, isoTimestamp(at), ...ids],
    );
  const { count } = await db().webhookDelivery.updateMany({
    where: { id: { in: [...ids] }, status: "received" },
    data: { status, error, processedAt: at, attempts: { increment: 1 } },
  });
  return count;
}

export async function markDelivery(
  id: string,
  status: "processed" | "rejected" | "failed" | "unhandled" | "not_installed",
  at: Date,
  error: string | null = null,
): Promise<void> {
  await db().webhookDelivery.update({
    where: { id },
    data: { status, error, processedAt: at, attempts: { increment: 1 } },
  });
}

export function countDeliveries(where: { shop?: string; status?: string } = {}): Promise<number> {
  return db().webhookDelivery.count({ where });
}

/**
 * Deliveries stored but never handed to the queue (e.g. Redis was down at acknowledgement time),
 * oldest first, a page at a time: `after` is the last row of the previous page.
 */
export function listUnqueued(
  olderThan: Date,
  take: number,
  after?: { receivedAt: Date; id: string },
): Promise<{ id: string; shop: string; topic: string; receivedAt: Date }[]> {
  return db().webhookDelivery.findMany({
    where: {
      status: "received",
      receivedAt: { lt: olderThan },
      // Not while a batch holds it (a claim that ran out that long ago holds nothing).
      AND: [
        { OR: [{ claimedUntil: null }, { claimedUntil: { lt: olderThan } }] },
        ...(after ? [{ OR: [{ receivedAt: { gt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { gt: after.id } }] }] : []),
      ],
    },
    select: { id: true, shop: true, topic: true, receivedAt: true },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take,
  });
}

export type DeliveryListFilter = { shop: string; status?: string[]; take: number };

export async function listDeliveries(f: DeliveryListFilter) {
  const rows = await db().webhookDelivery.findMany({
    where: { shop: f.shop, ...(f.status ? { status: { in: f.status } } : {}) },
    orderBy: { receivedAt: "desc" },
    take: f.take,
    select: {
      id: true,
      topic: true,
      webhookId: true,
      status: true,
      error: true,
      attempts: true,
      receivedAt: true,
      processedAt: true,
      payload: { select: { body: true } },
    },
  });
  return rows.map(withBody);
}

export async function resetForReplay(id: string, shop: string): Promise<{ id: string; topic: string; body: string; attempts: number } | null> {
  const row = await db().webhookDelivery.findFirst({
    where: { id, shop },
    select: { id: true, topic: true, payload: { select: { body: true } }, attempts: true },
  });
  return row && withBody(row);
}

export async function setDeliveryStatus(id: string, status: "received" | "rejected", error: string | null): Promise<void> {
  await db().webhookDelivery.update({ where: { id }, data: { status, error } });
}
