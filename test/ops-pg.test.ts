// The operations writes on PostgreSQL, where transactions run concurrently (READ COMMITTED): several
// workers evaluating the same monitor raise each case once; a person resolving while the monitor
// clears ends resolved once; racing alert senders send one digest.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { applyWork } from "~/.server/db/exception-queue";
import { claimDigest, readDigest } from "~/.server/db/alert-digests";
import type { evaluateMonitor as EvaluateMonitor } from "~/.server/services/ops/evaluate-monitors";
import { createPgTestSchema, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`ops-pg skipped: ${unavailable}`);
const SHOP = "ops-pg.myshopify.com";
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe.skipIf(unavailable)("operations on PostgreSQL with several workers", () => {
  let pg: PgTestSchema;
  // Imported once db() is on the test schema (the Shopify adapter's session storage opens it on import).
  let evaluateMonitor: typeof EvaluateMonitor;
  let readThresholds: typeof import("~/.server/db/monitor-queries").readThresholds;
  const sqliteUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    pg = await createPgTestSchema();
    process.env.DATABASE_URL = pg.url;
    const [where] = await db().$queryRaw<{ schema: string }[]>`SELECT current_schema()::text AS schema`;
    if (where?.schema !== pg.schema) throw new Error(`db() is not on the test schema ${pg.schema}`);
    ({ evaluateMonitor } = await import("~/.server/services/ops/evaluate-monitors"));
    ({ readThresholds } = await import("~/.server/db/monitor-queries"));
    for (let i = 0; i < 20; i++) {
      await db().order.create({
        data: {
          shop: SHOP,
          channel: "online_store",
          sourceId: `gid://shopify/Order/${900 + i}`,
          name: `#${900 + i}`,
          state: i % 2 ? "received" : "released",
          currency: "USD",
          totalMinor: 100n,
          placedAt: minutesAgo(60 + i),
          sourceUpdatedAt: minutesAgo(60),
        },
      });
    }
  });

  afterAll(async () => {
    await db().$disconnect();
    await pg?.drop();
    process.env.DATABASE_URL = sqliteUrl;
  });

  it("eight workers evaluating the same monitor at once raise each stuck order once", async () => {
    const t = await readThresholds(SHOP);
    const runs = await Promise.all(Array.from({ length: 8 }, () => evaluateMonitor(SHOP, "stuck_before_allocation", t, new Date())));
    expect(runs.every((r) => !r.error)).toBe(true);
    const items = await db().opsException.findMany({ where: { shop: SHOP, kind: "stuck_before_allocation" } });
    expect(items).toHaveLength(20);
    expect(new Set(items.map((i) => i.subjectKey)).size).toBe(20);
    // Racing raisers count their occurrence on the one item; nothing is raised twice as a new item.
    expect(runs.reduce((n, r) => n + r.raised, 0)).toBeGreaterThanOrEqual(20);
  });

  it("a person resolving while the monitor clears: resolved once, by whoever came first, audited", async () => {
    await db().order.updateMany({ where: { shop: SHOP }, data: { state: "sourced" } });
    const ids = (await db().opsException.findMany({ where: { shop: SHOP, kind: "stuck_before_allocation" }, select: { id: true } })).map((r) => r.id);
    const t = await readThresholds(SHOP);
    const [changed] = await Promise.all([
      applyWork(SHOP, ids, { kind: "resolve", note: "routed by hand" }, { actor: "user:1", at: new Date(), summary: "bulk resolve" }),
      evaluateMonitor(SHOP, "stuck_before_allocation", t, new Date()),
      evaluateMonitor(SHOP, "stuck_before_allocation", t, new Date()),
    ]);
    const items = await db().opsException.findMany({ where: { shop: SHOP, kind: "stuck_before_allocation" } });
    expect(items.every((i) => i.status === "resolved")).toBe(true);
    const byPerson = items.filter((i) => i.resolvedBy === "user:1").length;
    expect(byPerson).toBe(changed.length);
    expect(items.filter((i) => i.resolvedBy === "oms:monitor").length).toBe(20 - byPerson);
    expect(await db().auditEvent.count({ where: { shop: SHOP, subject: "exception-queue" } })).toBe(changed.length ? 1 : 0);
  });

  it("ten senders claiming the same digest: one wins", async () => {
    const to = { watermark: new Date(), lastSentAt: new Date() };
    const first = await Promise.all(Array.from({ length: 10 }, () => claimDigest(SHOP, "email", null, to)));
    expect(first.filter(Boolean)).toHaveLength(1);
    const state = await readDigest(SHOP, "email");
    const next = { watermark: new Date(to.watermark.getTime() + 1000), lastSentAt: new Date(to.lastSentAt.getTime() + 1000) };
    const second = await Promise.all(Array.from({ length: 10 }, () => claimDigest(SHOP, "email", state, next)));
    expect(second.filter(Boolean)).toHaveLength(1);
  });
});
