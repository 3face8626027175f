// Retention: what aged out is pruned by the daily job's service; what is still open (an open
// order's deliveries, a rejected delivery waiting for a replay, an open exception's dead letter,
// unresolved drift, an open order's timeline) is kept, and the open order can still be replayed.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { pruneRetention } from "~/.server/services/ops/prune-retention";
import { replayDelivery } from "~/.server/services/replay-delivery";
import { pruneShop } from "~/.server/db/retention";
import { DEFAULT_RETENTION, retentionCutoffs } from "~/domain/retention/policy";
import { samplePayload } from "./helpers/webhook";

const SHOP = "retention.myshopify.com";
const NOW = new Date(Date.UTC(2026, 11, 1, 3, 0));
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);

async function delivery(webhookId: string, status: string, receivedAt: Date) {
  return db().webhookDelivery.create({
    data: {
      shop: SHOP,
      topic: "orders/updated",
      webhookId,
      apiVersion: "2026-04",
      headers: "{}",
      status,
      receivedAt,
      payload: { create: { body: samplePayload("orders/updated") } },
    },
  });
}

async function order(sourceId: string, state: string, placedAt: Date, deliveryId: string) {
  return db().order.create({
    data: {
      shop: SHOP,
      channel: "online_store",
      sourceId,
      name: `#${sourceId}`,
      state,
      currency: "USD",
      totalMinor: 1000n,
      placedAt,
      sourceUpdatedAt: placedAt,
      events: {
        create: [
          {
            shop: SHOP,
            at: placedAt,
            kind: "received",
            summary: "received",
            actor: "shopify:webhook orders/create",
            source: "shopify",
            deliveryId,
            dedupeKey: "received",
          },
        ],
      },
    },
  });
}

describe("retention", () => {
  it("prunes what aged out and keeps what is open, so an open order still replays", async () => {
    await db().shop.create({ data: { domain: SHOP } });
    const oldClosed = await delivery("w-old-closed", "processed", daysAgo(800));
    const oldOpen = await delivery("w-old-open", "processed", daysAgo(800));
    const recent = await delivery("w-recent", "processed", daysAgo(2));
    const rejected = await delivery("w-rejected", "rejected", daysAgo(400));
    const closed = await order("closed-1", "delivered", daysAgo(800), oldClosed.id);
    const open = await order("open-1", "sourced", daysAgo(800), oldOpen.id);

    const drift = (key: string, resolvedAt: Date | null) =>
      db().stockDrift.create({
        data: {
          shop: SHOP,
          kind: "ledger_balance",
          key,
          inventoryItemId: "i",
          locationId: "l",
          expected: 1,
          actual: 0,
          outcome: "healed",
          firstSeenAt: daysAgo(200),
          lastSeenAt: daysAgo(200),
          resolvedAt,
        },
      });
    await drift("old-resolved", daysAgo(100));
    await drift("unresolved", null);
    await drift("recent-resolved", daysAgo(5));

    const dead = (jobId: string) =>
      db().deadLetter.create({
        data: { queue: "orders", jobName: "sync-order", jobId, shop: SHOP, payload: "{}", error: "x", retriable: true, attempts: 8, failedAt: daysAgo(120) },
      });
    const deadGone = await dead("j-1");
    const deadOpen = await dead("j-2");
    await db().opsException.create({
      data: {
        shop: SHOP,
        kind: "dead_letter",
        severity: "warning",
        subjectKey: deadOpen.id,
        summary: "sync-order gave up",
        status: "open",
        raisedAt: daysAgo(120),
        lastSeenAt: daysAgo(120),
      },
    });

    // The run's database is shared with other test files: counts are at least this shop's rows.
    const counts = await pruneRetention(NOW, DEFAULT_RETENTION);
    for (const k of ["webhookDeliveries", "orderEvents", "drift", "deadLetters"] as const) expect(counts[k]).toBeGreaterThanOrEqual(1);

    const deliveries = (await db().webhookDelivery.findMany({ where: { shop: SHOP }, select: { id: true } })).map((d) => d.id).sort();
    expect(deliveries).toEqual([oldOpen.id, recent.id, rejected.id].sort());
    // A pruned delivery's body goes with it; a kept one's stays.
    expect(await db().webhookDeliveryBody.count({ where: { deliveryId: oldClosed.id } })).toBe(0);
    expect(await db().webhookDeliveryBody.count({ where: { deliveryId: { in: deliveries } } })).toBe(3);
    expect(await db().orderEvent.count({ where: { orderId: closed.id } })).toBe(0);
    expect(await db().order.count({ where: { id: closed.id } })).toBe(1);
    expect(await db().orderEvent.count({ where: { orderId: open.id } })).toBe(1);
    expect((await db().stockDrift.findMany({ where: { shop: SHOP }, select: { key: true } })).map((d) => d.key).sort()).toEqual([
      "recent-resolved",
      "unresolved",
    ]);
    expect(await db().deadLetter.findUnique({ where: { id: deadGone.id } })).toBeNull();
    expect(await db().deadLetter.findUnique({ where: { id: deadOpen.id } })).not.toBeNull();

    // The open order's delivery is still there to replay, and so is the rejected one.
    expect(await replayDelivery(SHOP, oldOpen.id)).toEqual({ kind: "queued" });
    expect(await replayDelivery(SHOP, oldClosed.id)).toEqual({ kind: "not-found" });

    // A second run finds nothing more to do for this shop.
    expect(await pruneShop(SHOP, retentionCutoffs(NOW, DEFAULT_RETENTION))).toEqual({
      webhookDeliveries: 0,
      orderEvents: 0,
      drift: 0,
      backfillRuns: 0,
      exceptions: 0,
    });
    expect(await db().webhookDelivery.count({ where: { shop: SHOP } })).toBe(3);
  });
});
