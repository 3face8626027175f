import { Prisma } from "@prisma/client";
import type { Observed } from "~/domain/inventory/atp";
import { compareLevels, levelKey } from "~/domain/inventory/level-order";
import type { Held, Movement } from "~/domain/inventory/plan-order-reservations";
import { db, onPostgres, type Db } from "./client";
import { bumpStockVersions } from "./promise-versions";
import { LEVEL_SELECT } from "./stock-queries";

// The ledger and the balances it explains. Every change to a balance is a movement written in the
// same transaction, under an idempotency key; reservations are guarded writes (never check-then-write).

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];
export type StockShortfall = { code: "INSUFFICIENT_STOCK"; inventoryItemId: string; locationId: string; requested: number };

/**
 * The one guarded write of a reservation: applies only while on hand − reserved − safety stock −
 * other unavailable units still covers the quantity. Concurrent writers serialise on the row, and
 * the condition is re-evaluated against the row they find, so together they never take more than exists.
 */
async function guardedReserve(tx: Tx, shop: string, i: { inventoryItemId: string; locationId: string; quantity: number }, at: Date): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE "StockLevel" SET "reserved" = "reserved" + ${i.quantity}, "updatedAt" = ${at}
    WHERE "shop" = ${shop} AND "inventoryItemId" = ${i.inventoryItemId} AND "locationId" = ${i.locationId}
      AND "onHand" - "reserved" - "safetyStock" - "unavailable" >= ${i.quantity}`;
  return changed === 1;
}

/** Gives units back; guarded so `reserved` never goes below zero. */
async function guardedUnreserve(tx: Tx, shop: string, i: { inventoryItemId: string; locationId: string; quantity: number }, at: Date): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE "StockLevel" SET "reserved" = "reserved" - ${i.quantity}, "updatedAt" = ${at}
    WHERE "shop" = ${shop} AND "inventoryItemId" = ${i.inventoryItemId} AND "locationId" = ${i.locationId} AND "reserved" >= ${i.quantity}`;
  return changed === 1;
}

/** What one order holds, per (item, location), from the ledger. */
async function heldIn(tx: Tx | Db, shop: string, orderId: string): Promise<Held[]> {
  const rows = await tx.stockMovement.findMany({
    where: { shop, reference: orderId },
    select: { inventoryItemId: true, locationId: true, kind: true, reservedDelta: true },
  });
  const held = new Map<string, Held>();
  for (const r of rows) {
    const key = `${r.inventoryItemId}|${r.locationId}`;
    const h = held.get(key) ?? { inventoryItemId: r.inventoryItemId, locationId: r.locationId, reserved: 0, consumed: 0, movements: 0 };
    h.reserved += r.reservedDelta;
    h.movements++;
    if (r.kind === "consume") h.consumed -= r.reservedDelta;
    held.set(key, h);
  }
  return [...held.values()];
}

export const heldByOrder = (shop: string, orderId: string) => heldIn(db(), shop, orderId);

export type AppliedMovements = { applied: Movement[]; shortfalls: StockShortfall[] };

type LevelColumn = readonly [name: string, pgType: "text" | "int" | "timestamp"];

/**
 * One UPDATE … FROM over levels, each row of `rows` naming a level (its first two values: item and
 * location) and the values `set` writes there, optionally only where `guard` holds; returns the
 * levels it changed. The values are a typed VALUES list on PostgreSQL, where the rows are first
 * locked in level order (compareLevels: code-unit order, hence COLLATE "C"), as every writer of
 * several levels locks them, so two transactions cannot deadlock; on SQLite (one writer at a time) a
 * UNION ALL of SELECTs. `set` and `guard` get the updated table's name and read the values as `v`.
 */
