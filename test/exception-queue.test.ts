// The exception queue's raise: one item per (shop, kind, subject), counted rather than duplicated
// while open, reopened when it recurs after resolution, and safe when raisers race.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { findException } from "~/.server/db/exceptions";
import { moveForRelease } from "~/.server/db/release";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import { clearException, raiseException } from "~/.server/services/exceptions/raise-exception";

const SHOP = "exceptions.myshopify.com";
const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 12, m));
const base = { shop: SHOP, kind: "promise_at_risk" as const, severity: "warning" as const, orderId: null };

describe("exception queue: raise", () => {
  it("raises once, counts repeats, reopens after resolution", async () => {
    const first = await raiseException({ ...base, subjectKey: "order-1", summary: "Edison misses Thu" }, at(0));
    expect(first.effect).toBe("created");
    const again = await raiseException({ ...base, subjectKey: "order-1", summary: "Edison misses Thu (still)" }, at(5));
    expect(again).toEqual({ id: first.id, effect: "seen_again" });
    let row = await findException(SHOP, "promise_at_risk", "order-1");
    expect(row).toMatchObject({ status: "open", occurrences: 2, raisedAt: at(0), lastSeenAt: at(5), summary: "Edison misses Thu (still)" });

    expect(await clearException(SHOP, "promise_at_risk", "order-1", "user:ops@shop", "re-routed to Reno", at(6))).toBe(true);
    expect(await clearException(SHOP, "promise_at_risk", "order-1", "user:ops@shop", "twice", at(7))).toBe(false);
    row = await findException(SHOP, "promise_at_risk", "order-1");
    expect(row).toMatchObject({ status: "resolved", resolvedBy: "user:ops@shop", resolution: "re-routed to Reno" });

    const recur = await raiseException({ ...base, subjectKey: "order-1", summary: "misses again" }, at(9));
    expect(recur).toEqual({ id: first.id, effect: "reopened" });
    row = await findException(SHOP, "promise_at_risk", "order-1");
    expect(row).toMatchObject({ status: "open", raisedAt: at(9), resolvedAt: null, occurrences: 3 });
  });

  it("racing raisers of one case make one item", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => raiseException({ ...base, subjectKey: "order-race", summary: "race" }, at(1))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.effect === "created")).toHaveLength(1);
    expect((await findException(SHOP, "promise_at_risk", "order-race"))?.occurrences).toBe(8);
  });

  it("a hold for a person and its queue item are one write, and so are a person's release, its audit entry and the item cleared: all, or none", async () => {
    const order = await db().order.create({
      data: {
        shop: SHOP,
        channel: "online_store",
        sourceId: "gid://shopify/Order/77",
        name: "#77",
        state: "received",
        currency: "USD",
        totalMinor: 5000n,
        placedAt: at(19),
        sourceUpdatedAt: at(19),
      },
    });
    const p = { at: at(20), actor: "oms:release-rules", source: "oms" as const, deliveryId: null };
    const hold = { holdRule: "high_risk", holdReason: "high risk", releaseAfter: null };
    const entry: TimelineEntry = {
      kind: "transition",
      summary: "received → on_hold",
      fromState: "received",
      toState: "on_hold",
      owner: "oms",
      dedupeKey: "hold@77",
    };
    const raise = { ...base, kind: "release_hold" as const, subjectKey: order.id, orderId: order.id, summary: "Order #77 held" };
    // The item's write fails (no summary): the order is not held either, and its timeline has no entry.
    const broken = { raise: { ...raise, summary: undefined as unknown as string } };
    await expect(moveForRelease(order.id, SHOP, { state: "received", holdRule: null }, "on_hold", hold, [entry], p, broken)).rejects.toThrow();
    expect(await db().order.findUniqueOrThrow({ where: { id: order.id }, select: { state: true, holdRule: true } })).toEqual({
      state: "received",
      holdRule: null,
    });
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(0);
    expect(await findException(SHOP, "release_hold", order.id)).toBeNull();

    // Its retry holds the order and raises the item together.
    expect(await moveForRelease(order.id, SHOP, { state: "received", holdRule: null }, "on_hold", hold, [entry], p, { raise })).toBe(true);
    expect(await findException(SHOP, "release_hold", order.id)).toMatchObject({ status: "open", occurrences: 1, raisedAt: at(20) });
    // A second mover from the same starting point changes nothing, the item included.
    expect(await moveForRelease(order.id, SHOP, { state: "received", holdRule: null }, "on_hold", hold, [entry], p, { raise })).toBe(false);
    expect(await findException(SHOP, "release_hold", order.id)).toMatchObject({ occurrences: 1 });

    // The release clears the item in the same write.
    const release = { clear: { kind: "release_hold" as const, by: "user:501", resolution: "called the customer" } };
    const released = { holdRule: "released_by_person", holdReason: null, releaseAfter: null };
    const entry2: TimelineEntry = { ...entry, summary: "on_hold → released", fromState: "on_hold", toState: "released", dedupeKey: "release@77" };
    const audit = { at: at(30), actor: "user:501", subject: "order-release", summary: "Released held order #77", data: { action: "order.release" } };
    const from = { state: "on_hold" as const, holdRule: "high_risk" };
    // The person's audit entry cannot be written (its data does not serialise): not released, the item still open.
    await expect(
      moveForRelease(order.id, SHOP, from, "released", released, [entry2], { ...p, at: at(30) }, release, { ...audit, data: { n: 1n } }),
    ).rejects.toThrow();
    expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).state).toBe("on_hold");
    expect(await findException(SHOP, "release_hold", order.id)).toMatchObject({ status: "open" });
    expect(await moveForRelease(order.id, SHOP, from, "released", released, [entry2], { ...p, at: at(30) }, release, audit)).toBe(true);
    expect(await db().auditEvent.findMany({ where: { shop: SHOP, subject: "order-release" }, select: { actor: true, summary: true } })).toEqual([
      { actor: "user:501", summary: "Released held order #77" },
    ]);
    expect(await findException(SHOP, "release_hold", order.id)).toMatchObject({ status: "resolved", resolvedBy: "user:501", resolvedAt: at(30) });
  });
});
