// Issue 15's guarded writes on PostgreSQL, where transactions really run at once (READ COMMITTED):
// two people releasing the same held order, admins saving the order policy or a role together,
// workers claiming the same shipment's capture, two syncs applying the release rules to one order.
// Each race has exactly one winner; the losers change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { orderPolicy, saveOrderPolicy } from "~/.server/db/order-policy";
import { claimCapture } from "~/.server/db/payments";
import { moveForRelease } from "~/.server/db/release";
import { setStaffRole } from "~/.server/db/staff";
import { closeQueues } from "~/.server/queue/queues";
import { DEFAULT_ORDER_POLICY } from "~/domain/order/policy";
import { createPgTestSchema, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";

const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`release-concurrency-pg skipped: ${unavailable}`);
const SHOP = "race.myshopify.com";
const N = 8;

describe.skipIf(unavailable)("release, policy, roles and captures under contention on PostgreSQL", () => {
  let pg: PgTestSchema;
  const sqliteUrl = process.env.DATABASE_URL;

  beforeAll(async () => {
    pg = await createPgTestSchema();
    process.env.DATABASE_URL = pg.url;
    const [where] = await db().$queryRaw<{ schema: string }[]>`SELECT current_schema()::text AS schema`;
    if (where?.schema !== pg.schema) throw new Error(`db() is not on the test schema ${pg.schema}`);
  });
  afterAll(async () => {
    await closeQueues();
    await db().$disconnect();
    await pg?.drop();
    process.env.DATABASE_URL = sqliteUrl;
  });

  const heldOrder = (n: number) =>
    db().order.create({
      data: {
        shop: SHOP,
        channel: "online_store",
        sourceId: `gid://shopify/Order/${n}`,
        name: `#${n}`,
        state: "on_hold",
        holdRule: "high_risk",
        holdReason: "high risk",
        currency: "USD",
        totalMinor: 5000n,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });

  it(`${N} people releasing one held order: one release, one timeline entry, one audit`, async () => {
    // Imported only now: its import chain reaches shopify.server.ts, whose session storage opens db() at load.
    const { releaseHeldOrder } = await import("~/.server/services/release/release-held-order");
    const order = await heldOrder(1);
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => releaseHeldOrder(SHOP, order.id, { shop: SHOP, userId: String(i), actor: `user:${i}` }, "", new Date())),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(
      results
        .filter((r) => !r.ok)
        .map((r) => (r.ok ? "" : r.error.code))
        .every((c) => c === "CHANGED_MEANWHILE" || c === "NOT_HELD_FOR_A_PERSON"),
    ).toBe(true);
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { shop: SHOP, subject: "order-release" } })).toBe(1);
    expect(await db().order.findUnique({ where: { id: order.id } })).toMatchObject({ state: "released", holdRule: "released_by_person" });
  });

  it(`${N} syncs applying the release rules to one order from the same state: one moves it`, async () => {
    const order = await db().order.create({
      data: {
        shop: SHOP,
        channel: "online_store",
        sourceId: "gid://shopify/Order/2",
        name: "#2",
        state: "received",
        currency: "USD",
        totalMinor: 5000n,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });
    const p = { at: new Date(), actor: "oms:release-rules", source: "oms" as const, deliveryId: null };
    const moved = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        moveForRelease(
          order.id,
          SHOP,
          { state: "received", holdRule: null },
          "on_hold",
          { holdRule: "value", holdReason: "above the limit", releaseAfter: null },
          [{ kind: "transition", summary: "received → on_hold", fromState: "received", toState: "on_hold", owner: "oms", dedupeKey: `hold:value@${i}` }],
          p,
        ),
      ),
    );
    expect(moved.filter(Boolean)).toHaveLength(1);
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(1);
  });

  it(`${N} syncs of one received order running the release gate at once: every one of them routes it (none answers "not moved, do not route")`, async () => {
    // Found by the cluster benchmark (2 web + 4 workers): two syncs of one order read it "received",
    // one released it, the other's guarded write found it moved and answered route: false; the sync
    // whose fulfilment orders were the newer was that one, so nobody recorded progress or routed it.
    const { applyReleaseGate } = await import("~/.server/services/release/release-gate");
    const order = await db().order.create({
      data: {
        shop: SHOP,
        channel: "online_store",
        sourceId: "gid://shopify/Order/3",
        name: "#3",
        state: "received",
        currency: "USD",
        totalMinor: 5000n,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });
    const gate = { financialStatus: "paid", risk: null, paymentTerms: null, scheduledUntil: null };
    const groups = [
      {
        sourceId: "gid://shopify/FulfillmentOrder/3",
        status: "OPEN",
        requestStatus: "UNSUBMITTED",
        locationId: "gid://shopify/Location/1",
        locationName: "Warehouse",
        lines: [{ lineItemId: "gid://shopify/LineItem/3", sku: "A", quantity: 1, remaining: 1 }],
      },
    ];
    const outcomes = await Promise.all(Array.from({ length: N }, () => applyReleaseGate(SHOP, order.id, gate, groups, new Date())));
    expect(outcomes.map((o) => [o.state, o.route, o.verdict])).toEqual(Array.from({ length: N }, () => ["released", true, "release"]));
    expect(await db().orderEvent.count({ where: { orderId: order.id, toState: "released" } })).toBe(1);
  });

  it(`${N} admins saving the first order policy, then ${N} saving from one version: one wins each time, each audited once`, async () => {
    const saves = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        saveOrderPolicy(SHOP, 0, DEFAULT_ORDER_POLICY, { ...DEFAULT_ORDER_POLICY, authorizationWarnHours: 10 + i }, `user:${i}`, "settings.edit", new Date()),
      ),
    );
    expect(saves.filter(Boolean)).toHaveLength(1);
    const { version, ...current } = await orderPolicy(SHOP);
    expect(version).toBe(1);
    const again = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        saveOrderPolicy(SHOP, version, current, { ...current, captureMode: i % 2 ? "on_shipment" : "automatic" }, `user:${i}`, "settings.edit", new Date()),
      ),
    );
    expect(again.filter(Boolean)).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { shop: SHOP, subject: "order-policy" } })).toBe(2);
  });

  it(`${N} admins giving one member a role at once: one change`, async () => {
    const r = await Promise.all(Array.from({ length: N }, (_, i) => setStaffRole(SHOP, "77", null, i % 2 ? "viewer" : "admin", `user:${i}`, new Date())));
    expect(r.filter(Boolean)).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { shop: SHOP, subject: "staff-role" } })).toBe(1);
  });

  it(`${N} workers claiming one shipment's capture: one claim`, async () => {
    const claims = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        claimCapture({
          shop: SHOP,
          orderId: "o",
          captureKey: "gid://shopify/Fulfillment/9",
          parentTransactionId: "gid://shopify/OrderTransaction/1",
          amountMinor: 2400n,
          currency: "USD",
          actor: `worker:${i}`,
          at: new Date(),
        }),
      ),
    );
    expect(claims.filter((c) => c.claimed)).toHaveLength(1);
    expect(await db().paymentCapture.count()).toBe(1);
  });
});
