// Changes after purchase on PostgreSQL: a staff intent runs once however many requests carry its
// key at the same moment (a double click reaching two web processes), a waiting request is settled
// by one answer only, and a location goes offline once. PostgreSQL runs these writes concurrently
// (READ COMMITTED, a pool of connections): the unique key and the guarded updates decide.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimChangeRequest, setLocationOffline, settleChangeRequest } from "~/.server/db/changes";
import { db } from "~/.server/db/client";
import { runChangeOnce } from "~/.server/services/changes/run-change";
import { createPgTestSchema, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`changes-pg skipped: ${unavailable}`);
const SHOP = "changes-pg.myshopify.com";

describe.skipIf(unavailable)("changes after purchase under contention on PostgreSQL", () => {
  let pg: PgTestSchema;
  const sqliteUrl = process.env.DATABASE_URL;
  let orderId = "";

  beforeAll(async () => {
    pg = await createPgTestSchema();
    process.env.DATABASE_URL = pg.url;
    const [where] = await db().$queryRaw<{ schema: string }[]>`SELECT current_schema()::text AS schema`;
    if (where?.schema !== pg.schema) throw new Error(`db() is not on the test schema ${pg.schema}`);
    const o = await db().order.create({
      data: {
        shop: SHOP,
        channel: "online_store",
        sourceId: "gid://shopify/Order/1",
        name: "#1001",
        state: "sourced",
        currency: "USD",
        totalMinor: 1000n,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });
    orderId = o.id;
  });

  afterAll(async () => {
    await db().$disconnect();
    await pg?.drop();
    process.env.DATABASE_URL = sqliteUrl;
  });

  it("twenty requests with one key at once: one runs the work, nineteen get its outcome", async () => {
    let ran = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        runChangeOnce(
          { shop: SHOP, orderId, action: "cancel_order", idempotencyKey: "double-click", input: {}, actor: "user:1", now: new Date() },
          async () => {
            ran++;
            await new Promise((r) => setTimeout(r, 50));
            return { status: "done", message: "Cancelled" };
          },
        ),
      ),
    );
    expect(ran).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(await db().changeRequest.count({ where: { shop: SHOP, idempotencyKey: "double-click" } })).toBe(1);
    expect((await db().changeRequest.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: "double-click" } })).status).toBe("done");
    // The order's lease was given back: the next change can run.
    expect((await db().order.findUniqueOrThrow({ where: { id: orderId } })).sourcingClaimedUntil).toBeNull();
  });

  it("two different intents at once on one order: one after the other, never both at once", async () => {
    let running = 0;
    let overlapped = false;
    const work = async () => {
      running++;
      if (running > 1) overlapped = true;
      await new Promise((r) => setTimeout(r, 100));
      running--;
      return { status: "done" as const, message: "ok" };
    };
    const [a, b] = await Promise.all([
      runChangeOnce({ shop: SHOP, orderId, action: "cancel_line", idempotencyKey: "intent-a", input: {}, actor: "user:1", now: new Date() }, work),
      runChangeOnce({ shop: SHOP, orderId, action: "change_address", idempotencyKey: "intent-b", input: {}, actor: "user:2", now: new Date() }, work),
    ]);
    expect(overlapped).toBe(false);
    // The second waits for the order's sourcing lease (a few seconds at most) and then runs.
    expect([a.status, b.status]).toEqual(["done", "done"]);
  });

  it("a waiting request is settled by one answer only; concurrent claims of one key create one row", async () => {
    const claims = await Promise.all(
      Array.from({ length: 10 }, () => claimChangeRequest(SHOP, { orderId, action: "cancel_order", idempotencyKey: "waiting-1", input: {}, actor: "user:1" })),
    );
    expect(claims.filter((c) => c.fresh)).toHaveLength(1);
    const id = claims[0]!.row.id;
    await db().changeRequest.update({ where: { id }, data: { status: "waiting" } });
    const settled = await Promise.all(Array.from({ length: 10 }, (_, i) => settleChangeRequest(id, "waiting", i % 2 ? "done" : "refused", { i })));
    expect(settled.filter(Boolean)).toHaveLength(1);
  });

  it("a location taken offline by several people at once goes offline once, audited once", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => setLocationOffline(SHOP, "gid://shopify/Location/9", true, `closed ${i}`, `user:${i}`, new Date())),
    );
    expect(results.filter((r) => r === true)).toHaveLength(1);
    expect(results.filter((r) => r === false)).toHaveLength(7);
    expect(await db().auditEvent.count({ where: { shop: SHOP, subject: "location-availability" } })).toBe(1);
  });
});
