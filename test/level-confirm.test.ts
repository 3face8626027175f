// Level reads the inventory flush skips (confirmedByReport), against the dev shop over real HTTP:
// a checkout's inventory_levels/update that agrees with the reservation the OMS made confirms the
// level, and so do the units the OMS's own move gives back where the order was; everything else is
// read — a count, a level the order moved to, a late report of a state older than the last read.
// Webhooks are recorded, not delivered, so each step is fed to the OMS by the test, in its order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { applyOrderReservations, requestLevelReadsUnlessEcho, type LevelReportIn } from "~/.server/db/stock";
import { inventoryPolicy } from "~/.server/db/stock-settings";
import { flushLevelReads, refreshAllLevels } from "~/.server/services/inventory-sync";
import { adminFor } from "~/.server/shopify/admin";
import { FO_MOVE } from "~/.server/shopify/documents/fulfillment-orders";
import { inventoryCost } from "~/.server/shopify/inventory";
import { atp } from "~/domain/inventory/atp";
import { inventoryLevelIds, inventoryLevelUpdateSchema } from "~/schemas/webhook-payloads";
import { austin, RecordingSink } from "../dev/shopify-local/test-helpers";
import { devShop } from "./helpers/dev-shop";

const SHOP = "level-confirm.myshopify.com";
type StateLevel = { sku: string; location: string; available: number; committed: number; on_hand: number; safety_stock: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("level reads confirmed by what the OMS already knows", { timeout: 30_000 }, () => {
  const sink = new RecordingSink();
  let standIn: Awaited<ReturnType<typeof devShop>>["standIn"];
  let post: Awaited<ReturnType<typeof devShop>>["post"];
  let locations: Map<string, string>;
  let teeM: string;
  let orderA: string;

  const state = async () =>
    (await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as {
      inventory: StateLevel[];
      fulfillmentOrders: { id: string; orderId: string; location: string }[];
    };
  const shopifyLevel = async (location: string) => (await state()).inventory.find((l) => l.sku === "TEE-M" && l.location === location)!;
  const omsLevel = (location: string) =>
    db().stockLevel.findUniqueOrThrow({
      where: { shop_inventoryItemId_locationId: { shop: SHOP, inventoryItemId: teeM, locationId: locations.get(location)! } },
    });
  /** The inventory_levels/update reports recorded since `from`, as the webhook batch hands them on. */
  const reports = (from: number): LevelReportIn[] =>
    sink.events.slice(from).flatMap((e) => {
      if (e.shop !== SHOP || e.topic !== "inventory_levels/update") return [];
      const p = inventoryLevelUpdateSchema.parse(e.payload);
      return [{ ...inventoryLevelIds(p), available: p.available ?? null, updatedAt: p.updated_at ? new Date(p.updated_at) : null }];
    });
  const feed = (rs: LevelReportIn[]) => requestLevelReadsUnlessEcho(SHOP, rs, new Date(Date.now() - 60_000), new Date());
  const reserve = (order: string, moves: { kind: "reserve" | "release"; location: string; quantity: number }[]) =>
    applyOrderReservations(
      SHOP,
      order,
      (held) =>
        moves.map((m, i) => ({
          kind: m.kind,
          inventoryItemId: teeM,
          locationId: locations.get(m.location)!,
          quantity: m.quantity,
          key: `test:${order}:${held.length}:${i}:${m.kind}`,
        })),
      new Date(),
      "test",
    );
  /** A flush, and the inventory Admin calls it made (level reads and pushes). */
  const flush = async () => {
    const calls = inventoryCost.calls;
    const report = await flushLevelReads(SHOP, new Date());
    return { ...report, adminCalls: inventoryCost.calls - calls };
  };
  /** Shopify's available is the OMS's ATP at the location, and the OMS holds Shopify's quantities as they are. */
  const agrees = async (location: string) => {
    const [theirs, ours] = await Promise.all([shopifyLevel(location), omsLevel(location)]);
    expect({ available: theirs.available, committed: theirs.committed, onHand: theirs.on_hand }).toEqual({
      available: atp(ours, await inventoryPolicy(SHOP), new Date()),
      committed: ours.committed,
      onHand: ours.onHand,
    });
    expect(ours.shopifyAvailable).toBe(theirs.available);
  };

  beforeAll(async () => {
    ({ standIn, post } = await devShop(SHOP, { webhookSink: sink }));
    await refreshAllLevels(SHOP, new Date());
    locations = new Map((await db().stockLocation.findMany({ where: { shop: SHOP } })).map((l) => [l.name, l.id]));
    teeM = (await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } })).inventoryItemId;
    // Reports count only when later than the read by its margin (a second).
    await sleep(1_100);
  });
  afterAll(() => standIn.close());

  it("a checkout's report that agrees with the OMS's reservation confirms the level: no read, no push", async () => {
    const from = sink.events.length;
    const placed = await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "ada@example.com" });
    expect(placed.status).toBe(200);
    orderA = ((await placed.json()) as { orderId: string }).orderId;
    expect(reports(from)).toHaveLength(1);
    await feed(reports(from));
    // Before the order is reserved, the report is a difference (Shopify committed what the OMS has not): read.
    // Here the order's reservation comes first, as it does when intake runs before the flush.
    await reserve("order-a", [{ kind: "reserve", location: "Dallas TX", quantity: 2 }]);
    const f = await flush();
    expect(f).toMatchObject({ levels: 1, moved: 0, adminCalls: 0 });
    expect(await omsLevel("Dallas TX")).toMatchObject({ onHand: 500, reserved: 2, committed: 2, shopifyAvailable: 498 });
    await agrees("Dallas TX");
    expect(await db().stockReadRequest.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("a report that arrives before the reservation is read, and reads Shopify's commit", async () => {
    const from = sink.events.length;
    await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: "bo@example.com" });
    await feed(reports(from));
    const f = await flush();
    expect(f).toMatchObject({ levels: 1, adminCalls: 1 });
    // ATP takes the larger of Shopify's committed and the OMS's reservations: the commit read counts at once.
    expect(await omsLevel("Dallas TX")).toMatchObject({ reserved: 2, committed: 3, shopifyAvailable: 497 });
    await agrees("Dallas TX");
    await reserve("order-b", [{ kind: "reserve", location: "Dallas TX", quantity: 1 }]);
    await sleep(1_100);
  });

  it("an order moved away gives its units back where it was without a read; where it went is read", async () => {
    const fo = (await state()).fulfillmentOrders.find((f) => f.orderId === orderA)!;
    expect(fo.location).toBe("Dallas TX");
    const moved = await (await adminFor(SHOP, "orders"))(FO_MOVE, { variables: { id: fo.id, to: locations.get("Edison NJ")!, lines: null } });
    const { data } = (await moved.json()) as { data: { fulfillmentOrderMove: { userErrors: unknown[] } } };
    expect(data.fulfillmentOrderMove.userErrors).toEqual([]);
    expect(await shopifyLevel("Edison NJ")).toMatchObject({ committed: 2, available: 498 });
    await reserve("order-a", [
      { kind: "release", location: "Dallas TX", quantity: 2 },
      { kind: "reserve", location: "Edison NJ", quantity: 2 },
    ]);
    const f = await flush();
    // Two levels, one read (Edison); Dallas confirmed from the release.
    expect(f).toMatchObject({ levels: 2, moved: 0, adminCalls: 1 });
    await agrees("Dallas TX");
    await agrees("Edison NJ");
  });

  it("a count at the warehouse (on hand changed) is read, not taken for a commit", async () => {
    await sleep(1_100);
    const from = sink.events.length;
    expect((await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku: "TEE-M", location: "Seattle WA", delta: -4 })).status).toBe(200);
    await feed(reports(from));
    const f = await flush();
    expect(f).toMatchObject({ levels: 1, adminCalls: 1 });
    expect(await omsLevel("Seattle WA")).toMatchObject({ onHand: 496, committed: 0, shopifyAvailable: 496 });
    await agrees("Seattle WA");
  });

  it("a late report of a state older than the last read is read, even when it happens to equal the new ATP (no oversell)", async () => {
    // Seattle: 496 on hand, read at the count. Another channel reserves 2 there (ATP 494), and a report
    // of an earlier state saying 494 is redelivered: taken for the truth, it would leave Shopify selling 496.
    const seattle = await omsLevel("Seattle WA");
    await reserve("amazon-1", [{ kind: "reserve", location: "Seattle WA", quantity: 2 }]);
    await feed([{ inventoryItemId: teeM, locationId: seattle.locationId, available: 494, updatedAt: new Date(seattle.observedAt!.getTime() - 1_000) }]);
    const f = await flush();
    expect(f).toMatchObject({ levels: 1, moved: 1 });
    expect(f.adminCalls).toBe(2); // the read and the push
    expect(await shopifyLevel("Seattle WA")).toMatchObject({ on_hand: 496, available: 494, safety_stock: 2 });
    await agrees("Seattle WA");
  });

  it("two reports of one instant that disagree are read", async () => {
    await sleep(1_100);
    const seattle = await omsLevel("Seattle WA");
    const at = new Date();
    await feed([
      { inventoryItemId: teeM, locationId: seattle.locationId, available: 494, updatedAt: at },
      { inventoryItemId: teeM, locationId: seattle.locationId, available: 493, updatedAt: at },
    ]);
    expect(await db().stockReadRequest.findMany({ where: { shop: SHOP }, select: { needsRead: true } })).toEqual([{ needsRead: true }]);
    expect(await flush()).toMatchObject({ levels: 1, adminCalls: 1 });
    await agrees("Seattle WA");
  });
});
