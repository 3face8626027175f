// Batches take (claim) the deliveries they handle: two batches of one shop running at once get
// different deliveries, a claim holds until it runs out or is given back, and the requeue sweep
// leaves claimed deliveries to their batch. Runs on SQLite and on PostgreSQL (OMS_TEST_DATABASE).
import { describe, expect, it } from "vitest";
import { claimPendingDeliveries, insertDelivery, listUnqueued, releaseClaims } from "~/.server/db/webhook-deliveries";
import { installApp } from "./helpers/install";

const store = async (shop: string, n: number, receivedAt: Date) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = await insertDelivery(
      {
        shop,
        topic: "orders/create",
        webhookId: `claim-${shop}-${i}`,
        eventId: null,
        apiVersion: "2026-04",
        triggeredAt: null,
        headers: {},
        body: "{}",
        status: "received",
        error: null,
      },
      new Date(receivedAt.getTime() + i),
    );
    ids.push(d!.id);
  }
  return ids;
};

describe("delivery claims", () => {
  it("batches of one shop at once take different deliveries, together all of them, oldest first", async () => {
    const shop = "claims-race.myshopify.com";
    await installApp(shop);
    const ids = await store(shop, 120, new Date("2026-12-02T10:00:00Z"));
    const now = new Date("2026-12-02T10:01:00Z");
    const until = new Date(now.getTime() + 60_000);
    const batches = await Promise.all(Array.from({ length: 4 }, () => claimPendingDeliveries(shop, ["orders/create"], 40, now, until)));
    const taken = batches.flatMap((b) => b.deliveries.map((d) => d.id));
    expect(taken.length).toBe(ids.length);
    expect(new Set(taken).size).toBe(taken.length);
    expect([...taken].sort()).toEqual([...ids].sort());
    for (const batch of batches) {
      const at = batch.deliveries.map((d) => d.receivedAt.getTime());
      expect(at).toEqual([...at].sort((x, y) => x - y));
      // A full batch says there may be more; one that took the rest does not.
      expect(batch.more).toBe(batch.deliveries.length === 40);
    }
    expect(batches[0]!.deliveries.every((d) => d.installed && d.topic === "orders/create")).toBe(true);
    expect((await claimPendingDeliveries(shop, ["orders/create"], 6, now, until)).deliveries).toEqual([]);
  });

  it("a claim holds until given back or run out", async () => {
    const shop = "claims-hold.myshopify.com";
    await installApp(shop);
    const ids = await store(shop, 3, new Date("2026-12-02T11:00:00Z"));
    const now = new Date("2026-12-02T11:01:00Z");
    const until = new Date(now.getTime() + 60_000);
    const first = await claimPendingDeliveries(shop, ["orders/create"], 2, now, until);
    expect(first.deliveries.map((d) => d.id)).toEqual(ids.slice(0, 2));
    // Given back (the batch failed): taken again at once, with the one nobody had.
    await releaseClaims([ids[0]!]);
    expect((await claimPendingDeliveries(shop, ["orders/create"], 5, now, until)).deliveries.map((d) => d.id)).toEqual([ids[0], ids[2]]);
    // Run out (its batch died): free again.
    const later = new Date(until.getTime() + 1);
    expect((await claimPendingDeliveries(shop, ["orders/create"], 5, later, new Date(later.getTime() + 60_000))).deliveries.map((d) => d.id)).toEqual(ids);
  });

  it("the requeue sweep leaves a delivery to the batch that holds it, and takes it once the claim ran out a while ago", async () => {
    const shop = "claims-sweep.myshopify.com";
    await installApp(shop);
    const [id] = await store(shop, 1, new Date("2026-12-02T12:00:00Z"));
    const now = new Date("2026-12-02T12:05:00Z");
    await claimPendingDeliveries(shop, ["orders/create"], 5, now, new Date(now.getTime() + 120_000));
    const sweptAt = (t: Date) => listUnqueued(new Date(t.getTime() - 60_000), 1000).then((rows) => rows.some((r) => r.id === id));
    expect(await sweptAt(now)).toBe(false);
    expect(await sweptAt(new Date(now.getTime() + 150_000))).toBe(false);
    expect(await sweptAt(new Date(now.getTime() + 181_000))).toBe(true);
  });
});
