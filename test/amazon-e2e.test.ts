// Amazon marketplace intake end to end: the SP-API stand-in (dev/amazon-local), the Shopify stand-in
// delivering webhooks to the app's route, the real database, Redis and the worker's processors.
// Amazon orders become OMS orders, hold stock while Pending, are created in Shopify at Unshipped,
// confirmed back when Shopify fulfils them, cancelled when Amazon cancels, and stock goes back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redirectAmazon } from "~/.server/amazon/client";
import { closeAmazonRedis } from "~/.server/amazon/rate-limit";
import { db } from "~/.server/db/client";
import { env } from "~/.server/env";
import { queue } from "~/.server/queue/queues";
import { connectAmazonAccount, saveAmazonRoles, testAmazonConnection } from "~/.server/services/marketplace/amazon-accounts";
import { amazonPageView } from "~/.server/services/marketplace/amazon-views";
import { onShopifyFulfillment } from "~/.server/services/marketplace/amazon-shipments";
import { pushAmazonStock } from "~/.server/services/marketplace/amazon-stock";
import { syncAmazonAccount, type SyncOutcome } from "~/.server/services/marketplace/amazon-sync";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { adminFor } from "~/.server/shopify/admin";
import { createMarketplaceOrder } from "~/.server/shopify/marketplace-orders";
import { atp } from "~/domain/inventory/atp";
import { startAmazonStandIn, type AmazonStandIn } from "../dev/amazon-local/server";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "amazon-e2e.myshopify.com";
// A seller with a generous dynamic usage plan for searchOrders (Amazon returns it in
// x-amzn-RateLimit-Limit, and the OMS's limiter follows it), so the test need not wait minutes.
const SELLER = {
  sellerId: "A2SELLERE2E",
  marketplaceIds: ["ATVPDKIKX0DER"],
  clientId: "amzn1.application-oa2-client.e2e",
  clientSecret: "lwa-secret-e2e",
  refreshToken: "Atzr|refresh-e2e",
  plans: { searchOrders: { rate: 5, burst: 20 } },
  roles: ["DIRECT_TO_CONSUMER_DELIVERY", "TAX_INVOICING"],
};
// The app holds the restricted roles (above, at Amazon) and the account records them (below): the
// Shopify orders get the shipping address their fulfilment needs (test/amazon-roles.test.ts: without).

