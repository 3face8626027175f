// Timeline entries land once per (order, dedupeKey) in one INSERT … ON CONFLICT DO NOTHING, and
// entries of one instant keep the order they were written in (the timeline sorts by at, then id).
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { recordTimeline, transitionOrder } from "~/.server/db/orders";

const SHOP = "timeline-append.myshopify.com";
const entry = (key: string) => ({ kind: "note" as const, summary: `entry ${key}`, fromState: null, toState: null, owner: "oms" as const, dedupeKey: key });

describe("timeline appends", () => {
  it("records each dedupe key once, counts only the new ones, and keeps the written order within an instant", async () => {
    const order = await db().order.create({
      data: {
        shop: SHOP,
        sourceId: `gid://shopify/Order/${Date.now()}`,
        name: "#T1",
        state: "received",
        channel: "shopify",
        currency: "USD",
        totalMinor: 0,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });
    const at = new Date("2026-11-30T10:00:00.000Z");
    const p = { at, actor: "test", source: "oms" as const, deliveryId: null };
    expect(await recordTimeline(order.id, SHOP, [entry("c"), entry("a"), entry("b")], p)).toBe(3);
    expect(await recordTimeline(order.id, SHOP, [entry("a"), entry("d"), entry("d")], p)).toBe(1);
    const events = await db().orderEvent.findMany({ where: { orderId: order.id }, orderBy: [{ at: "asc" }, { id: "asc" }] });
    expect(events.map((e) => e.dedupeKey)).toEqual(["c", "a", "b", "d"]);
    expect(events.every((e) => e.at.getTime() === at.getTime() && e.shop === SHOP && e.actor === "test")).toBe(true);
    // A guarded transition whose entry is already there still moves the order (no unique violation aborts it).
    expect(await transitionOrder(order.id, SHOP, "received", "released", {}, [entry("a"), entry("e")], p)).toBe(true);
    expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).state).toBe("released");
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(5);
  });
});
