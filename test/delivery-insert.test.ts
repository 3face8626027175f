// The acknowledgement's INSERT goes around Prisma (straight on SQLite's connection, or PostgreSQL's
// pool as a prepared statement): what it stores must read back through Prisma exactly as given —
// every column, millisecond timestamps in UTC — and a second delivery of the same webhook id is
// not stored twice. Runs on SQLite and on PostgreSQL (OMS_TEST_DATABASE).
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { insertDelivery } from "~/.server/db/webhook-deliveries";

describe("storing a delivery on the acknowledgement path", () => {
  it("stores every field as given and reads back the same instants; the same webhook id again stores nothing", async () => {
    const shop = `insert-${Date.now().toString(36)}.myshopify.com`;
    const triggeredAt = new Date("2026-11-30T23:59:58.123Z");
    const receivedAt = new Date("2026-12-01T00:00:01.456Z");
    const delivery = {
      shop,
      topic: "orders/create",
      webhookId: "wh-1",
      eventId: "ev-1",
      apiVersion: "2026-04",
      triggeredAt,
      headers: { "x-shopify-topic": "orders/create", "x-shopify-shop-domain": shop },
      body: '{"id":1,"note":"ünïcødé \\u0000-free"}',
      status: "rejected" as const,
      error: "payload does not match orders/create",
    };
    const stored = await insertDelivery(delivery, receivedAt);
    expect(stored).not.toBeNull();
    const row = await db().webhookDelivery.findUniqueOrThrow({ where: { id: stored!.id }, include: { payload: true } });
    expect(row).toMatchObject({
      shop,
      topic: "orders/create",
      webhookId: "wh-1",
      eventId: "ev-1",
      apiVersion: "2026-04",
      status: "rejected",
      error: delivery.error,
      attempts: 0,
    });
    // The body, in a table of its own, byte for byte.
    expect(row.payload?.body).toBe(delivery.body);
    expect(JSON.parse(row.headers)).toEqual(delivery.headers);
    expect(row.triggeredAt?.toISOString()).toBe(triggeredAt.toISOString());
    expect(row.receivedAt.toISOString()).toBe(receivedAt.toISOString());

    expect(await insertDelivery({ ...delivery, body: "{}" }, new Date())).toBeNull();
    expect(await db().webhookDelivery.count({ where: { shop } })).toBe(1);
    // The repeat wrote no body either: the first one's stays, and there is one.
    expect(await db().webhookDeliveryBody.findMany({ where: { delivery: { shop } }, select: { body: true } })).toEqual([{ body: delivery.body }]);
    // No trigger time (a delivery without the header) is stored as none.
    const other = await insertDelivery({ ...delivery, webhookId: "wh-2", triggeredAt: null, eventId: null, error: null, status: "received" });
    const second = await db().webhookDelivery.findUniqueOrThrow({ where: { id: other!.id } });
    expect(second).toMatchObject({ triggeredAt: null, eventId: null, error: null, status: "received" });
  });
});

describe("deliveries arriving together", () => {
  const delivery = (shop: string, webhookId: string, body = "{}") => ({
    shop,
    topic: "orders/create",
    webhookId,
    eventId: null,
    apiVersion: "2026-04",
    triggeredAt: null,
    headers: {},
    body,
    status: "received" as const,
    error: null,
  });

  it("are each stored once (PostgreSQL puts those that wait into one INSERT): a repeated webhook id is answered as already stored", async () => {
    const shop = `together-${Date.now().toString(36)}.myshopify.com`;
    // 120 deliveries at once, every fourth one a webhook id sent twice.
    const ids = Array.from({ length: 120 }, (_, i) => `wh-${i % 4 === 3 ? i - 1 : i}`);
    // Each body names its webhook id and its send (a repeat's body differs: only the stored send's is kept).
    const results = await Promise.all(ids.map((w, i) => insertDelivery(delivery(shop, w, JSON.stringify({ webhookId: w, sent: i })))));
    const unique = new Set(ids);
    expect(results.filter((r) => r !== null)).toHaveLength(unique.size);
    const rows = await db().webhookDelivery.findMany({ where: { shop }, select: { id: true, webhookId: true, payload: { select: { body: true } } } });
    expect(rows.map((r) => r.webhookId).sort()).toEqual([...unique].sort());
    // Every stored delivery holds the body of the send whose answer named its row.
    for (const r of rows) {
      const body = JSON.parse(r.payload!.body) as { webhookId: string; sent: number };
      expect(body.webhookId).toBe(r.webhookId);
      expect(results[body.sent]).toEqual({ id: r.id });
    }
    // Each stored delivery's answer names its own row.
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(results.filter((r) => r !== null).map((r) => r!.id)));
  });

  it.runIf(process.env.OMS_TEST_DATABASE === "postgres")(
    "a row PostgreSQL refuses fails its own delivery only, not the others that shared its INSERT",
    async () => {
      const shop = `refused-${Date.now().toString(36)}.myshopify.com`;
      // A NUL character cannot be stored in PostgreSQL text.
      const bodies = Array.from({ length: 30 }, (_, i) => (i === 7 ? '{"a":"\u0000"}' : "{}"));
      const results = await Promise.allSettled(bodies.map((b, i) => insertDelivery(delivery(shop, `wh-${i}`, b))));
      expect(results.map((r) => r.status)).toEqual(bodies.map((_, i) => (i === 7 ? "rejected" : "fulfilled")));
      expect(await db().webhookDelivery.count({ where: { shop } })).toBe(29);
    },
  );
});
