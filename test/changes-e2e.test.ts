// Changes after purchase against the dev shop, end to end: staff cancel, cancel a line, change the
// address, a fulfilment service answers a cancellation request, and stock is lost under
// reservations. Every webhook is delivered twice; every action is replayed and changes nothing more.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { outstandingLevelReads } from "~/.server/db/stock";
import { saveLocationProfile } from "~/.server/db/sourcing";
import { saveSubstituteRule } from "~/.server/db/changes";
import { changeAddress } from "~/.server/services/changes/address";
import { changesPageView } from "~/.server/services/changes/changes-admin";
import { previewLocationOffline, bringLocationOnline, takeLocationOffline } from "~/.server/services/changes/location-offline";
import { substituteLine, substituteOptions } from "~/.server/services/changes/substitute";
import { cancelLine, cancelOrder } from "~/.server/services/changes/cancel";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

const SHOP = "changes-e2e.myshopify.com";
const staff = { shop: SHOP, actor: "user:42" };
type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
type State = {
  orders: { id: string; cancelledAt: string | null; lines: { sku: string; currentQuantity: number }[] }[];
  fulfillmentOrders: { id: string; orderId: string; location: string; status: string; lines: { remaining: number }[] }[];
  inventory: { sku: string; location: string; available: number; committed: number; on_hand: number; safety_stock: number }[];
};

