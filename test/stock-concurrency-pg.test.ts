// The reservation race of stock-concurrency.test.ts on PostgreSQL: separate processes, each with
// its own connection pool, reserving the last units in a fresh schema. SQLite serialises writers
// (BEGIN IMMEDIATE); PostgreSQL runs these transactions concurrently under READ COMMITTED, so this
// is what shows the guarded UPDATE, not a database-wide lock, is what prevents overselling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { isUniqueViolation } from "~/.server/db/orders";
import { ledgerDrift, observeOnHand, stockLevels } from "~/.server/db/stock";
import { createPgTestSchema, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";
import { ITEMS, LOCATIONS } from "./helpers/race-world";
const WORKERS = 6;
const ATTEMPTS = 30;

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`stock-concurrency-pg skipped: ${unavailable}`);

describe.skipIf(unavailable)("stock reservations under contention on PostgreSQL", () => {
  let pg: PgTestSchema;
  // Loaded once DATABASE_URL names the test schema: they import the app (shopify.server.ts opens db() as it loads).
  let scenarios: typeof import("./helpers/stock-scenarios");
  const sqliteUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    pg = await createPgTestSchema();
    // db() reads DATABASE_URL on first use; nothing in this file has used it yet.
    process.env.DATABASE_URL = pg.url;
    const [where] = await db().$queryRaw<{ schema: string }[]>`SELECT current_schema()::text AS schema`;
    if (where?.schema !== pg.schema) throw new Error(`db() is not on the test schema ${pg.schema} (it is on ${where?.schema ?? "SQLite?"})`);
    scenarios = await import("./helpers/stock-scenarios");
  });

  afterAll(async () => {
    await db().$disconnect();
    await pg?.drop();
    process.env.DATABASE_URL = sqliteUrl;
  });

  it(
    `${WORKERS} processes re-reading and re-checking the same orders never oversell; each order holds only what its groups owe; the drift check never sees drift`,
    { timeout: 120_000 },
    async () => {
      await scenarios.expectRaceNeverOversells(WORKERS, ATTEMPTS, { ...process.env, DATABASE_URL: pg.url });
    },
  );

  it("an older read of an order's fulfilment orders answering after a newer one changes neither the groups nor the reservations", async () => {
    await scenarios.expectOlderReadNeverOverwrites();
  });

  it("a replayed reservation or release changes nothing; a release never takes reserved below zero", async () => {
    await scenarios.expectReplaysChangeNothing();
  });

  it("several lines of one read are each judged on their own level; a move releases and reserves together", async () => {
    await scenarios.expectEachLineJudgedOnItsOwn();
  });

  it("a fulfilment order moved whole is written from the move's answer, unless a later-started read wrote first", async () => {
    await scenarios.expectWholeMoveFromAnswer();
  });

  it("entries racing onto one order's timeline with one dedupe key: recorded once, and no writer's transaction fails", async () => {
    const { recordTimeline } = await import("~/.server/db/orders");
    const orderId = await scenarios.seedOrder("timeline-race.myshopify.com", 1);
    const entry = { kind: "note" as const, summary: "Sourced by the OMS", fromState: null, toState: null, owner: "oms" as const, dedupeKey: "sourcing:live" };
    const p = { at: new Date(), actor: "test", source: "oms" as const, deliveryId: null };
    const written = await Promise.all(Array.from({ length: 12 }, () => recordTimeline(orderId, "timeline-race.myshopify.com", [entry], p)));
    expect(written.reduce((n, w) => n + w, 0)).toBe(1);
    expect(await db().orderEvent.count({ where: { orderId, dedupeKey: "sourcing:live" } })).toBe(1);
  });

  it("the PostgreSQL client's errors are @prisma/client's classes (isUniqueViolation works)", async () => {
    // The generated client shares @prisma/client's runtime (dev/prisma-postgres.mjs, shareRuntime).
    const movement = {
      shop: "errors.myshopify.com",
      inventoryItemId: ITEMS[0]!,
      locationId: LOCATIONS[0]!,
      kind: "adjust",
      idempotencyKey: "k",
      at: new Date(),
    };
    await db().stockMovement.create({ data: movement });
    const duplicate = await db()
      .stockMovement.create({ data: movement })
      .catch((e: unknown) => e);
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