describe("Amazon marketplace intake", { timeout: 120_000 }, () => {
  let shopify: Shop;
  let amazon: AmazonStandIn;
  let accountId: string;
  const amz = (p: string, body?: unknown) =>
    fetch(amazon.url + p, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const createAmazonOrder = async (items: { sku: string; quantity: number; price?: number }[], extra: Record<string, unknown> = {}) =>
    (await (await amz(`/_dev/sellers/${SELLER.sellerId}/orders`, { items, ...extra })).json()) as { orderId: string; items: { orderItemId: string }[] };
  const status = (orderId: string, s: string) => amz(`/_dev/orders/${orderId}/status`, { status: s });
  /**
   * Moves Amazon's clock so the last change is at least a second old, then polls until a window
   * opened after that change has closed (a window already open when this starts ends at its own,
   * earlier bound: the next poll is the one that covers the change).
   */
  const sync = async (): Promise<Extract<SyncOutcome, { kind: "done" }>> => {
    await amz("/_dev/time", { advanceMs: 1000 });
    const resumed = (await db().amazonAccount.findUniqueOrThrow({ where: { id: accountId } })).windowAfter !== null;
    const out = await syncOnce();
    return resumed ? syncOnce() : out;
  };
  const syncOnce = async (): Promise<Extract<SyncOutcome, { kind: "done" }>> => {
    for (let i = 0; i < 20; i++) {
      const out = await syncAmazonAccount(accountId, () => new Date());
      if (process.env.AMZ_DEBUG)
        console.log(
          "sync",
          JSON.stringify(out),
          JSON.stringify(
            await db().amazonAccount.findUnique({
              where: { id: accountId },
              select: { watermark: true, windowAfter: true, pageToken: true, syncClaimedUntil: true, lastSyncError: true },
            }),
          ),
        );
      if (out.kind === "done") return out;
      if (out.kind === "more") await amz("/_dev/time", { advanceMs: out.retryAfterMs + 1000 });
      await new Promise((r) => setTimeout(r, out.kind === "more" ? out.retryAfterMs : 100));
    }
    throw new Error("sync did not finish");
  };
  const applied = (amazonOrderId: string) =>
    waitFor(
      async () => {
        const row = await db().amazonOrder.findFirst({ where: { amazonOrderId } });
        return row && row.appliedUpdatedTime && row.appliedUpdatedTime >= row.lastUpdatedTime ? row : undefined;
      },
      20_000,
      `Amazon order ${amazonOrderId} applied`,
    ).catch(async (e) => {
      const dead = await db().deadLetter.findMany({ where: { jobName: "amazon-apply-order" } });
      const retrying = await queue("amazon-apply-order").getJobs(["delayed", "failed", "active", "waiting"]);
      const row = await db().amazonOrder.findFirst({ where: { amazonOrderId } });
      throw new Error(
        `${(e as Error).message}; row ${JSON.stringify(row && { ...row, data: undefined })}; dead letters: ${dead.map((d) => d.error).join(" | ")}; jobs: ${retrying.map((j) => `${j.id} ${j.failedReason ?? ""}`).join(" | ")}`,
      );
    });
  const shopifyState = async () =>
    (await (await fetch(`${shopify.standIn.url}/_dev/shops/${SHOP}/state`)).json()) as {
      inventory: { sku: string; location: string; available: number; committed: number; on_hand: number }[];
      orders: { id: string; name: string; tags?: string[]; sourceName?: string; cancelledAt?: string | null }[];
    };
  const omsTotals = async (sku: string) => {
    const levels = await db().stockLevel.findMany({ where: { shop: SHOP, sku } });
    return {
      atp: levels.reduce((n, l) => n + atp(l), 0),
      reserved: levels.reduce((n, l) => n + l.reserved, 0),
      onHand: levels.reduce((n, l) => n + l.onHand, 0),
    };
  };
  /** Units an OMS order holds now (its ledger entries). */
  const heldBy = async (orderId: string) =>
    (await db().stockMovement.findMany({ where: { shop: SHOP, reference: orderId } })).reduce((n, m) => n + m.reservedDelta, 0);
  const shopifyOrdersFor = (amazonOrderId: string) =>
    [...shopify.standIn.store.get(SHOP)!.orders.values()].filter((x) => x.tags.includes(`AmazonOrderId:${amazonOrderId}`));
  const shopifyAvailable = async (sku: string) => (await shopifyState()).inventory.filter((l) => l.sku === sku).reduce((n, l) => n + l.available, 0);

  beforeAll(async () => {
    amazon = await startAmazonStandIn({ speed: 1 });
    redirectAmazon(amazon.url, "test");
    await amz("/_dev/sellers", SELLER);
    shopify = await connectedDevShop(SHOP, { duplicateRate: 0.5 });
    await reconcileStock(SHOP, new Date());
    if (process.env.AMZ_DEBUG)
      for (const q of ["amazon-apply-order", "amazon-confirm-shipment", "orders"] as const)
        queue(q).on("failed", (job, e) => console.log("FAILED", job.name, job.id, e.message.slice(0, 300)));
  });

  afterAll(async () => {
    await shopify.close();
    await amazon.close();
    await closeAmazonRedis();
  });

  it("connects a seller with its secrets sealed, and tests the connection", async () => {
    ({ id: accountId } = await connectAmazonAccount(
      SHOP,
      {
        sellerId: SELLER.sellerId,
        marketplaceIds: SELLER.marketplaceIds,
        lwaClientId: SELLER.clientId,
        lwaClientSecret: SELLER.clientSecret,
        refreshToken: SELLER.refreshToken,
      },
      "user:owner",
      new Date(),
    ));
    expect(await saveAmazonRoles(SHOP, { accountId, roles: ["DIRECT_TO_CONSUMER_DELIVERY", "TAX_INVOICING"] }, "user:owner", new Date())).toBe(true);
    const row = await db().amazonAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(JSON.stringify(row)).not.toContain(SELLER.clientSecret);
    expect(JSON.stringify(row)).not.toContain(SELLER.refreshToken);
    expect(await testAmazonConnection(SHOP, accountId, "user:owner", new Date())).toMatchObject({ ok: true });
    const audit = await db().auditEvent.findMany({ where: { shop: SHOP, subject: "amazon-account" } });
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(SELLER.refreshToken);
  });

  it("a Pending order becomes an OMS order on hold that holds stock; at Unshipped it is created in Shopify once and the record follows it", async () => {
    const before = { oms: await omsTotals("TEE-M"), shopify: await shopifyAvailable("TEE-M") };
    const o = await createAmazonOrder([{ sku: "TEE-M", quantity: 2, price: 19.5 }]);
    await sync();
    const row = await applied(o.orderId);
    const order = await db().order.findUniqueOrThrow({ where: { id: row.omsOrderId! }, include: { lines: true } });
    expect(order).toMatchObject({ channel: "amazon", name: o.orderId, state: "on_hold", holdReason: "awaiting payment", sourceId: `amazon:${o.orderId}` });
    expect(order.tags.split(",")).toContain("Amazon US");
    expect((await omsTotals("TEE-M")).reserved).toBe(before.oms.reserved + 2);
    expect(row.shopifyState).toBe("none"); // not released to fulfilment while Pending

    await status(o.orderId, "UNSHIPPED");
    await sync();
    await applied(o.orderId);
    const created = await waitFor(
      async () => {
        const r = await db().amazonOrder.findFirst({ where: { amazonOrderId: o.orderId } });
        const oms = r?.omsOrderId ? await db().order.findUnique({ where: { id: r.omsOrderId }, include: { lines: true, groups: true } }) : null;
        return r?.shopifyState === "created" && oms?.sourceId === r.shopifyOrderId && oms.groups.some((g) => g.sourceId.startsWith("gid://"))
          ? { r, oms }
          : undefined;
      },
      30_000,
      "Shopify order created and adopted",
    );
    // One record: the same OMS order, now Shopify's, with Shopify's line items; one Shopify order.
    expect(created.oms.id).toBe(order.id);
    expect(created.oms.lines.map((l) => l.sourceLineId).every((id) => id.startsWith("gid://"))).toBe(true);
    expect(await db().order.count({ where: { shop: SHOP, OR: [{ name: o.orderId }, { tags: { contains: `AmazonOrderId:${o.orderId}` } }] } })).toBe(1);
    const theirs = shopifyOrdersFor(o.orderId);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toMatchObject({ sourceName: "amazon", sourceIdentifier: o.orderId });
    // Each unit counted once: 2 units down in OMS ATP and Shopify available, as for a Shopify order.
    await waitFor(
      async () => (await omsTotals("TEE-M")).atp === before.oms.atp - 2 && (await shopifyAvailable("TEE-M")) === before.shopify - 2,
      20_000,
      "ATP and Shopify available settle 2 lower",
    );
    const timeline = await db().orderEvent.findMany({ where: { orderId: order.id }, orderBy: { at: "asc" } });
    expect(timeline.some((e) => e.source === "amazon")).toBe(true);
    expect(timeline.some((e) => e.summary.startsWith("Created in Shopify"))).toBe(true);
  });

  it("a Shopify order an earlier run created and did not get to adopt is adopted, not created again", async () => {
    const o = await createAmazonOrder([{ sku: "TEE-M", quantity: 1, price: 19.5 }]);
    await status(o.orderId, "UNSHIPPED");
    // As if a run had created it in Shopify (tagged as the OMS tags it) and stopped before recording
    // it (orderCreate has no idempotency key), and Shopify's webhooks about it were lost too (they
    // would have joined it to the Amazon record by its tag): only the lookup can find it.
    await shopify.post(`/_dev/shops/${SHOP}/webhooks/drop`, { topics: ["orders/create", "fulfillment_orders/order_routing_complete"] });
    const earlier = await createMarketplaceOrder(await adminFor(SHOP), {
      sourceName: "amazon",
      sourceIdentifier: o.orderId,
      processedAt: new Date().toISOString(),
      currency: "USD",
      email: null,
      tags: [`AmazonOrderId:${o.orderId}`],
      note: "created by a run that stopped",
      lines: [{ variantId: null, sku: "TEE-M", title: "Tee", quantity: 1, unitPrice: "19.50" }],
      shippingAddress: null,
    });
    if (!earlier.ok) throw new Error(earlier.message);
    await sync();
    await applied(o.orderId);
    const row = await waitFor(
      async () => {
        const r = await db().amazonOrder.findFirst({ where: { amazonOrderId: o.orderId } });
        return r?.shopifyState === "created" ? r : undefined;
      },
      30_000,
      "the Shopify order adopted",
    );
    expect(row.shopifyOrderId).toBe(earlier.orderId);
    expect([...shopify.standIn.store.get(SHOP)!.orders.values()].filter((x) => x.sourceIdentifier === o.orderId)).toHaveLength(1);
    await waitFor(
      async () => ((await db().order.findUnique({ where: { id: row.omsOrderId! } }))?.sourceId === earlier.orderId ? true : undefined),
      20_000,
      "the OMS order following it",
    );
  });

  it("ATP and Shopify available after an Amazon order equal those after a Shopify order of the same lines", async () => {
    const sku = "TEE-M";
    const start = { oms: await omsTotals(sku), shopify: await shopifyAvailable(sku) };
    const placed = (await (
      await shopify.post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku, quantity: 3 }], shippingAddress: austin, email: "shopper@example.com" })
    ).json()) as { orderId: string };
    expect(placed.orderId).toBeTruthy();
    await waitFor(
      async () => (await omsTotals(sku)).reserved === start.oms.reserved + 3 && (await shopifyAvailable(sku)) === start.shopify - 3,
      20_000,
      "Shopify order reserved",
    );
    const afterShopify = { oms: await omsTotals(sku), shopify: await shopifyAvailable(sku) };
    const o = await createAmazonOrder([{ sku, quantity: 3 }], { status: "UNSHIPPED" });
    await sync();
    await applied(o.orderId);
    await waitFor(
      async () => (await db().amazonOrder.findFirst({ where: { amazonOrderId: o.orderId } }))?.shopifyState === "created",
      20_000,
      "created in Shopify",
    );
    let last: unknown;
    await waitFor(
      async () => {
        const now = { oms: await omsTotals(sku), shopify: await shopifyAvailable(sku) };
        last = now;
        return now.oms.atp === afterShopify.oms.atp - 3 && now.shopify === afterShopify.shopify - 3 && now.oms.reserved === afterShopify.oms.reserved + 3;
      },
      20_000,
      "the Amazon order moved ATP and Shopify available as much as the Shopify order did",
    ).catch((e) => {
      throw new Error(`${(e as Error).message}: start ${JSON.stringify(start)} after Shopify ${JSON.stringify(afterShopify)} now ${JSON.stringify(last)}`);
    });
    expect(start.oms.atp - afterShopify.oms.atp).toBe(3);
    expect(start.shopify - afterShopify.shopify).toBe(3);
  });

  /** An Unshipped Amazon order taken all the way into Shopify; returns its rows. */
  const intoShopify = async (items: { sku: string; quantity: number }[]) => {
    const o = await createAmazonOrder(items, { status: "UNSHIPPED" });
    await sync();
    await applied(o.orderId);
    const row = await waitFor(
      async () => {
        const r = await db().amazonOrder.findFirst({ where: { amazonOrderId: o.orderId } });
        const groups = r?.omsOrderId ? await db().fulfillmentGroup.findMany({ where: { orderId: r.omsOrderId, sourceId: { startsWith: "gid://" } } }) : [];
        return r?.shopifyState === "created" && groups.length > 0 ? r : undefined;
      },
      30_000,
      "in Shopify with its fulfilment orders",
    );
    return { o, row };
  };

  it("confirms a Shopify fulfilment to Amazon exactly once across duplicate webhooks and replays", async () => {
    const { o, row } = await intoShopify([{ sku: "TEE-M", quantity: 1 }]);
    const fo = [...shopify.standIn.store.get(SHOP)!.fulfillmentOrders.values()].find(
      (f) => `gid://shopify/Order/${f.orderId}` === row.shopifyOrderId && f.status === "OPEN",
    )!;
    const shipped = await shopify.post(`/_dev/shops/${SHOP}/fulfillment-orders/${fo.id}/ship`, { company: "FedEx", number: "794600000001" });
    expect(shipped.status).toBe(200);
    const confirmed = await waitFor(
      async () => (await db().amazonShipment.findMany({ where: { amazonOrderId: o.orderId, status: "confirmed" } })).at(0),
      30_000,
      "shipment confirmed",
    );
    // The same fulfilment reported again (a duplicate delivery, a replay) changes nothing.
    const f = [...shopify.standIn.store.get(SHOP)!.fulfillments.values()].find((x) => `gid://shopify/Order/${x.orderId}` === row.shopifyOrderId)!;
    const body = {
      id: f.id,
      admin_graphql_api_id: `gid://shopify/Fulfillment/${f.id}`,
      status: "success",
      created_at: f.createdAt,
      tracking_company: "FedEx",
      tracking_number: "794600000001",
      line_items: [{ sku: "TEE-M", quantity: 1 }],
    };
    await onShopifyFulfillment(SHOP, row.omsOrderId!, body, new Date());
    await onShopifyFulfillment(SHOP, row.omsOrderId!, body, new Date());
    await new Promise((r) => setTimeout(r, 1000));
    expect(await db().amazonShipment.count({ where: { amazonOrderId: o.orderId } })).toBe(1);
    const onAmazon = (await (await amz(`/_dev/orders/${o.orderId}`)).json()) as {
      status: string;
      packages: { packageReferenceId: string; carrierCode: string; trackingNumber: string }[];
    };
    expect(onAmazon.status).toBe("SHIPPED");
    expect(onAmazon.packages).toEqual([
      expect.objectContaining({ packageReferenceId: confirmed.packageReferenceId, carrierCode: "FedEx", trackingNumber: "794600000001" }),
    ]);
  });

  it("a confirmation Amazon refuses ends in the dead letters and raises shipment_status_unsynced", async () => {
    const { o, row } = await intoShopify([{ sku: "TEE-M", quantity: 1 }]);
    await amz("/_dev/faults", { operationId: "confirmShipment", status: 400, count: 1 });
    // A 400 the model allows: Amazon's own InvalidInput (e.g. the order changed on Amazon's side).
    await amz(`/_dev/orders/${o.orderId}/cancel`, { reason: "BuyerCanceled" });
    const fo = [...shopify.standIn.store.get(SHOP)!.fulfillmentOrders.values()].find(
      (f) => `gid://shopify/Order/${f.orderId}` === row.shopifyOrderId && f.status === "OPEN",
    )!;
    await shopify.post(`/_dev/shops/${SHOP}/fulfillment-orders/${fo.id}/ship`, { company: "Pigeon Post", number: "PP-1" });
    const ex = await waitFor(
      () =>
        db()
          .opsException.findFirst({ where: { shop: SHOP, kind: "shipment_status_unsynced", orderId: row.omsOrderId } })
          .then((x) => x ?? undefined),
      30_000,
      "exception raised",
    );
    expect(ex.summary).toContain(o.orderId);
    // The Amazon page counts it among its open marketplace exceptions (open ones of its kinds only).
    const open = await db().opsException.count({ where: { shop: SHOP, kind: "shipment_status_unsynced", status: "open" } });
    expect(open).toBeGreaterThanOrEqual(1);
    const page = await amazonPageView(SHOP, new Date());
    expect(page.exceptions).toContainEqual({ kind: "shipment_status_unsynced", count: open });
    expect(
      page.exceptions.every((e) =>
        ["marketplace_order_not_created", "marketplace_cancel_after_ship", "shipment_status_unsynced", "cancellation_request_pending"].includes(e.kind),
      ),
    ).toBe(true);
    await waitFor(
      () =>
        db()
          .deadLetter.findFirst({ where: { jobName: "amazon-confirm-shipment" } })
          .then((x) => x ?? undefined),
      10_000,
      "dead letter",
    );
    expect(await db().amazonShipment.findFirst({ where: { amazonOrderId: o.orderId } })).toMatchObject({ status: "failed" });
  });

  it("Amazon's cancellation before shipping cancels the Shopify order and releases its stock; after shipping it raises an exception and changes nothing", async () => {
    const { o, row } = await intoShopify([{ sku: "TEE-M", quantity: 2 }]);
    await waitFor(async () => (await heldBy(row.omsOrderId!)) === 2, 20_000, "reserved");
    await amz(`/_dev/orders/${o.orderId}/cancel`, { reason: "BuyerCanceled" });
    await sync();
    await applied(o.orderId);
    await waitFor(async () => shopifyOrdersFor(o.orderId)[0]?.cancelledAt, 20_000, "cancelled in Shopify");
    await waitFor(async () => (await heldBy(row.omsOrderId!)) === 0, 20_000, "stock released");
    await waitFor(async () => (await db().order.findUnique({ where: { id: row.omsOrderId! } }))?.state === "cancelled", 20_000, "OMS order cancelled");

    // After it shipped: Amazon cancels anyway (forced in the stand-in); a person is asked.
    const shippedOne = await intoShopify([{ sku: "TEE-M", quantity: 1 }]);
    const fo = [...shopify.standIn.store.get(SHOP)!.fulfillmentOrders.values()].find(
      (f) => `gid://shopify/Order/${f.orderId}` === shippedOne.row.shopifyOrderId && f.status === "OPEN",
    )!;
    await shopify.post(`/_dev/shops/${SHOP}/fulfillment-orders/${fo.id}/ship`, { company: "UPS", number: "1ZLATE" });
    await waitFor(async () => (await db().order.findUnique({ where: { id: shippedOne.row.omsOrderId! } }))?.state === "shipped", 20_000, "shipped in the OMS");
    await amz(`/_dev/orders/${shippedOne.o.orderId}/cancel`, { force: true });
    await sync();
    await applied(shippedOne.o.orderId);
    const ex = await db().opsException.findFirst({
      where: { shop: SHOP, kind: "marketplace_cancel_after_ship", subjectKey: `amazon:${shippedOne.o.orderId}` },
    });
    expect(ex).not.toBeNull();
    expect(shopifyOrdersFor(shippedOne.o.orderId)[0]?.cancelledAt).toBeNull();
    expect((await db().order.findUnique({ where: { id: shippedOne.row.omsOrderId! } }))?.state).toBe("shipped");
  });

  it("page boundaries, an overlap window catching a late-indexed order, and a late status update: every order once, newest state wins", async () => {
    env().AMAZON_PAGE_SIZE = 3; // small pages: seven orders take three pages
    const created = [];
    for (let i = 0; i < 7; i++) created.push(await createAmazonOrder([{ sku: "TEE-M", quantity: 1 }]));
    // One order Amazon indexes late: updated now, visible to searches only after the window closed.
    await amz("/_dev/settings", { visibilityDelayMs: 20_000 });
    const late = await createAmazonOrder([{ sku: "TEE-M", quantity: 1 }]);
    await amz("/_dev/settings", { visibilityDelayMs: 0 });
    await sync(); // the window closes without the late order
    expect(await db().amazonOrder.findFirst({ where: { amazonOrderId: late.orderId } })).toBeNull();
    await amz("/_dev/time", { advanceMs: 25_000 });
    await sync(); // the next window starts before the last bound (overlap) and finds it
    expect(await db().amazonOrder.findFirst({ where: { amazonOrderId: late.orderId } })).not.toBeNull();
    // A late status update moves the order on; a replay of the older page changes nothing.
    await status(created[0]!.orderId, "UNSHIPPED");
    await sync();
    const row = await applied(created[0]!.orderId);
    expect(row.status).toBe("UNSHIPPED");
    for (const o of [...created, late]) expect(await db().amazonOrder.count({ where: { amazonOrderId: o.orderId } })).toBe(1);
    for (const o of [...created, late])
      expect(
        await db().order.count({ where: { shop: SHOP, OR: [{ sourceId: `amazon:${o.orderId}` }, { tags: { contains: `AmazonOrderId:${o.orderId}` } }] } }),
      ).toBe(1);
  });

  it("a 429 storm: the sync backs off and resumes the same window; nothing is missed or duplicated", async () => {
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await createAmazonOrder([{ sku: "TEE-M", quantity: 1 }]));
    await amz("/_dev/faults", { operationId: "searchOrders", status: 429, count: 6 });
    const outcomes: string[] = [];
    await amz("/_dev/time", { advanceMs: 1000 });
    for (let i = 0; i < 30; i++) {
      const out = await syncAmazonAccount(accountId, () => new Date());
      outcomes.push(out.kind);
      if (out.kind === "done") break;
      await new Promise((r) => setTimeout(r, out.kind === "more" ? Math.min(out.retryAfterMs, 1500) : 100));
    }
    expect(outcomes.filter((k) => k === "more").length).toBeGreaterThanOrEqual(1);
    expect(outcomes.at(-1)).toBe("done");
    for (const o of orders) expect(await db().amazonOrder.count({ where: { amazonOrderId: o.orderId } })).toBe(1);
  });

  it("a worker killed mid-page: its lease lapses and the next run reads the same page again from the stored token", async () => {
    const orders = [];
    for (let i = 0; i < 5; i++) orders.push(await createAmazonOrder([{ sku: "TEE-M", quantity: 1 }]));
    await amz("/_dev/time", { advanceMs: 1000 });
    // The killed worker: it opened the window and held the lease, fetched a page, and died before storing it.
    const acct = await db().amazonAccount.findUniqueOrThrow({ where: { id: accountId } });
    const after = new Date(acct.watermark!.getTime() - env().AMAZON_OVERLAP_SECONDS * 1000);
    await db().amazonAccount.update({ where: { id: accountId }, data: { windowAfter: after, pageToken: null, syncClaimedUntil: new Date(Date.now() + 1500) } });
    expect((await syncAmazonAccount(accountId, () => new Date())).kind).toBe("busy");
    await new Promise((r) => setTimeout(r, 1600));
    const out = await syncOnce(); // (it may first have to wait for the rate limit)
    expect(out.kind).toBe("done");
    for (const o of orders) {
      expect(await db().amazonOrder.count({ where: { amazonOrderId: o.orderId } })).toBe(1);
      await applied(o.orderId);
    }
  });

  it("an Amazon order and a Shopify order racing for the last units: one holds them, none oversold", async () => {
    const before = await omsTotals("SHELL-M");
    expect(before.atp).toBe(2);
    const amazonOrder = await createAmazonOrder([{ sku: "SHELL-M", quantity: 2 }]);
    await amz("/_dev/time", { advanceMs: 1000 });
    const [, checkout] = await Promise.all([
      sync(),
      shopify.post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "SHELL-M", quantity: 2 }], shippingAddress: austin, email: "racer@example.com" }),
    ]);
    const shopifyOrder = (await checkout.json()) as { orderId: string };
    const amazonRow = await applied(amazonOrder.orderId);
    const shopifyOms = await waitFor(
      () =>
        db()
          .order.findFirst({ where: { shop: SHOP, sourceId: shopifyOrder.orderId } })
          .then((x) => x ?? undefined),
      20_000,
      "Shopify order in the OMS",
    );
    await new Promise((r) => setTimeout(r, 2000));
    const levels = await db().stockLevel.findMany({ where: { shop: SHOP, sku: "SHELL-M" } });
    for (const l of levels) expect(l.reserved).toBeLessThanOrEqual(l.onHand);
    expect(levels.reduce((n, l) => n + l.reserved, 0)).toBe(2);
    const amazonHeld = await heldBy(amazonRow.omsOrderId!);
    const shopifyHeld = await heldBy(shopifyOms.id);
    expect([amazonHeld, shopifyHeld].sort()).toEqual([0, 2]);
    // The loser is flagged; an Amazon loser is not released to Shopify.
    if (amazonHeld === 0) expect((await db().order.findUnique({ where: { id: amazonRow.omsOrderId! } }))?.exception).toBe("STOCK_SHORTFALL");
    else expect((await db().order.findUnique({ where: { id: shopifyOms.id } }))?.exception).toBe("STOCK_SHORTFALL");
  });

  it("pushes each Amazon SKU's sellable quantity (ATP less the buffer) and reports drift", async () => {
    await amz(`/_dev/sellers/${SELLER.sellerId}/listings`, {
      listings: [
        { sku: "TEE-M", quantity: 999 },
        { sku: "SHELL-M", quantity: 999 },
        { sku: "TEE-L", quantity: 999 },
      ],
    });
    await db().amazonAccount.update({ where: { id: accountId }, data: { stockBuffer: 1 } });
    const tick = await pushAmazonStock(accountId, new Date());
    expect(tick.pushed).toBeGreaterThanOrEqual(2);
    const listings = (await (await amz(`/_dev/sellers/${SELLER.sellerId}/listings`)).json()) as { sku: string; quantity: number; patches: number }[];
    for (const sku of ["TEE-M", "SHELL-M"]) {
      const t = await omsTotals(sku);
      expect(listings.find((l) => l.sku === sku)?.quantity).toBe(Math.max(0, t.atp - 1));
    }
    // Nothing changed: the next tick pushes nothing (coalesced), and reads back what Amazon has.
    const again = await pushAmazonStock(accountId, new Date());
    expect(again.pushed).toBe(0);
    const row = await db().amazonListing.findFirstOrThrow({ where: { accountId, sku: "TEE-M" } });
    expect(row.amazonQuantity).toBe(row.pushed);
  });
});
