// The five stuck-state monitors against the dev shop, each the same way: create the stuck state for
// real (webhooks lost, a worker down, a location that has not shipped), evaluate the monitor twice
// and see one queue item (raised once, not once per evaluation), follow the runbook's replay, and see
// the item clear on the next evaluation. Time is the monitors' `now`: an evaluation "two hours
// later" is an evaluation with now + 2 h.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { findException } from "~/.server/db/exceptions";
import { readThresholds } from "~/.server/db/monitor-queries";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing, type Processors } from "~/.server/queue/worker";
import { adminFor } from "~/.server/shopify/admin";
import { evaluateMonitor } from "~/.server/services/ops/evaluate-monitors";
import { replayException } from "~/.server/services/ops/replay-exception";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import type { MonitorKind } from "~/domain/ops/monitors";
import { austin } from "../dev/shopify-local/test-helpers";
import { createWebhookDispatcher } from "../dev/shopify-local/webhook-dispatcher";
import { processors } from "../jobs/processors";
import { appServer } from "./helpers/app-server";
import { APP_SECRET, devShop } from "./helpers/dev-shop";
import { waitFor } from "./helpers/wait";

const SHOP = "ops-monitors.myshopify.com";
const HOUR = 3_600_000;
const later = (ms: number) => new Date(Date.now() + ms);