async function updateLevelsFrom(
  tx: Db | Tx,
  shop: string,
  columns: readonly LevelColumn[],
  rows: readonly (readonly unknown[])[],
  set: (t: string) => Prisma.Sql,
  guard?: (t: string) => string,
): Promise<Set<string>> {
  const cols = [["inventoryItemId", "text"], ["locationId", "text"], ...columns] as const;
  const where = (t: string) => Prisma.raw(guard ? ` AND ${guard(t)}` : "");
  const changed = onPostgres()
    ? await tx.$queryRaw<LevelKey[]>`
        WITH v (${Prisma.raw(cols.map(([c]) => `"${c}"`).join(", "))}) AS (VALUES ${Prisma.join(
          rows.map((r) => Prisma.sql`(${Prisma.join(r.map((value, i) => Prisma.sql`${value}::${Prisma.raw(cols[i]![1])}`))})`),
        )}),
        locked AS (
          SELECT l."id" FROM "StockLevel" l JOIN v ON v."inventoryItemId" = l."inventoryItemId" AND v."locationId" = l."locationId"
          WHERE l."shop" = ${shop}
          ORDER BY l."inventoryItemId" COLLATE "C", l."locationId" COLLATE "C"
          FOR UPDATE OF l)
        UPDATE "StockLevel" s SET ${set("s")}
        FROM v, locked
        WHERE s."id" = locked."id" AND s."inventoryItemId" = v."inventoryItemId" AND s."locationId" = v."locationId"${where("s")}
        RETURNING s."inventoryItemId", s."locationId"`
    : await tx.$queryRaw<LevelKey[]>`
        UPDATE "StockLevel" SET ${set('"StockLevel"')}
        FROM (${Prisma.join(
          rows.map((r) => Prisma.sql`SELECT ${Prisma.join(r.map((value, i) => Prisma.sql`${value} AS ${Prisma.raw(`"${cols[i]![0]}"`)}`))}`),
          " UNION ALL ",
        )}) AS v
        WHERE "StockLevel"."shop" = ${shop} AND "StockLevel"."inventoryItemId" = v."inventoryItemId" AND "StockLevel"."locationId" = v."locationId"${where('"StockLevel"')}
        RETURNING "inventoryItemId", "locationId"`;
  return new Set(changed.map(levelKey));
}

/**
 * The guarded writes of several movements at distinct levels as one statement (updateLevelsFrom):
 * each row is changed only if its own guard holds (reserve: available to promise covers it; release
 * or consume: `reserved` stays ≥ 0), and the rows returned are the movements that applied — the
 * others fall short, one by one, as with one statement per line. On PostgreSQL a row a concurrent
 * writer changed meanwhile has its guard evaluated again on what that writer committed.
 */
function guardedMoves(tx: Tx, shop: string, moves: readonly Movement[], at: Date): Promise<Set<string>> {
  return updateLevelsFrom(
    tx,
    shop,
    [
      ["d", "int"],
      ["r", "int"],
    ],
    moves.map((m) => [m.inventoryItemId, m.locationId, m.kind === "reserve" ? m.quantity : -m.quantity, m.kind === "reserve" ? 1 : 0]),
    (t) => Prisma.sql`"reserved" = ${Prisma.raw(t)}."reserved" + v."d", "updatedAt" = ${at}`,
    (t) => `CASE WHEN v."r" = 1 THEN ${t}."onHand" - ${t}."reserved" - ${t}."safetyStock" - ${t}."unavailable" >= v."d" ELSE ${t}."reserved" >= -v."d" END`,
  );
}

/**
 * Brings one order's reservations in line with `plan(held)`, reading what it holds in the same
 * transaction as the writes. Call it under the order's lock (`withOrderLock`), which makes that
 * read and the plan's writes one step no other writer of this order can come between. Each
 * movement is its own guarded write (other orders reserve the same levels concurrently): a line
 * that does not fit is reported, the others still apply. Movements at distinct levels are written
 * as one guarded statement (guardedMoves), and the ledger entries of those that applied as one
 * INSERT (an idempotency key already used still fails the whole transaction, as before).
 * `held`: what the order holds when the caller already knows it under the same lock (an order
 * with no ledger entry holds nothing), so it is not read.
 */
export async function applyOrderReservations(
  shop: string,
  orderId: string,
  plan: (held: Held[]) => Movement[],
  at: Date,
  actor: string,
  held?: Held[],
): Promise<AppliedMovements> {
  const result = await db().$transaction(async (tx) => {
    const moves = plan(held ?? (await heldIn(tx, shop, orderId)));
    let fits: (m: Movement) => boolean;
    if (moves.length > 1 && new Set(moves.map(levelKey)).size === moves.length) {
      const moved = await guardedMoves(tx, shop, moves, at);
      fits = (m) => moved.has(levelKey(m));
    } else {
      // One movement, or two at one level (applied one after the other, each on what the one before left).
      const ok = new Set<Movement>();
      for (const m of moves) if (m.kind === "reserve" ? await guardedReserve(tx, shop, m, at) : await guardedUnreserve(tx, shop, m, at)) ok.add(m);
      fits = (m) => ok.has(m);
    }
    const applied: Movement[] = [];
    const shortfalls: StockShortfall[] = [];
    for (const m of moves) {
      if (fits(m)) applied.push(m);
      else shortfalls.push({ code: "INSUFFICIENT_STOCK", inventoryItemId: m.inventoryItemId, locationId: m.locationId, requested: m.quantity });
    }
    if (applied.length)
      await tx.stockMovement.createMany({
        data: applied.map((m) => ({
          shop,
          inventoryItemId: m.inventoryItemId,
          locationId: m.locationId,
          kind: m.kind,
          reservedDelta: m.kind === "reserve" ? m.quantity : -m.quantity,
          idempotencyKey: m.key,
          reference: orderId,
          actor,
          at,
          // The level's ATP changed: the shop's next flush reads it (adoptMovementReads), with no request row per order.
          awaitingRead: true,
        })),
      });
    return { applied, shortfalls };
  });
  // After the commit: cached delivery promises for these items are no longer current.
  await bumpStockVersions(
    shop,
    result.applied.map((m) => m.inventoryItemId),
  );
  return result;
}