describe("changes after purchase against the dev shop", { timeout: 90_000 }, () => {
  let s: Shop;
  const state = async () => (await (await fetch(`${s.standIn.url}/_dev/shops/${SHOP}/state`)).json()) as State;
  const checkout = async (lines: { sku: string; quantity: number }[]) =>
    (await (await s.post(`/_dev/shops/${SHOP}/checkout`, { lines, shippingAddress: austin, email: "ada@example.com" })).json()) as {
      orderId: string;
      fulfillmentOrderIds: string[];
    };
  /** The order once the OMS has routed it (its live decision recorded). */
  const routed = (sourceId: string) =>
    waitFor(
      async () => {
        const o = await db().order.findFirst({ where: { shop: SHOP, sourceId } });
        const d = o && (await db().routingDecision.findFirst({ where: { shop: SHOP, orderId: o.id, mode: "live" } }));
        return d && o ? o : undefined;
      },
      20_000,
      "the routing decision",
    );
  const reservedFor = async (orderId: string) =>
    (await db().stockMovement.aggregate({ where: { shop: SHOP, reference: orderId }, _sum: { reservedDelta: true } }))._sum.reservedDelta ?? 0;
  const timeline = async (orderId: string, like: string) => (await db().orderEvent.findMany({ where: { orderId, summary: { contains: like } } })).length;
  const foStatus = async (foId: string) => (await state()).fulfillmentOrders.find((f) => f.id === foId)?.status;
  const start = (foId: string) => s.post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(foId)}/start`, {});
  const groupsSeen = (orderId: string, status: string) =>
    waitFor(async () => (await db().fulfillmentGroup.findFirst({ where: { orderId, status } })) ?? undefined, 10_000, `a group ${status}`);

  beforeAll(async () => {
    s = await connectedDevShop(SHOP, { duplicateRate: 1 }, (fixture) => {
      fixture.locations.push({
        name: "3PL Reno",
        address: { address1: "1 Dock Rd", city: "Reno", provinceCode: "NV", countryCode: "US", zip: "89501" },
        latitude: 39.53,
        longitude: -119.81,
        fulfillmentService: true,
      } as never);
      fixture.products.push({ title: "Gift Box", variants: [{ sku: "BOX-1", price: "30.00", inventory: { "3PL Reno": 20 } }] } as never);
    });
    await reconcileStock(SHOP, new Date());
    const seattle = await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name: "Seattle WA" } });
    await saveLocationProfile(SHOP, { locationId: seattle.id, kind: "store" });
  });
  afterAll(() => s.close());

  it("routed → cancel: cancelled in Shopify once, reservations released, stock back; a double click and a replay change nothing", async () => {
    const placed = await checkout([{ sku: "TEE-M", quantity: 2 }]);
    const order = await routed(placed.orderId);
    await waitFor(async () => (await reservedFor(order.id)) === 2 || undefined, 10_000, "the reservation");
    const first = await cancelOrder(staff, order.id, "key-cancel-1", new Date());
    expect(first).toMatchObject({ status: "done" });
    const twice = await cancelOrder(staff, order.id, "key-cancel-1", new Date());
    expect(twice).toMatchObject({ status: "done", replayed: true });
    const again = await cancelOrder(staff, order.id, "key-cancel-2", new Date());
    expect(again).toMatchObject({ status: "refused", message: expect.stringMatching(/already cancelled|refunded: nothing is left to change/) });
    expect((await state()).orders.find((o) => o.id === placed.orderId)!.cancelledAt).not.toBeNull();
    await waitFor(async () => (await reservedFor(order.id)) === 0 || undefined, 10_000, "the release");
    expect(await timeline(order.id, "Cancelled by user:42")).toBe(1);
    expect(["cancelled", "refunded"]).toContain((await db().order.findUniqueOrThrow({ where: { id: order.id } })).state);
    // Refunded once in Shopify (one refunds/create recorded on the timeline).
    await waitFor(async () => (await timeline(order.id, "Refund of")) === 1 || undefined, 10_000, "the refund");
  });

  it("routed → cancel a line: the edit removes the units, restocks and refunds once; the replay does nothing", async () => {
    const placed = await checkout([{ sku: "TEE-M", quantity: 3 }]);
    const order = await routed(placed.orderId);
    const line = (await db().orderLine.findFirstOrThrow({ where: { orderId: order.id } })).sourceLineId;
    const done = await cancelLine(staff, order.id, line, 1, "key-line-1", new Date());
    expect(done).toMatchObject({ status: "done", message: expect.stringMatching(/Cancelled 1 × TEE-M, 24.00 USD refunded/) });
    expect(await cancelLine(staff, order.id, line, 1, "key-line-1", new Date())).toMatchObject({ replayed: true });
    expect((await state()).orders.find((o) => o.id === placed.orderId)!.lines[0]!.currentQuantity).toBe(2);
    await waitFor(async () => (await reservedFor(order.id)) === 2 || undefined, 10_000, "the reservation to follow the edit");
    expect(await cancelLine(staff, order.id, line, 5, "key-line-2", new Date())).toMatchObject({
      status: "refused",
      message: expect.stringMatching(/Only 2 unit/),
    });
  });

  it("in progress at a store (cut-off: no cancel once picking started) → refused, offered as a return", async () => {
    const placed = await checkout([{ sku: "SHELL-M", quantity: 1 }]);
    const order = await routed(placed.orderId);
    await start(placed.fulfillmentOrderIds[0]!);
    await groupsSeen(order.id, "IN_PROGRESS");
    const r = await cancelOrder(staff, order.id, "key-store-1", new Date());
    expect(r).toMatchObject({ status: "refused", returnUrl: `/app/returns/new?order=${order.id}` });
    expect(r.message).toMatch(/Seattle WA has started picking/);
    expect(await foStatus(placed.fulfillmentOrderIds[0]!)).toBe("IN_PROGRESS");
  });

  it("in progress at a fulfilment service → a cancellation request; accepted → the order is cancelled; the webhook replayed changes nothing", async () => {
    const placed = await checkout([{ sku: "BOX-1", quantity: 1 }]);
    const order = await routed(placed.orderId);
    const fo = placed.fulfillmentOrderIds[0]!;
    await start(fo);
    await groupsSeen(order.id, "IN_PROGRESS");
    const r = await cancelOrder(staff, order.id, "key-3pl-1", new Date());
    expect(r).toMatchObject({ status: "waiting" });
    expect(
      await db().opsException.findFirst({ where: { shop: SHOP, kind: "cancellation_request_pending", subjectKey: order.id, status: "open" } }),
    ).not.toBeNull();
    expect(await cancelOrder(staff, order.id, "key-3pl-2", new Date())).toMatchObject({
      status: "refused",
      message: expect.stringMatching(/waiting for its answer/),
    });
    await s.post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo)}/cancellation-request/accept`, { message: "not packed yet" });
    await waitFor(
      async () => ((await db().changeRequest.findFirst({ where: { shop: SHOP, idempotencyKey: "key-3pl-1" } }))?.status === "done" ? true : undefined),
      20_000,
      "the waiting cancel to finish",
    );
    expect((await state()).orders.find((o) => o.id === placed.orderId)!.cancelledAt).not.toBeNull();
    expect((await db().opsException.findFirstOrThrow({ where: { shop: SHOP, kind: "cancellation_request_pending", subjectKey: order.id } })).status).toBe(
      "resolved",
    );
    await waitFor(async () => (await reservedFor(order.id)) === 0 || undefined, 10_000, "the release");
    expect(await timeline(order.id, "Cancelled by user:42")).toBe(1);
  });

  it("a fulfilment service rejects the request → refused with its reason, a return offered (the OMS's read after the request failing changes none of it)", async () => {
    const placed = await checkout([{ sku: "BOX-1", quantity: 1 }]);
    const order = await routed(placed.orderId);
    const fo = placed.fulfillmentOrderIds[0]!;
    await start(fo);
    await groupsSeen(order.id, "IN_PROGRESS");
    // The read of the order after the request is sent cannot reach Shopify: the request was sent, so it waits all the same.
    await s.post(`/_dev/shops/${SHOP}/faults/admin`, { operations: ["OrderFulfilmentForSync"], mode: "unavailable", count: 1 });
    expect(await cancelOrder(staff, order.id, "key-3pl-3", new Date())).toMatchObject({ status: "waiting" });
    expect((await db().changeRequest.findFirstOrThrow({ where: { shop: SHOP, idempotencyKey: "key-3pl-3" } })).status).toBe("waiting");
    await s.post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo)}/cancellation-request/reject`, { message: "already packed" });
    const settled = await waitFor(
      async () => {
        const row = await db().changeRequest.findFirst({ where: { shop: SHOP, idempotencyKey: "key-3pl-3" } });
        return row?.status === "refused" ? row : undefined;
      },
      20_000,
      "the refusal",
    );
    expect(JSON.parse(settled.outcome!)).toMatchObject({
      message: expect.stringMatching(/rejected the cancellation: already packed/),
      returnUrl: `/app/returns/new?order=${order.id}`,
    });
    expect((await state()).orders.find((o) => o.id === placed.orderId)!.cancelledAt).toBeNull();
  });

  it("shipped → cancel refused as a return; address after pick refused with an intercept exception", async () => {
    const placed = await checkout([{ sku: "TEE-M", quantity: 1 }]);
    const order = await routed(placed.orderId);
    const fos = (await state()).fulfillmentOrders.filter((f) => f.orderId === placed.orderId && f.status === "OPEN");
    await start(fos[0]!.id);
    await groupsSeen(order.id, "IN_PROGRESS");
    const moved = await changeAddress(
      staff,
      order.id,
      { address1: "1 Main St", city: "Denver", provinceCode: "CO", zip: "80202", countryCode: "US" },
      "key-addr-late",
      new Date(),
    );
    expect(moved).toMatchObject({ status: "refused", message: expect.stringMatching(/being picked/) });
    expect(await db().opsException.findFirst({ where: { shop: SHOP, kind: "address_intercept", subjectKey: order.id } })).not.toBeNull();
    await s.post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fos[0]!.id)}/ship`, {});
    await waitFor(async () => ((await db().order.findUniqueOrThrow({ where: { id: order.id } })).state === "shipped" ? true : undefined), 10_000, "shipped");
    // A shipment lowers on hand before the OMS consumes: not mistaken for stock lost.
    await waitFor(async () => ((await outstandingLevelReads(SHOP)) === 0 ? true : undefined), 20_000, "the level reads");
    expect(await db().opsException.count({ where: { shop: SHOP, kind: "out_of_stock_after_release", orderId: order.id } })).toBe(0);
    const r = await cancelOrder(staff, order.id, "key-shipped", new Date());
    expect(r).toMatchObject({ status: "refused", returnUrl: `/app/returns/new?order=${order.id}`, message: expect.stringMatching(/have shipped/) });
  });

  it("routed → address change: updated in Shopify and sourced again for the new address; the replay does nothing", async () => {
    const placed = await checkout([{ sku: "TEE-M", quantity: 1 }]);
    const order = await routed(placed.orderId);
    const seattle = { address1: "400 Broad St", city: "Seattle", provinceCode: "WA", zip: "98109", countryCode: "US" };
    const r = await changeAddress(staff, order.id, seattle, "key-addr-1", new Date());
    expect(r).toMatchObject({ status: "done" });
    expect(await changeAddress(staff, order.id, seattle, "key-addr-1", new Date())).toMatchObject({ replayed: true });
    const stored = JSON.parse((await db().order.findUniqueOrThrow({ where: { id: order.id } })).shippingAddress!);
    expect(stored).toMatchObject({ city: "Seattle", provinceCode: "WA" });
    expect(await timeline(order.id, "Re-sourced (address changed")).toBe(1);
  });

  it("stock lost after release: an order of 3 with 2 left on hand keeps 2 reserved and 1 as backorder demand, with an exception offering wait, cancel or substitute", async () => {
    const placed = await checkout([{ sku: "TEE-L", quantity: 3 }]);
    const order = await routed(placed.orderId);
    await waitFor(async () => (await reservedFor(order.id)) === 3 || undefined, 10_000, "the reservation of 3");
    await s.post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku: "TEE-L", location: "Dallas TX", delta: -1 });
    const unsourceable = await waitFor(
      async () => (await db().opsException.findFirst({ where: { shop: SHOP, kind: "line_unsourceable", orderId: order.id } })) ?? undefined,
      20_000,
      "the line_unsourceable exception",
    );
    expect(JSON.parse(unsourceable.data!)).toMatchObject({ quantity: 1, options: ["wait", "cancel_line", "substitute"] });
    await waitFor(async () => (await reservedFor(order.id)) === 2 || undefined, 20_000, "the reservation to shrink to 2");
    // The OMS promises nothing more there (ATP 0). Shopify still counts the held unit as committed
    // (a fulfilment hold does not uncommit), so its own available reads on hand − committed = −1.
    const level = await waitFor(
      async () => (await db().stockLevel.findFirst({ where: { shop: SHOP, sku: "TEE-L", reserved: 2, onHand: 2 } })) ?? undefined,
      10_000,
      "the OMS level",
    );
    expect(level.onHand - level.reserved - level.safetyStock - level.unavailable).toBe(0);
    expect(await timeline(order.id, "waiting for stock, not reserved")).toBe(1);

    // The exception's third option: a substitute from the merchant's list, agreed by the customer.
    const line = await db().orderLine.findFirstOrThrow({ where: { orderId: order.id, sku: "TEE-L" } });
    const shell = (await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku: "SHELL-M" } })).variantId!;
    await saveSubstituteRule(SHOP, { variantId: line.variantId!, substituteVariantId: shell, priority: 0 }, "user:42", new Date());
    const options = await substituteOptions(SHOP, line.variantId!);
    expect(options[0]).toMatchObject({ variantId: shell, source: "merchant list" });
    expect(options.some((o) => o.sku === "TEE-M" && o.source === "same product")).toBe(true);
    const declined = await substituteLine(
      staff,
      order.id,
      { lineItemId: line.sourceLineId, quantity: 1, variantId: shell, customerAgreed: false },
      "key-sub-0",
      new Date(),
    );
    expect(declined).toMatchObject({ status: "refused", message: expect.stringMatching(/did not agree/) });
    const swapped = await substituteLine(
      staff,
      order.id,
      { lineItemId: line.sourceLineId, quantity: 1, variantId: shell, customerAgreed: true },
      "key-sub-1",
      new Date(),
    );
    expect(swapped).toMatchObject({ status: "done", message: expect.stringMatching(/96.00 USD to be collected/) });
    expect(
      await substituteLine(staff, order.id, { lineItemId: line.sourceLineId, quantity: 1, variantId: shell, customerAgreed: true }, "key-sub-1", new Date()),
    ).toMatchObject({ replayed: true });
    const shopifyOrder = (await state()).orders.find((o) => o.id === placed.orderId)!;
    expect(shopifyOrder.lines.map((l) => [l.sku, l.currentQuantity])).toEqual([
      ["TEE-L", 2],
      ["SHELL-M", 1],
    ]);
    expect((await db().opsException.findFirstOrThrow({ where: { shop: SHOP, kind: "line_unsourceable", orderId: order.id } })).status).toBe("resolved");
    // Sourcing routes the new line: SHELL-M is stocked only in Seattle.
    await waitFor(
      async () =>
        (await state()).fulfillmentOrders.some((f) => f.orderId === placed.orderId && f.location === "Seattle WA" && f.status === "OPEN") ? true : undefined,
      10_000,
      "the substitute at Seattle",
    );
    await waitFor(async () => (await reservedFor(order.id)) === 3 || undefined, 10_000, "2 TEE-L + 1 SHELL-M reserved");
    expect(await timeline(order.id, "customer agreed")).toBe(1);
  });

  it("a location goes offline: a preview of where each unpicked order goes, then one action re-sources them; repeated, nothing more moves", async () => {
    const placed = await checkout([{ sku: "TEE-M", quantity: 1 }]);
    const order = await routed(placed.orderId);
    const at = (await state()).fulfillmentOrders.find((f) => f.orderId === placed.orderId && f.status === "OPEN")!.location;
    const loc = await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name: at } });
    const preview = await previewLocationOffline(SHOP, loc.id, new Date());
    const row = preview.find((r) => r.orderId === order.id)!;
    expect(row.moves).toHaveLength(1);
    expect(row.moves[0]!.to).not.toBe(at);
    // The Changes page shows every location (online) and the same preview.
    const page = await changesPageView(SHOP, loc.id, new Date());
    expect(page.locations.map((l) => l.id).sort()).toEqual((await db().stockLocation.findMany({ where: { shop: SHOP } })).map((l) => l.id).sort());
    expect(page.locations.find((l) => l.id === loc.id)).toMatchObject({ name: at, offline: false, reason: null });
    expect(page.preview).toMatchObject({
      locationId: loc.id,
      rows: expect.arrayContaining([expect.objectContaining({ orderId: order.id, moves: row.moves })]),
    });
    const r = await takeLocationOffline(staff, loc.id, "power cut", new Date());
    expect(r.location).toBe(at);
    expect(r.results.find((x) => x.orderId === order.id)).toMatchObject({ applied: "applied" });
    const after = await changesPageView(SHOP, null, new Date());
    expect(after.locations.find((l) => l.id === loc.id)).toMatchObject({ offline: true, reason: "power cut" });
    expect(after.preview).toBeNull();
    expect(after.audit[0]).toMatchObject({ actor: "user:42", summary: expect.stringContaining("marked offline: power cut") });
    await waitFor(
      async () =>
        (await state()).fulfillmentOrders.some((f) => f.orderId === placed.orderId && f.status === "OPEN" && f.location === row.moves[0]!.to)
          ? true
          : undefined,
      10_000,
      "the move",
    );
    const again = await takeLocationOffline(staff, loc.id, "power cut", new Date());
    expect(again.results.find((x) => x.orderId === order.id)).toBeUndefined();
    expect(await db().auditEvent.count({ where: { shop: SHOP, subject: "location-availability" } })).toBe(1);
    // A new order is not routed there while it is offline.
    const next = await checkout([{ sku: "TEE-M", quantity: 1 }]);
    await routed(next.orderId);
    await waitFor(
      async () => ((await state()).fulfillmentOrders.some((f) => f.orderId === next.orderId && f.status === "OPEN" && f.location !== at) ? true : undefined),
      10_000,
      "the new order elsewhere",
    );
    expect(await bringLocationOnline(staff, loc.id, new Date())).toBe(true);
  });
});
