import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues, queue } from "~/.server/queue/queues";
import { startProcessing, type Processors } from "~/.server/queue/worker";
import { startGroupsRead } from "~/.server/db/order-lock";
import { replaceGroups } from "~/.server/db/orders";
import { replayDelivery } from "~/.server/services/replay-delivery";
import { syncOrderFromShopify } from "~/.server/services/sync-order";
import type { FulfillmentOrderRechecksPayload, SyncOrderPayload } from "~/schemas/jobs";
import { action } from "~/routes/webhooks";
import { processors } from "../jobs/processors";
import { samplePayload, webhookRequest } from "./helpers/webhook";
import { installApp } from "./helpers/install";
import { waitFor } from "./helpers/wait";

// The sync job reads Shopify's Admin API; here it only records that it was asked for (the dev-shop
// end-to-end test runs it for real).
const syncRequests: SyncOrderPayload[] = [];
const withRecordedSync: Processors = { ...processors, syncOrder: async (p) => void syncRequests.push(p) };

const post = (req: Request) => action({ request: req, params: {}, context: {} });
let n = 0;

/** The real orders/create sample, re-identified so every test owns its own order. */
function orderPayload(overrides: Record<string, unknown> = {}) {
  const base = JSON.parse(samplePayload("orders/create"));
  const id = 9_000_000 + ++n;
  // The sample is a cancelled order; these tests start from an open one.
  const open = { cancelled_at: null, cancel_reason: null, closed_at: null, fulfillment_status: null };
  return { ...base, ...open, id, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#T${id}`, ...overrides };
}

async function deliver(topic: string, payload: unknown, shop: string, webhookId?: string) {
  // Deliveries for a shop without the app installed create nothing (webhooks-route.test.ts).
  await installApp(shop);
  return post(webhookRequest(topic, JSON.stringify(payload), { shop, webhookId }));
}

const settled = (shop: string) =>
  waitFor(async () => (await db().webhookDelivery.count({ where: { shop, status: "received" } })) === 0 || undefined, 10_000, "deliveries to settle");

const orderOf = (shop: string, sourceId: string) =>
  db().order.findUnique({ where: { shop_sourceId: { shop, sourceId } }, include: { events: { orderBy: { at: "asc" } }, lines: true } });

describe("order intake through the webhook route", () => {
  beforeAll(() => {
    startProcessing(withRecordedSync);
  });
  afterAll(async () => {
    await closeQueues();
  });

  it("given the same orders/create delivery three times, records one order with one timeline entry", async () => {
    const shop = "intake-dupes.myshopify.com";
    const payload = orderPayload();
    for (let i = 0; i < 3; i++) expect((await deliver("orders/create", payload, shop, "dup-1")).status).toBe(200);
    await settled(shop);

    const orders = await db().order.findMany({ where: { shop } });
    expect(orders).toHaveLength(1);
    const order = await orderOf(shop, payload.admin_graphql_api_id);
    // The sample order is voided, so the release policy has nothing to do: only the intake entry.
    expect(order?.events.map((e) => [e.kind, e.toState, e.owner, e.actor])).toEqual([["received", "received", "commerce", "shopify:webhook orders/create"]]);
    expect(order).toMatchObject({ state: "received", name: payload.name, channel: "online_store", currency: "USD", totalMinor: 41495n });
    expect(order?.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor])).toContainEqual(["SKU2006-001", 1, 8999n]);
    // The follow-up read of its fulfillment orders is queued once (and runs asynchronously).
    await waitFor(async () => syncRequests.some((r) => r.orderId === payload.admin_graphql_api_id) || undefined, 10_000, "the sync job");
    expect(syncRequests.filter((r) => r.orderId === payload.admin_graphql_api_id)).toHaveLength(1);
  });

  it("given orders/updated delivered before orders/create, ends in the newer state", async () => {
    const shop = "intake-reorder.myshopify.com";
    const created = orderPayload({ financial_status: "pending", updated_at: "2026-11-20T10:00:00-05:00" });
    const updated = { ...created, financial_status: "paid", updated_at: "2026-11-20T10:05:00-05:00" };

    await deliver("orders/updated", updated, shop);
    await settled(shop);
    await deliver("orders/create", created, shop);
    await settled(shop);

    const order = await orderOf(shop, created.admin_graphql_api_id);
    // Whether it may be released is the release rules' (Shopify's risk assessment, terms…): on the read it asked for.
    expect(order).toMatchObject({ financialStatus: "paid", state: "received", sourceUpdatedAt: new Date("2026-11-20T15:05:00Z") });
    expect(order?.events.map((e) => `${e.kind}:${e.toState ?? ""}:${e.actor}`)).toEqual(["received:received:shopify:webhook orders/updated"]);
    await waitFor(async () => syncRequests.some((r) => r.orderId === created.admin_graphql_api_id) || undefined, 10_000, "the read for the release rules");
  });

  it("given a cancellation followed by a late, older orders/updated, stays cancelled", async () => {
    const shop = "intake-cancel.myshopify.com";
    const created = orderPayload({ financial_status: "paid", updated_at: "2026-11-20T10:00:00Z" });
    const cancelled = { ...created, cancelled_at: "2026-11-20T11:00:00Z", cancel_reason: "customer", updated_at: "2026-11-20T11:00:00Z" };
    const lateUpdate = { ...created, note: "gift wrap", updated_at: "2026-11-20T10:30:00Z" };

    await deliver("orders/create", created, shop);
    await settled(shop);
    await deliver("orders/cancelled", cancelled, shop);
    await settled(shop);
    await deliver("orders/updated", lateUpdate, shop);
    await settled(shop);

    const order = await orderOf(shop, created.admin_graphql_api_id);
    expect(order?.state).toBe("cancelled");
    expect(order?.cancelledAt).toEqual(new Date("2026-11-20T11:00:00Z"));
    const cancel = order?.events.find((e) => e.toState === "cancelled");
    expect(cancel).toMatchObject({ fromState: "received", owner: "commerce", actor: "shopify:webhook orders/cancelled" });
    const late = await db().webhookDelivery.findFirst({ where: { shop, topic: "orders/updated" } });
    expect(late?.status).toBe("processed");
  });

  it("records a fact the lifecycle forbids as an exception instead of applying it", async () => {
    const shop = "intake-illegal.myshopify.com";
    const created = orderPayload({ financial_status: "paid", fulfillment_status: "fulfilled", updated_at: "2026-11-20T10:00:00Z" });
    await deliver("orders/create", created, shop);
    await settled(shop);
    // Shopify then reports the shipped order as cancelled, which the lifecycle does not allow.
    await deliver("orders/cancelled", { ...created, cancelled_at: "2026-11-20T12:00:00Z", updated_at: "2026-11-20T12:00:00Z" }, shop);
    await settled(shop);

    const order = await orderOf(shop, created.admin_graphql_api_id);
    expect(order).toMatchObject({ state: "shipped", exception: "ILLEGAL_TRANSITION" });
    expect(order?.events.map((e) => e.toState ?? e.kind)).toEqual(["received", "released", "sourced", "shipped", "exception"]);
    expect(order?.events.at(-1)?.summary).toMatch(/CANCEL.*shipped.*not applied/);
  });

  it("keeps a malformed order payload as a rejected delivery; replaying it leaves it rejected with its reason", async () => {
    const shop = "intake-malformed.myshopify.com";
    const bad = orderPayload({ line_items: "not a list" });
    const res = await deliver("orders/create", bad, shop);

    expect(res.status).toBe(422);
    const [stored] = await db().webhookDelivery.findMany({ where: { shop } });
    expect(stored).toMatchObject({ status: "rejected", topic: "orders/create" });
    expect(stored?.error).toMatch(/line_items/);
    expect(await db().order.count({ where: { shop } })).toBe(0);

    expect(await replayDelivery(shop, stored!.id)).toEqual({ kind: "still-invalid", reason: expect.stringMatching(/line_items/) });
    expect(await replayDelivery("other-shop.myshopify.com", stored!.id)).toEqual({ kind: "not-found" });
  });

  it("processes a refund that arrived before its order once the order is known, and a replay does not record it twice", async () => {
    const shop = "intake-refund.myshopify.com";
    const created = orderPayload({ financial_status: "paid" });
    const orderId = Number(created.id);
    const refund = { ...JSON.parse(samplePayload("refunds/create")), id: 77_000 + n, order_id: orderId };

    await deliver("refunds/create", refund, shop);
    await new Promise((r) => setTimeout(r, 300));
    await deliver("orders/create", created, shop);

    const refundEntry = await waitFor(
      async () => (await db().orderEvent.findFirst({ where: { shop, kind: "refund" } })) ?? undefined,
      15_000,
      "the refund to be recorded after its order",
    );
    expect(refundEntry).toMatchObject({ owner: "finance", actor: "shopify:webhook refunds/create" });

    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { shop, topic: "refunds/create" } });
    expect(await replayDelivery(shop, delivery.id)).toEqual({ kind: "queued" });
    await settled(shop);
    expect(await db().orderEvent.count({ where: { shop, kind: "refund" } })).toBe(1);
  });
  it("ids above 2^53 stay exact: lines whose ids round to one number stay two lines, and a fulfilment lands on its own order, not on the one its rounded id would name", async () => {
    const shop = "big-ids.myshopify.com";
    await installApp(shop);
    // 9007199254740993 read as a JSON number is 9007199254740992: another order's id.
    const [mine, other] = ["9007199254740993", "9007199254740992"];
    const raw = (payload: unknown) => JSON.stringify(payload).replace(/"BIG:(\d+)"/g, "$1");
    const order = (id: string, lineIds: string[]) => {
      const base = orderPayload({ id: `BIG:${id}`, admin_graphql_api_id: `gid://shopify/Order/${id}`, name: `#B${id.slice(-3)}` });
      // Lines without their GID: the numeric id is all there is.
      const lines = lineIds.map((lineId, i) => ({
        ...(base.line_items as Record<string, unknown>[])[i],
        id: `BIG:${lineId}`,
        admin_graphql_api_id: undefined,
      }));
      return raw({ ...base, line_items: lines });
    };
    for (const [id, lines] of [
      [mine, ["9007199254741001", "9007199254741002"]],
      [other, ["9007199254741010"]],
    ] as const) {
      expect((await post(webhookRequest("orders/create", order(id, [...lines]), { shop }))).status).toBe(200);
    }
    await settled(shop);
    const held = (await orderOf(shop, `gid://shopify/Order/${mine}`))!;
    expect(held.lines.map((l) => l.sourceLineId).sort()).toEqual(["gid://shopify/LineItem/9007199254741001", "gid://shopify/LineItem/9007199254741002"]);

    const fulfilment = {
      ...JSON.parse(samplePayload("fulfillments/create")),
      id: "BIG:9007199254750001",
      order_id: `BIG:${mine}`,
      status: "success",
      shipment_status: null,
    };
    expect((await post(webhookRequest("fulfillments/create", raw(fulfilment), { shop }))).status).toBe(200);
    await settled(shop);
    const kinds = async (id: string) => (await orderOf(shop, `gid://shopify/Order/${id}`))!.events.map((e) => e.kind);
    expect(await kinds(mine)).toContain("fulfillment");
    expect(await kinds(other)).not.toContain("fulfillment");
    expect((await db().orderEvent.findFirstOrThrow({ where: { orderId: held.id, kind: "fulfillment" } })).dedupeKey).toBe(
      "fulfillment:9007199254750001:success:",
    );
  });

  it("a fulfilment-order event the OMS already holds asks for no re-read; a new status is re-checked before its read; other news asks for one read of the fulfilment side; an unknown one waits for its order's own read", async () => {
    const shop = "intake-fo-events.myshopify.com";
    const created = orderPayload();
    await deliver("orders/create", created, shop);
    await settled(shop);
    const order = (await orderOf(shop, created.admin_graphql_api_id))!;
    const fo = (k: number) => `gid://shopify/FulfillmentOrder/${created.id}${k}`;
    await replaceGroups(
      order.id,
      [
        { sourceId: fo(1), status: "CLOSED", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/1", locationName: "Edison", lines: [] },
        { sourceId: fo(2), status: "OPEN", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/2", locationName: "Dallas", lines: [] },
      ],
      await startGroupsRead(shop, order.id),
    );
    const syncsFor = () => syncRequests.filter((r) => r.orderId === created.admin_graphql_api_id || [fo(1), fo(2), fo(3)].includes(r.fulfillmentOrderId ?? ""));
    await waitFor(async () => syncsFor().length === 1 || undefined, 10_000, "the intake's own read");

    // The echo of a move the OMS made and has read back: nothing to learn.
    const moved = {
      original_fulfillment_order: { id: fo(1), status: "closed", assigned_location_id: "gid://shopify/Location/1" },
      moved_fulfillment_order: { id: fo(2), status: "open", assigned_location_id: "gid://shopify/Location/2" },
      destination_location_id: "gid://shopify/Location/2",
      fulfillment_order_line_items_requested: [],
      source_location: { id: "gid://shopify/Location/1" },
    };
    await deliver("fulfillment_orders/moved", moved, shop);
    await settled(shop);
    expect((await db().webhookDelivery.findFirstOrThrow({ where: { shop, topic: "fulfillment_orders/moved" } })).status).toBe("processed");

    // A move the OMS has not read back yet: a read of its own, looked at again just before it runs…
    const elsewhere = { ...moved, moved_fulfillment_order: { id: fo(4), status: "open", assigned_location_id: "gid://shopify/Location/3" } };
    await deliver("fulfillment_orders/moved", elsewhere, shop);
    await waitFor(async () => syncRequests.some((r) => r.unlessHeld?.some((f) => f.id === fo(4))) || undefined, 10_000, "the deferred read");
    const deferred = syncRequests.find((r) => r.unlessHeld?.some((f) => f.id === fo(4)))!;
    expect(deferred).toMatchObject({ orderId: created.admin_graphql_api_id, scope: "fulfilment" });
    // …which finds nothing to do once another read has brought those facts in (no Shopify call: this shop has no session).
    await replaceGroups(
      order.id,
      [
        { sourceId: fo(1), status: "CLOSED", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/1", locationName: "Edison", lines: [] },
        { sourceId: fo(2), status: "OPEN", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/2", locationName: "Dallas", lines: [] },
        { sourceId: fo(4), status: "OPEN", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/3", locationName: "Reno", lines: [] },
      ],
      await startGroupsRead(shop, order.id),
    );
    expect(
      await syncOrderFromShopify(shop, { orderId: created.admin_graphql_api_id, unlessHeld: deferred.unlessHeld }, deferred.via, new Date(), "fulfilment"),
    ).toMatchObject({ skipped: "the event's facts are held" });
    const seen = syncsFor().length;

    // Work started at the warehouse (a status the OMS does not have yet): one read of the order's fulfilment side.
    await deliver(
      "fulfillment_orders/progress_reported",
      { fulfillment_order: { id: fo(2), status: "in_progress" }, progress_report: { reason_notes: "picking" }, initial_status: "open" },
      shop,
    );
    await settled(shop);
    await waitFor(async () => syncsFor().length > seen || undefined, 10_000, "the progress read");
    await new Promise((r) => setTimeout(r, 600));
    expect(syncsFor().slice(seen)).toEqual([
      expect.objectContaining({ orderId: created.admin_graphql_api_id, scope: "fulfilment", via: "webhook fulfillment_orders/progress_reported" }),
    ]);

    // Routing finished for a fulfilment order the OMS has not read yet: asked about later, only if still unknown.
    await deliver("fulfillment_orders/order_routing_complete", { fulfillment_order: { id: fo(3), status: "open" } }, shop);
    await waitFor(async () => syncsFor().length > seen + 1 || undefined, 10_000, "the deferred owner lookup");
    const unknown = syncsFor()[seen + 1]!;
    expect(unknown).toMatchObject({ fulfillmentOrderId: fo(3), unlessHeld: [{ id: fo(3), status: "OPEN" }] });
    expect(unknown.onlyIfUnknown).toBeUndefined();
    // Known by then with the status the event stated (its order's own read brought it in): no read.
    await replaceGroups(
      order.id,
      [
        { sourceId: fo(1), status: "CLOSED", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/1", locationName: "Edison", lines: [] },
        { sourceId: fo(2), status: "OPEN", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/2", locationName: "Dallas", lines: [] },
        { sourceId: fo(3), status: "OPEN", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/2", locationName: "Dallas", lines: [] },
      ],
      await startGroupsRead(shop, order.id),
    );
    expect(
      await syncOrderFromShopify(shop, { fulfillmentOrderId: fo(3), unlessHeld: unknown.unlessHeld }, unknown.via, new Date(), "fulfilment"),
    ).toMatchObject({ skipped: "the event's facts are held" });
    // Known, but from a read that answered before the event's change (a hold placed on a new exchange
    // fulfilment order just after the order was read): being known is not enough, the read is made
    // (and fails here only because no Shopify answers for this shop).
    await expect(
      syncOrderFromShopify(shop, { fulfillmentOrderId: fo(3), unlessHeld: [{ id: fo(3), status: "ON_HOLD" }] }, unknown.via, new Date(), "fulfilment"),
    ).rejects.toThrow(/fetch failed/);
  });

  it("status-only events about fulfilment orders the OMS does not know yet are looked at again together: one its order's read brings in meanwhile asks for no read, the others for one each", async () => {
    const shop = "intake-fo-rechecks.myshopify.com";
    const created = orderPayload();
    await deliver("orders/create", created, shop);
    await settled(shop);
    const order = (await orderOf(shop, created.admin_graphql_api_id))!;
    const fo = (k: number) => `gid://shopify/FulfillmentOrder/${created.id}${k}`;
    const mine = [fo(1), fo(2), fo(3)];
    await installApp(shop);
    await Promise.all(mine.map((id) => deliver("fulfillment_orders/order_routing_complete", { fulfillment_order: { id, status: "open" } }, shop)));
    await settled(shop);
    // The order's own read brings in two of them, one with the status the event stated and one with another.
    await replaceGroups(
      order.id,
      [
        { sourceId: fo(1), status: "OPEN", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/1", locationName: "Edison", lines: [] },
        { sourceId: fo(2), status: "CLOSED", requestStatus: "UNSUBMITTED", locationId: "gid://shopify/Location/1", locationName: "Edison", lines: [] },
      ],
      await startGroupsRead(shop, order.id),
    );
    const rechecks = async () =>
      (await queue("fulfillment-order-rechecks").getCompleted()).filter((j) => (j.data as FulfillmentOrderRechecksPayload).shop === shop);
    await waitFor(
      async () => (await rechecks()).reduce((n, j) => n + (j.returnvalue as { checked: number }).checked, 0) === 3 || undefined,
      10_000,
      "the rechecks",
    );
    const done = await rechecks();
    // Three events, checked by fewer jobs than events (one per batch), one read asked for each event not held.
    expect(done.length).toBeLessThan(3);
    expect(done.reduce((n, j) => n + (j.returnvalue as { queued: number }).queued, 0)).toBe(2);
    await waitFor(async () => syncRequests.filter((r) => mine.includes(r.fulfillmentOrderId ?? "")).length === 2 || undefined, 10_000, "the reads");
    await new Promise((r) => setTimeout(r, 300));
    expect(syncRequests.filter((r) => mine.includes(r.fulfillmentOrderId ?? "")).map((r) => [r.fulfillmentOrderId, r.unlessHeld])).toEqual(
      expect.arrayContaining([
        [fo(2), [{ id: fo(2), status: "OPEN" }]],
        [fo(3), [{ id: fo(3), status: "OPEN" }]],
      ]),
    );
    expect(syncRequests.filter((r) => r.fulfillmentOrderId === fo(1))).toHaveLength(0);
  });
});