export type ObservedLevel = { inventoryItemId: string; locationId: string; sku: string | null; variantId: string | null; title: string | null; q: Observed };

/**
 * Records Shopify's quantities for levels as observed at `at`. A change of on_hand is written to
 * the ledger as an `observe` movement (the WMS changed physical stock), so the ledger explains
 * on hand as well as reservations. An observation older than the one stored is ignored.
 * New levels get `safetyStock(item, location)`.
 */
export async function recordObservedLevels(
  shop: string,
  levels: readonly ObservedLevel[],
  at: Date,
  safetyStock: (inventoryItemId: string, locationId: string) => number,
): Promise<{ changed: string[] }> {
  const changed: string[] = [];
  const written: string[] = [];
  await db().$transaction(async (tx) => {
    // SQLite runs one writer at a time; on PostgreSQL, observations of one shop are serialised
    // here so two readers cannot both compute an on-hand delta from the same old value.
    if (onPostgres()) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`observe:${shop}`}))`;
    const existing = await tx.stockLevel.findMany({
      // By item (the unique index's prefix), then the pairs kept here: an OR of (item, location)
      // pairs made SQLite scan every level of the shop (~1.5 ms a read with 2,500 levels).
      where: { shop, inventoryItemId: { in: [...new Set(levels.map((l) => l.inventoryItemId))] } },
      select: {
        inventoryItemId: true,
        locationId: true,
        onHand: true,
        committed: true,
        unavailable: true,
        shopifyAvailable: true,
        heldBack: true,
        observedAt: true,
      },
    });
    const byKey = new Map(existing.map((e) => [`${e.inventoryItemId}|${e.locationId}`, e]));
    const stamp = at.toISOString();
    const updates: ObservedLevel[] = [];
    for (const l of [...levels].sort(compareLevels)) {
      const prev = byKey.get(`${l.inventoryItemId}|${l.locationId}`);
      if (prev?.observedAt && prev.observedAt > at) continue;
      written.push(l.inventoryItemId);
      const facts = {
        onHand: l.q.onHand,
        committed: l.q.committed,
        unavailable: l.q.unavailable,
        shopifyAvailable: l.q.available,
        heldBack: l.q.heldBack,
        observedAt: at,
        shopifyAsOf: knownUpTo(at),
      };
      const onHandDelta = l.q.onHand - (prev?.onHand ?? 0);
      if (onHandDelta !== 0) {
        await tx.stockMovement.create({
          data: {
            shop,
            inventoryItemId: l.inventoryItemId,
            locationId: l.locationId,
            kind: "observe",
            onHandDelta,
            idempotencyKey: `observe:${stamp}:${prev?.onHand ?? 0}->${l.q.onHand}`,
            reference: null,
            actor: "shopify:inventory",
            at,
          },
        });
      }
      const descr = { ...(l.sku ? { sku: l.sku } : {}), ...(l.variantId ? { variantId: l.variantId } : {}), ...(l.title ? { title: l.title } : {}) };
      if (!prev) {
        await tx.stockLevel.create({
          data: {
            shop,
            inventoryItemId: l.inventoryItemId,
            locationId: l.locationId,
            ...descr,
            ...facts,
            safetyStock: safetyStock(l.inventoryItemId, l.locationId),
          },
        });
      } else updates.push(l);
      if (
        !prev ||
        onHandDelta !== 0 ||
        prev.committed !== l.q.committed ||
        prev.unavailable !== l.q.unavailable ||
        prev.shopifyAvailable !== l.q.available ||
        prev.heldBack !== l.q.heldBack
      )
        changed.push(l.inventoryItemId);
    }
    for (let i = 0; i < updates.length; i += 200) await writeObservations(tx, shop, updates.slice(i, i + 200), at);
  });
  // After the commit (a fresh observation changes ATP under a stale-feed policy even when the quantities do not).
  await bumpStockVersions(shop, written);
  // Every level observed is held now (created, or there already): a reservation need not look for it.
  noteKnownLevels(shop, new Set(levels.map((l) => `${l.inventoryItemId}|${l.locationId}`)));
  return { changed: [...new Set(changed)] };
}

/**
 * Writes observed quantities (and the item's SKU and title when the read had them) to levels the
 * OMS holds, as one UPDATE … FROM for the batch (updateLevelsFrom) instead of one UPDATE per level.
 */
async function writeObservations(tx: Tx, shop: string, levels: readonly ObservedLevel[], at: Date): Promise<void> {
  if (!levels.length) return;
  await updateLevelsFrom(
    tx,
    shop,
    [
      ["onHand", "int"],
      ["committed", "int"],
      ["unavailable", "int"],
      ["available", "int"],
      ["heldBack", "int"],
      ["sku", "text"],
      ["variantId", "text"],
      ["title", "text"],
    ],
    levels.map((l) => [
      l.inventoryItemId,
      l.locationId,
      l.q.onHand,
      l.q.committed,
      l.q.unavailable,
      l.q.available,
      l.q.heldBack,
      l.sku || null,
      l.variantId || null,
      l.title || null,
    ]),
    (t) =>
      Prisma.sql`"onHand" = v."onHand", "committed" = v."committed", "unavailable" = v."unavailable", "shopifyAvailable" = v."available", "heldBack" = v."heldBack", ${Prisma.raw(
        `"sku" = COALESCE(v."sku", ${t}."sku"), "variantId" = COALESCE(v."variantId", ${t}."variantId"), "title" = COALESCE(v."title", ${t}."title")`,
      )}, "observedAt" = ${at}, "shopifyAsOf" = ${knownUpTo(at)}, "updatedAt" = ${at}`,
  );
}

/**
 * How long after the OMS writes what it read or pushed an inventory_levels/update can still be of
 * an earlier state: the read's own time in flight and the difference between Shopify's clock and
 * this one. A report is taken as newer than a read or push only if it is later than this.
 */
const REPORT_MARGIN_MS = 1000;

/** The Shopify time up to which a read or push written now (the job's `at`, or later) is known. */
function knownUpTo(at: Date): Date {
  return new Date(Math.max(at.getTime(), Date.now()) + REPORT_MARGIN_MS);
}

export type LevelConfirmation = LevelKey & { was: Observed; now: Observed; reportedAt: Date | null };

/**
 * Records levels confirmed instead of read (confirmedByReport): Shopify's available and committed
 * as the prediction implies them; from a report, known up to the report's time and observed now
 * (from the OMS's own releases alone, neither changes). One guarded UPDATE: a level whose
 * quantities changed since the flush looked at it, or which is known past the report (a read or a
 * push wrote it meanwhile), is left as that writer left it, and returned as not confirmed.
 */
export async function recordConfirmedLevels(shop: string, levels: readonly LevelConfirmation[], at: Date): Promise<Set<string>> {
  if (!levels.length) return new Set();
  const sorted = [...levels].sort(compareLevels);
  // One statement (on PostgreSQL it locks the rows in level order as it updates them): no transaction around it.
  const confirmed = await updateLevelsFrom(
    db(),
    shop,
    [
      ["available", "int"],
      ["committed", "int"],
      ["reportedAt", "timestamp"],
      ["wasOnHand", "int"],
      ["wasAvailable", "int"],
      ["wasCommitted", "int"],
      ["wasHeldBack", "int"],
      ["wasUnavailable", "int"],
    ],
    sorted.map((l) => [
      l.inventoryItemId,
      l.locationId,
      l.now.available,
      l.now.committed,
      l.reportedAt,
      l.was.onHand,
      l.was.available,
      l.was.committed,
      l.was.heldBack,
      l.was.unavailable,
    ]),
    (t) =>
      Prisma.sql`"shopifyAvailable" = v."available", "committed" = v."committed", ${Prisma.raw(
        `"shopifyAsOf" = COALESCE(v."reportedAt", ${t}."shopifyAsOf"), "observedAt" = CASE WHEN v."reportedAt" IS NULL THEN ${t}."observedAt" ELSE `,
      )}${at} END, "updatedAt" = ${at}`,
    (t) =>
      `${t}."onHand" = v."wasOnHand" AND ${t}."shopifyAvailable" = v."wasAvailable" AND ${t}."committed" = v."wasCommitted" AND ${t}."heldBack" = v."wasHeldBack" AND ${t}."unavailable" = v."wasUnavailable" AND (v."reportedAt" IS NULL OR ${t}."shopifyAsOf" < v."reportedAt")`,
  );
  await bumpStockVersions(
    shop,
    sorted.filter((l) => confirmed.has(levelKey(l))).map((l) => l.inventoryItemId),
  );
  return confirmed;
}

/** Test and seed helper: sets on hand as if observed, with its ledger entry. */
export async function observeOnHand(shop: string, inventoryItemId: string, locationId: string, sku: string | null, onHand: number, at: Date): Promise<void> {
  await recordObservedLevels(
    shop,
    [{ inventoryItemId, locationId, sku, variantId: null, title: null, q: { onHand, available: onHand, committed: 0, unavailable: 0, heldBack: 0 } }],
    at,
    () => 0,
  );
}

export function stockLevels(shop: string, where: { inventoryItemIds?: string[] } = {}) {
  return db().stockLevel.findMany({
    where: { shop, ...(where.inventoryItemIds ? { inventoryItemId: { in: where.inventoryItemIds } } : {}) },
    orderBy: [{ inventoryItemId: "asc" }, { locationId: "asc" }],
  });
}

/** Keyset pages over every level of a shop (for the full recompute and reconcile). */
export function stockLevelPage(shop: string, afterId: string | null, take: number) {
  return db().stockLevel.findMany({ where: { shop, ...(afterId ? { id: { gt: afterId } } : {}) }, orderBy: { id: "asc" }, take });
}

export async function markPushed(
  shop: string,
  levels: readonly { inventoryItemId: string; locationId: string; available: number; heldBack: number }[],
  at: Date,
): Promise<void> {
  await db().$transaction(
    [...levels].sort(compareLevels).map((l) =>
      db().stockLevel.update({
        where: { shop_inventoryItemId_locationId: { shop, inventoryItemId: l.inventoryItemId, locationId: l.locationId } },
        data: { shopifyAvailable: l.available, heldBack: l.heldBack, pushedAt: at, shopifyAsOf: knownUpTo(at) },
      }),
    ),
  );
}

export type LedgerSum = { inventoryItemId: string; locationId: string; reserved: number; onHand: number };

export async function ledgerSums(shop: string): Promise<LedgerSum[]> {
  const sums = await db().stockMovement.groupBy({ by: ["inventoryItemId", "locationId"], where: { shop }, _sum: { reservedDelta: true, onHandDelta: true } });
  return sums.map((s) => ({
    inventoryItemId: s.inventoryItemId,
    locationId: s.locationId,
    reserved: s._sum.reservedDelta ?? 0,
    onHand: s._sum.onHandDelta ?? 0,
  }));
}

/**
 * Balances whose `reserved` or `onHand` differs from the sum of their ledger. One statement, so the
 * balances and the ledger are read at one instant: a reservation committing between two separate
 * reads (balances first, then the ledger) would show as drift that is not there.
 */
export async function ledgerDrift(
  shop: string,
): Promise<{ inventoryItemId: string; locationId: string; reserved: number; ledger: number; onHand: number; ledgerOnHand: number }[]> {
  const rows = await db().$queryRaw<
    {
      inventoryItemId: string;
      locationId: string;
      reserved: number | bigint;
      ledger: number | bigint;
      onHand: number | bigint;
      ledgerOnHand: number | bigint;
    }[]
  >`
    SELECT l."inventoryItemId", l."locationId", l."reserved", l."onHand",
           COALESCE(m."reserved", 0) AS "ledger", COALESCE(m."onHand", 0) AS "ledgerOnHand"
    FROM "StockLevel" l
    LEFT JOIN (
      SELECT "inventoryItemId", "locationId", SUM("reservedDelta") AS "reserved", SUM("onHandDelta") AS "onHand"
      FROM "StockMovement" WHERE "shop" = ${shop} GROUP BY "inventoryItemId", "locationId"
    ) m ON m."inventoryItemId" = l."inventoryItemId" AND m."locationId" = l."locationId"
    WHERE l."shop" = ${shop}
      AND (l."reserved" <> COALESCE(m."reserved", 0) OR l."onHand" <> COALESCE(m."onHand", 0))
    ORDER BY l."inventoryItemId", l."locationId"`;
  return rows.map((r) => ({
    inventoryItemId: r.inventoryItemId,
    locationId: r.locationId,
    reserved: Number(r.reserved),
    ledger: Number(r.ledger),
    onHand: Number(r.onHand),
    ledgerOnHand: Number(r.ledgerOnHand),
  }));
}

/** Orders that hold or may need reservations: every order with a ledger entry or an open group. */
export async function ordersWithReservations(shop: string): Promise<string[]> {
  const rows = await db().stockMovement.groupBy({ by: ["reference"], where: { shop, reference: { not: null } }, _sum: { reservedDelta: true } });
  return rows.filter((r) => (r._sum.reservedDelta ?? 0) !== 0).map((r) => r.reference!);
}

export async function movementsFor(shop: string, inventoryItemId: string, take = 50) {
  return db().stockMovement.findMany({ where: { shop, inventoryItemId }, orderBy: { at: "desc" }, take });
}

/** The levels that exist among `pairs` (item at location), with what stock-loss checks compare. */
export async function levelsAt(shop: string, pairs: readonly { inventoryItemId: string; locationId: string }[]) {
  if (!pairs.length) return [];
  const rows = await db().stockLevel.findMany({
    // By item (the unique index's prefix), then the pairs kept here (an OR of pairs scans the shop's levels).
    where: { shop, inventoryItemId: { in: [...new Set(pairs.map((p) => p.inventoryItemId))] } },
    select: LEVEL_SELECT,
  });
  const wanted = new Set(pairs.map((p) => `${p.inventoryItemId}|${p.locationId}`));
  return rows.filter((r) => wanted.has(`${r.inventoryItemId}|${r.locationId}`));
}

// Levels this process has seen in the database, per shop. A StockLevel row is never deleted (nothing
// deletes from the table: a shop's redaction erases its customers' data, not its stock), so a level
// seen once is there for good and need not be looked for again. Bounded: cleared when it grows large.
const knownLevels = new Map<string, Set<string>>();
let knownCount = 0;

/** The (item, location) pairs among `pairs` the OMS holds no level for yet. */
export async function missingLevels(
  shop: string,
  pairs: readonly { inventoryItemId: string; locationId: string }[],
): Promise<{ inventoryItemId: string; locationId: string }[]> {
  const key = (p: { inventoryItemId: string; locationId: string }) => `${p.inventoryItemId}|${p.locationId}`;
  const known = knownLevels.get(shop);
  const unknown = known ? pairs.filter((p) => !known.has(key(p))) : pairs;
  if (!unknown.length) return [];
  const have = new Set((await levelsAt(shop, unknown)).map(key));
  noteKnownLevels(shop, have);
  return unknown.filter((p) => !have.has(key(p)));
}

/** Levels this process has seen in the database (looked for, or written by an observation it committed). */
function noteKnownLevels(shop: string, keys: ReadonlySet<string>): void {
  if (knownCount + keys.size > 200_000) {
    knownLevels.clear();
    knownCount = 0;
  }
  const kept = knownLevels.get(shop) ?? new Set<string>();
  knownLevels.set(shop, kept);
  for (const k of keys) {
    if (kept.has(k)) continue;
    kept.add(k);
    knownCount++;
  }
}

export type LevelKey = { inventoryItemId: string; locationId: string };

/**
 * Asks for these levels to be re-read from Shopify (a later request for the same level wins): a
 * read, whatever a report of the level may say (StockReadRequest.needsRead).
 */
export async function requestLevelReads(shop: string, levels: readonly LevelKey[], at: Date): Promise<void> {
  await requestLevelReadsIn(db(), shop, levels, at, () => true);
}

/**
 * Read requests, one row per level (`needsRead`: a read whatever a report says; `expectedDelta`:
 * units the OMS's releases there give back to Shopify's available), added to any request waiting.
 */
async function requestLevelReadsIn(
  client: Db | Tx,
  shop: string,
  levels: readonly LevelKey[],
  at: Date,
  needsRead: (l: LevelKey) => boolean,
  expectedDelta: (l: LevelKey) => number = () => 0,
): Promise<number> {
  const unique = [...new Map(levels.map((l) => [`${l.inventoryItemId}|${l.locationId}`, l])).values()].sort(compareLevels);
  // One INSERT … ON CONFLICT for them all (rows in level order, as before), not one upsert per level.
  for (let i = 0; i < unique.length; i += 200) {
    const rows = unique
      .slice(i, i + 200)
      .map((l) => Prisma.sql`(${shop}, ${l.inventoryItemId}, ${l.locationId}, ${at}, 1, ${needsRead(l) ? 1 : 0} = 1, ${expectedDelta(l)})`);
    await client.$executeRaw`
      INSERT INTO "StockReadRequest" ("shop", "inventoryItemId", "locationId", "requestedAt", "version", "needsRead", "expectedDelta") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("shop", "inventoryItemId", "locationId") DO UPDATE SET "requestedAt" = excluded."requestedAt", "version" = "StockReadRequest"."version" + 1,
        "needsRead" = ("StockReadRequest"."needsRead" OR excluded."needsRead"), "expectedDelta" = "StockReadRequest"."expectedDelta" + excluded."expectedDelta"`;
  }
  return unique.length;
}

/** One inventory_levels/update: the level, the available it reports and Shopify's updated_at (null when the payload has none). */
export type LevelReportIn = LevelKey & { available: number | null; updatedAt: Date | null };

/**
 * inventory_levels/update read requests in one statement: a read is asked for at each level named,
 * unless every change reported there is an echo of the OMS's own push — the level's available is
 * exactly what a push since `echoSince` left there, which a read would only confirm. Each request
 * carries the level's newest report (by Shopify's updated_at; the newer of it and one already
 * waiting), by which the flush may confirm the level instead of reading it (confirmedByReport);
 * two reports of one instant that disagree, or one without its available or time, need a read.
 * One row per level, levels in order (PostgreSQL locks the requests as it inserts them). Returns
 * how many levels were asked for.
 */
export async function requestLevelReadsUnlessEcho(shop: string, reported: readonly LevelReportIn[], echoSince: Date, at: Date): Promise<number> {
  if (!reported.length) return 0;
  type Row = { i: string; l: string; echo: number | null; a: number | null; t: Date | null; needsRead: boolean };
  const byLevel = new Map<string, Row>();
  for (const r of reported) {
    const key = levelKey(r);
    const usable = r.available !== null && r.updatedAt !== null;
    const row = byLevel.get(key);
    if (!row) {
      byLevel.set(key, { i: r.inventoryItemId, l: r.locationId, echo: r.available, a: r.available, t: r.updatedAt, needsRead: !usable });
      continue;
    }
    // Every change at the level is an echo only if they all report the one available a push left.
    if (row.echo !== r.available) row.echo = null;
    if (!usable || !row.t) row.needsRead = true;
    else if (r.updatedAt!.getTime() > row.t.getTime()) Object.assign(row, { a: r.available, t: r.updatedAt });
    else if (r.updatedAt!.getTime() === row.t.getTime() && r.available !== row.a) row.needsRead = true;
  }
  const rows = [...byLevel.values()].sort((x, y) => compareLevels({ inventoryItemId: x.i, locationId: x.l }, { inventoryItemId: y.i, locationId: y.l }));
  const values = onPostgres()
    ? Prisma.sql`(VALUES ${Prisma.join(
        rows.map(
          (r) =>
            Prisma.sql`(${r.i}::text, ${r.l}::text, ${r.echo}::int, ${r.needsRead ? null : r.a}::int, ${r.needsRead ? null : r.t}::timestamp, ${r.needsRead ? 1 : 0}::int)`,
        ),
      )})`
    : Prisma.sql`(${Prisma.join(
        rows.map(
          (r) =>
            Prisma.sql`SELECT ${r.i} AS "i", ${r.l} AS "l", ${r.echo} AS "e", ${r.needsRead ? null : r.a} AS "a", ${r.needsRead ? null : r.t} AS "t", ${r.needsRead ? 1 : 0} AS "n"`,
        ),
        " UNION ALL ",
      )})`;
  const order = onPostgres() ? Prisma.raw(`v."i" COLLATE "C", v."l" COLLATE "C"`) : Prisma.raw(`v."i", v."l"`);
  // The waiting request's report stays unless this one is later (a report without a time is no report).
  const newer = Prisma.raw(`("StockReadRequest"."reportedAt" IS NULL OR excluded."reportedAt" > "StockReadRequest"."reportedAt")`);
  return db().$executeRaw`
    INSERT INTO "StockReadRequest" ("shop", "inventoryItemId", "locationId", "requestedAt", "version", "reportedAvailable", "reportedAt", "needsRead")
    SELECT ${shop}, v."i", v."l", ${at}, 1, v."a", v."t", v."n" = 1
    FROM ${values} AS v${onPostgres() ? Prisma.raw(` ("i", "l", "e", "a", "t", "n")`) : Prisma.empty}
    WHERE NOT EXISTS (
      SELECT 1 FROM "StockLevel" s
      WHERE s."shop" = ${shop} AND s."inventoryItemId" = v."i" AND s."locationId" = v."l"
        AND s."pushedAt" > ${echoSince} AND s."shopifyAvailable" = v."e")
    ORDER BY ${order}
    ON CONFLICT ("shop", "inventoryItemId", "locationId") DO UPDATE SET "requestedAt" = excluded."requestedAt", "version" = "StockReadRequest"."version" + 1,
      "reportedAvailable" = CASE WHEN ${newer} THEN excluded."reportedAvailable" ELSE "StockReadRequest"."reportedAvailable" END,
      "reportedAt" = CASE WHEN ${newer} THEN excluded."reportedAt" ELSE "StockReadRequest"."reportedAt" END,
      "needsRead" = ("StockReadRequest"."needsRead" OR excluded."needsRead" OR COALESCE(
        excluded."reportedAt" = "StockReadRequest"."reportedAt" AND excluded."reportedAvailable" <> "StockReadRequest"."reportedAvailable", false))`;
}

/** One inventory_levels/update's read request (`requestLevelReadsUnlessEcho` for one level): whether a read was asked for. */
export async function requestLevelReadUnlessEcho(shop: string, report: LevelReportIn, echoSince: Date, at: Date): Promise<boolean> {
  return (await requestLevelReadsUnlessEcho(shop, [report], echoSince, at)) > 0;
}

/**
 * The levels an order's movements changed since the last flush (StockMovement.awaitingRead),
 * turned into read requests: the marks cleared and the requests written in one transaction, so a
 * flush that dies before its commit leaves the marks for the next one, and one that commits has
 * the requests (served, as every request, only by a read that began after them). Two flushes of a
 * shop at once take disjoint movements (the UPDATE locks the rows it clears). Returns how many
 * levels were asked for.
 */
export async function adoptMovementReads(shop: string, at: Date): Promise<number> {
  return db().$transaction(async (tx) => {
    const marked = await tx.$queryRaw<(LevelKey & { kind: string; reservedDelta: number })[]>`
      UPDATE "StockMovement" SET "awaitingRead" = false
      WHERE "shop" = ${shop} AND "awaitingRead" = true
      RETURNING "inventoryItemId", "locationId", "kind", "reservedDelta"`;
    if (!marked.length) return 0;
    // A reservation or its release leaves on hand as it was; a consumption (a fulfilment) takes
    // units off Shopify's on hand, which no report tells: the level is read. A release gives its
    // units back to Shopify's available (confirmedByReport says when that is relied on).
    const consumed = new Set(marked.filter((m) => m.kind !== "reserve" && m.kind !== "release").map(levelKey));
    const released = new Map<string, number>();
    for (const m of marked) if (m.kind === "release") released.set(levelKey(m), (released.get(levelKey(m)) ?? 0) - Number(m.reservedDelta));
    return requestLevelReadsIn(
      tx,
      shop,
      marked,
      at,
      (l) => consumed.has(levelKey(l)),
      (l) => released.get(levelKey(l)) ?? 0,
    );
  });
}

/** Levels still to be read: requests, and movements no flush has taken yet (settled when both are none). */
export async function outstandingLevelReads(shop?: string): Promise<number> {
  const where = shop ? { shop } : {};
  const [requests, movements] = await Promise.all([
    db().stockReadRequest.count({ where }),
    db().stockMovement.count({ where: { ...where, awaitingRead: true } }),
  ]);
  return requests + movements;
}

/** The oldest `take` levels waiting to be re-read. */
export function pendingLevelReads(shop: string, take: number) {
  return db().stockReadRequest.findMany({ where: { shop }, orderBy: { requestedAt: "asc" }, take });
}

/** Marks requests as served by a read that began after them; a request made since (a higher version) stays. */
export async function clearLevelReads(shop: string, served: readonly (LevelKey & { version: number })[]): Promise<void> {
  // One DELETE per hundred requests (each matched on its own version), not one per request.
  for (let i = 0; i < served.length; i += 100) {
    const chunk = served.slice(i, i + 100);
    await db().stockReadRequest.deleteMany({
      where: { shop, OR: chunk.map((r) => ({ inventoryItemId: r.inventoryItemId, locationId: r.locationId, version: r.version })) },
    });
  }
}