describe("operations monitors against the dev shop", { timeout: 90_000 }, () => {
  let standInUrl: string;
  let post: (p: string, body: unknown) => Promise<Response>;
  let close: () => Promise<void>;

  // The worker, healthy or with its order syncing and routing down (those jobs run and do nothing).
  let mode: "healthy" | "sync-and-routing-down" = "healthy";
  const worker = async (m: typeof mode) => {
    mode = m;
  };
  const switchable: Processors = {
    ...processors,
    syncOrder: (p, ctx) => (mode === "healthy" ? processors.syncOrder(p, ctx) : Promise.resolve({ skipped: "worker down" })),
    routeOrder: (p, ctx) => (mode === "healthy" ? processors.routeOrder(p, ctx) : Promise.resolve({ skipped: "worker down" })),
  };
  const dropWebhooks = (topics: string[], count = 1) => post(`/_dev/shops/${SHOP}/webhooks/drop`, { topics, count });
  const checkout = async () =>
    (await (
      await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: "ops@example.com" })
    ).json()) as { orderId: string; name: string; fulfillmentOrderIds: string[] };
  const omsOrder = (sourceId: string) => db().order.findFirst({ where: { shop: SHOP, sourceId } });
  const inState = (sourceId: string, states: string[]) =>
    waitFor(
      async () => {
        const o = await omsOrder(sourceId);
        return o && states.includes(o.state) ? o : undefined;
      },
      20_000,
      `order in ${states.join("/")}`,
    );

  /** Evaluates twice (a minute apart) and returns the one item it must have raised. */
  async function raisedOnce(kind: MonitorKind, subject: string, at: Date) {
    const t = await readThresholds(SHOP);
    const first = await evaluateMonitor(SHOP, kind, t, at);
    const second = await evaluateMonitor(SHOP, kind, t, new Date(at.getTime() + 60_000));
    expect(first.error).toBeUndefined();
    expect(first.raised).toBeGreaterThanOrEqual(1);
    expect(second).toMatchObject({ raised: 0, cleared: 0 });
    const item = await findException(SHOP, kind, subject);
    expect(item).toMatchObject({ status: "open", occurrences: 1 });
    expect(await db().opsException.count({ where: { shop: SHOP, kind, subjectKey: subject } })).toBe(1);
    return item!;
  }

  async function clearsAfter(kind: MonitorKind, subject: string, at: Date) {
    const out = await evaluateMonitor(SHOP, kind, await readThresholds(SHOP), at);
    expect(out.cleared).toBeGreaterThanOrEqual(1);
    expect(await findException(SHOP, kind, subject)).toMatchObject({ status: "resolved", resolvedBy: "oms:monitor" });
  }

  beforeAll(async () => {
    const app = await appServer();
    const dispatcher = createWebhookDispatcher({ appUrl: app.url, apiSecret: APP_SECRET, retryScheduleMs: [200, 400] });
    const shop = await devShop(SHOP, { webhookSink: dispatcher });
    standInUrl = shop.standIn.url;
    post = shop.post;
    startProcessing(switchable);
    await reconcileStock(SHOP, new Date());
    close = async () => {
      dispatcher.close();
      await closeQueues();
      await shop.standIn.close();
      await app.close();
    };
  });
  afterAll(() => close());

  it("orders stuck before allocation: raised once while routing is down; the replay re-routes and it clears", async () => {
    await worker("sync-and-routing-down");
    const placed = await checkout();
    const order = await inState(placed.orderId, ["received", "released"]);
    // Within the threshold (30 min) nothing is raised.
    expect((await evaluateMonitor(SHOP, "stuck_before_allocation", await readThresholds(SHOP), later(10 * 60_000))).raised).toBe(0);

    const item = await raisedOnce("stuck_before_allocation", order.id, later(45 * 60_000));
    expect(item.summary).toContain(placed.name);

    await worker("healthy");
    const replay = await replayException(SHOP, item.id, "user:ops", new Date());
    expect(replay).toMatchObject({ ok: true, action: { type: "route_order" } });
    await inState(placed.orderId, ["sourced", "allocated"]);
    await clearsAfter("stuck_before_allocation", order.id, later(46 * 60_000));
  });

  it("allocations with no shipment: raised after the location's SLA; the location ships (its webhooks lost), the replay re-reads and it clears", async () => {
    const placed = await checkout();
    const order = await inState(placed.orderId, ["sourced"]);
    const item = await raisedOnce("allocation_no_shipment", order.id, later(25 * HOUR));
    expect(item.summary).toMatch(/SLA 24 h/);

    await dropWebhooks(["fulfillments/create", "orders/updated"]);
    const fos = (await (await fetch(`${standInUrl}/_dev/shops/${SHOP}/fulfillment-orders?orders=${placed.orderId}`)).json()) as {
      fulfillmentOrders: { id: string; status: string }[];
    };
    for (const fo of fos.fulfillmentOrders.filter((f) => f.status !== "CLOSED"))
      expect((await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo.id)}/ship`, { company: "UPS", number: "1ZOPS1" })).ok).toBe(true);
    // The OMS missed the shipment: still stuck on the next evaluation.
    expect((await evaluateMonitor(SHOP, "allocation_no_shipment", await readThresholds(SHOP), later(26 * HOUR))).cleared).toBe(0);

    expect(await replayException(SHOP, item.id, "user:ops", new Date())).toMatchObject({ ok: true, action: { type: "sync_order" } });
    await inState(placed.orderId, ["shipped"]);
    await clearsAfter("allocation_no_shipment", order.id, later(26 * HOUR));
  });

  it("shipments with no status sync: raised when the carrier is silent; delivered (webhook lost), the replay re-reads and it clears", async () => {
    const shipped = await db().order.findFirstOrThrow({ where: { shop: SHOP, state: "shipped" } });
    const item = await raisedOnce("shipment_status_unsynced", shipped.id, later(49 * HOUR));
    expect(item.summary).toMatch(/no carrier update/);

    await dropWebhooks(["fulfillments/update", "orders/updated"]);
    const fos = (await (await fetch(`${standInUrl}/_dev/shops/${SHOP}/fulfillment-orders?orders=${shipped.sourceId}`)).json()) as {
      fulfillmentOrders: { id: string }[];
    };
    expect((await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fos.fulfillmentOrders[0]!.id)}/deliver`, {})).ok).toBe(true);

    expect(await replayException(SHOP, item.id, "user:ops", new Date())).toMatchObject({ ok: true, action: { type: "sync_order" } });
    await inState(shipped.sourceId, ["delivered"]);
    await clearsAfter("shipment_status_unsynced", shipped.id, later(50 * HOUR));
  });

  it("captured payments with no order: Shopify has a paid order the OMS never received; the replay imports it and it clears", async () => {
    await dropWebhooks(["orders/create", "fulfillment_orders/order_routing_complete"]);
    const placed = await checkout();
    await new Promise((r) => setTimeout(r, 500));
    expect(await omsOrder(placed.orderId)).toBeNull();

    const item = await raisedOnce("payment_no_order", placed.orderId, later(20 * 60_000));
    expect(item.summary).toContain(placed.name);
    const outcome = await evaluateMonitor(SHOP, "payment_no_order", await readThresholds(SHOP), later(21 * 60_000));
    expect(outcome.comparison).toMatchObject({ missing: 1 });
    expect(outcome.comparison!.shopifyCaptured).toBe(outcome.comparison!.omsKnown + 1);

    expect(await replayException(SHOP, item.id, "user:ops", new Date())).toMatchObject({ ok: true, action: { type: "import_order" } });
    await waitFor(() => omsOrder(placed.orderId).then((o) => o ?? undefined), 20_000, "the imported order");
    await clearsAfter("payment_no_order", placed.orderId, later(22 * 60_000));
  });

  it("refunds with no finance posting: a refund whose webhook was lost; the replay records it (no money moves) and it clears", async () => {
    const order = await db().order.findFirstOrThrow({ where: { shop: SHOP, state: "delivered" } });
    await dropWebhooks(["refunds/create", "orders/updated"]);
    const graphql = await adminFor(SHOP);
    const res = await graphql(
      `#graphql
      mutation OpsTestRefund($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "ops-test-refund-1") { refund { id } userErrors { message } } }`,
      {
        variables: {
          input: { orderId: order.sourceId, note: "goodwill", transactions: [{ orderId: order.sourceId, amount: "5.00", gateway: "bogus", kind: "REFUND" }] },
        },
      },
    );
    const refundId = ((await res.json()) as { data: { refundCreate: { refund: { id: string } } } }).data.refundCreate.refund.id;

    const item = await raisedOnce("refund_no_posting", refundId, later(40 * 60_000));
    expect(item.summary).toContain("5.00");
    const replay = await replayException(SHOP, item.id, "user:ops", new Date());
    expect(replay).toMatchObject({ ok: true, action: { type: "record_refund" } });
    // Replaying twice records it once (the timeline's dedupe key), and never calls refundCreate.
    await replayException(SHOP, item.id, "user:ops", new Date());
    expect(await db().orderEvent.count({ where: { orderId: order.id, kind: "refund" } })).toBe(1);
    await clearsAfter("refund_no_posting", refundId, later(41 * 60_000));
  });

  it("every replay is audited with the staff actor", async () => {
    const audits = await db().auditEvent.findMany({ where: { shop: SHOP, subject: "exception-queue" } });
    expect(audits.length).toBeGreaterThanOrEqual(5);
    expect(audits.every((a) => a.actor === "user:ops")).toBe(true);
  });
});
