// The refund race on PostgreSQL: eight transactions on separate pooled connections under READ
// COMMITTED. What stops over-refunding is the guarded UPDATE on OrderMoney, not a database-wide lock.
import { afterAll, beforeAll, describe, it } from "vitest";
import { db } from "~/.server/db/client";
import { createPgTestSchema, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";
import { refundRace, refundRaceWithExchange } from "./helpers/refund-race";

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`refund-concurrency-pg skipped: ${unavailable}`);

describe.skipIf(unavailable)("refunds under contention on PostgreSQL", () => {
  let pg: PgTestSchema;
  const sqliteUrl = process.env.DATABASE_URL;
  beforeAll(async () => {
    pg = await createPgTestSchema();
    // db() reads DATABASE_URL on first use; nothing in this file has used it yet.
    process.env.DATABASE_URL = pg.url;
    const [where] = await db().$queryRaw<{ schema: string }[]>`SELECT current_schema()::text AS schema`;
    if (where?.schema !== pg.schema) throw new Error(`db() is not on the test schema ${pg.schema}`);
  });
  afterAll(async () => {
    await db().$disconnect();
    await pg?.drop();
    process.env.DATABASE_URL = sqliteUrl;
  });
  it("eight staff refunding 30.00 of 100.00 at once on separate connections: three go through, five are refused with the numbers", async () => {
    await refundRace(`pg-${Date.now()}`);
  });
  it("with 40.00 of exchange items held against the order: two of the eight fit, the refusal names the exchange", async () => {
    await refundRaceWithExchange(`pg-exchange-${Date.now()}`);
  });
});
