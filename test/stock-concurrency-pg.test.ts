// The reservation race of stock-concurrency.test.ts on PostgreSQL: separate processes, each with
// its own connection pool, reserving the last units in a fresh schema. SQLite serialises writers
// (BEGIN IMMEDIATE); PostgreSQL runs these transactions concurrently under READ COMMITTED, so this
// is what shows the guarded UPDATE, not a database-wide lock, is what prevents overselling.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { isUniqueViolation } from "~/.server/db/orders";
import { ledgerDrift, observeOnHand, stockLevels } from "~/.server/db/stock";
import { releaseLines, reserveLines } from "~/.server/services/reserve-stock";
import { createPgTestSchema, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";

const run = promisify(execFile);
// The worker's shop, items and locations (test/helpers/reserve-worker.ts).
const SHOP = "race.myshopify.com";
const ITEMS = ["gid://shopify/InventoryItem/1", "gid://shopify/InventoryItem/2", "gid://shopify/InventoryItem/3"];
const LOCATIONS = ["gid://shopify/Location/10", "gid://shopify/Location/20"];
const WORKERS = 6;
const ATTEMPTS = 30;

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`stock-concurrency-pg skipped: ${unavailable}`);

describe.skipIf(unavailable)("stock reservations under contention on PostgreSQL", () => {
  let pg: PgTestSchema;
  const sqliteUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    pg = await createPgTestSchema();
    // db() reads DATABASE_URL on first use; nothing in this file has used it yet.
    process.env.DATABASE_URL = pg.url;
    const [where] = await db().$queryRaw<{ schema: string }[]>`SELECT current_schema()::text AS schema`;
    if (where?.schema !== pg.schema) throw new Error(`db() is not on the test schema ${pg.schema} (it is on ${where?.schema ?? "SQLite?"})`);
  });

  afterAll(async () => {
    await db().$disconnect();
    await pg?.drop();
    process.env.DATABASE_URL = sqliteUrl;
  });

  it(`${WORKERS} processes racing for the last units never oversell, and the ledger equals the balances`, { timeout: 120_000 }, async () => {
    for (const item of ITEMS) for (const loc of LOCATIONS) await observeOnHand(SHOP, item, loc, null, 6, new Date());
    await db().stockLevel.updateMany({ where: { shop: SHOP, inventoryItemId: ITEMS[2] }, data: { safetyStock: 2 } });

    const worker = path.resolve(__dirname, "helpers/reserve-worker.ts");
    const env = { ...process.env, DATABASE_URL: pg.url };
    const outputs = await Promise.all(
      Array.from({ length: WORKERS }, (_, i) => run(process.execPath, ["--no-warnings", "--import", "tsx", worker, String(i), String(ATTEMPTS)], { env, cwd: path.resolve(__dirname, "..") })),
    );
    const granted = outputs.flatMap((o) => o.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { inventoryItemId: string; locationId: string; quantity: number }[]));

    const levels = await stockLevels(SHOP);
    expect(levels).toHaveLength(ITEMS.length * LOCATIONS.length);
    for (const l of levels) {
      expect(l.reserved, `${l.inventoryItemId} at ${l.locationId}`).toBeLessThanOrEqual(l.onHand - l.safetyStock);
      const sum = granted.flat().filter((g) => g.inventoryItemId === l.inventoryItemId && g.locationId === l.locationId).reduce((n, g) => n + g.quantity, 0);
      expect(l.reserved, `${l.inventoryItemId} at ${l.locationId}: granted`).toBe(sum);
    }
    // The race was real: some reservations won, others were refused, and stock ran out somewhere.
    expect(granted.length).toBeGreaterThan(5);
    expect(granted.length).toBeLessThan(WORKERS * ATTEMPTS);
    expect(levels.some((l) => l.onHand - l.safetyStock - l.reserved === 0)).toBe(true);
    expect(await ledgerDrift(SHOP)).toEqual([]);
  });

  it("a replayed reservation or release changes nothing; a release never takes reserved below zero", async () => {
    const shop = "replay.myshopify.com";
    await observeOnHand(shop, ITEMS[0]!, LOCATIONS[0]!, "TEE", 3, new Date());
    const line = [{ inventoryItemId: ITEMS[0]!, locationId: LOCATIONS[0]!, quantity: 2 }];
    expect(await reserveLines(shop, "reserve:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: false } });
    expect(await reserveLines(shop, "reserve:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: true } });
    expect(await reserveLines(shop, "reserve:o2", "o2", line, new Date())).toEqual({ ok: false, error: { code: "INSUFFICIENT_STOCK", inventoryItemId: ITEMS[0], locationId: LOCATIONS[0], requested: 2 } });
    expect(await releaseLines(shop, "release:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: false } });
    expect(await releaseLines(shop, "release:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: true } });
    expect((await releaseLines(shop, "release:o9", "o9", line, new Date())).ok).toBe(false);
    const [level] = await stockLevels(shop);
    expect(level).toMatchObject({ onHand: 3, reserved: 0 });
    expect(await ledgerDrift(shop)).toEqual([]);
  });

  it("the PostgreSQL client's errors are @prisma/client's classes (isUniqueViolation works)", async () => {
    // The generated client shares @prisma/client's runtime (dev/prisma-postgres.mjs, shareRuntime).
    const movement = { shop: "errors.myshopify.com", inventoryItemId: ITEMS[0]!, locationId: LOCATIONS[0]!, kind: "adjust", idempotencyKey: "k", at: new Date() };
    await db().stockMovement.create({ data: movement });
    const duplicate = await db().stockMovement.create({ data: movement }).catch((e: unknown) => e);
    expect(isUniqueViolation(duplicate)).toBe(true);
  });

  it("concurrent observations of one level (a first sighting included) leave on hand explained by the ledger", async () => {
    const shop = "observe-race.myshopify.com";
    const base = Date.now();
    // Ten observations of a level nobody has seen yet, racing each other on separate connections.
    await Promise.all(Array.from({ length: 10 }, (_, i) => observeOnHand(shop, ITEMS[0]!, LOCATIONS[0]!, "TEE", 10 + i, new Date(base + i))));
    const [level] = await stockLevels(shop);
    // Whatever order they committed in, the newest observation wins and the ledger explains it.
    expect(level!.onHand).toBe(19);
    expect(await ledgerDrift(shop)).toEqual([]);
  });
});
