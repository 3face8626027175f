// Payment consistency against the dev shop: manual capture per shipment (orderCapture, once per
// shipment although every webhook is delivered twice), authorisations tracked to expiry, and the
// detectors — a capture after the cancellation and a cancellation never refunded each raise one
// exception, and replaying the check raises none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { orderPolicy, saveOrderPolicy } from "~/.server/db/order-policy";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { CAPTURE_IN_FLIGHT_MS, captureForShipment } from "~/.server/services/payments/capture-shipment";
import { checkOrderPayments, REFUND_GRACE_MS } from "~/.server/services/payments/check-payments";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "payments-e2e.myshopify.com";

describe("payments against the dev shop", { timeout: 60_000 }, () => {
  let standIn: Shop["standIn"];
  let post: Shop["post"];
  let close: Shop["close"];
  let token: string;

  const gql = async (query: string, variables: Record<string, unknown>) => {
    const r = await fetch(`${standIn.url}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token, "x-forwarded-host": SHOP },
      body: JSON.stringify({ query, variables }),
    });
    return ((await r.json()) as { data: Record<string, any> }).data; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const checkout = async (body: Record<string, unknown>) =>
    (await (
      await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "ada@example.com", ...body })
    ).json()) as { orderId: string; fulfillmentOrderIds: string[] };
  const omsOrder = (sourceId: string) =>
    waitFor(async () => (await db().order.findFirst({ where: { shop: SHOP, sourceId } })) ?? undefined, 10_000, "the OMS order");
  const exceptions = (orderId: string, kind: string) => db().opsException.findMany({ where: { shop: SHOP, orderId, kind } });

  beforeAll(async () => {
    ({ standIn, post, close } = await connectedDevShop(SHOP, { duplicateRate: 1 }));
    token = ((await (await post(`/_dev/shops/${SHOP}/install`, {})).json()) as { accessToken: string }).accessToken;
    await reconcileStock(SHOP, new Date());
  });
  afterAll(() => close());

  it("capture policy on_shipment: each shipment captures its share with orderCapture, the last one the rest — once each", async () => {
    const { version, ...before } = await orderPolicy(SHOP);
    await saveOrderPolicy(SHOP, version, before, { ...before, captureMode: "on_shipment" }, "user:owner", "settings.edit", new Date());
    // A shell only Seattle has and a tee only Dallas has: two shipments.
    const placed = await checkout({
      lines: [
        { sku: "SHELL-M", quantity: 1 },
        { sku: "TEE-L", quantity: 1 },
      ],
      extras: { payment: { gateway: "manual_capture" } },
    });
    const order = await omsOrder(placed.orderId);
    await waitFor(async () => (await db().order.findUnique({ where: { id: order.id } }))?.state === "sourced" || undefined, 20_000, "sourced");
    const fos = (
      (await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders?orders=${encodeURIComponent(placed.orderId)}`)).json()) as {
        fulfillmentOrders: { id: string; location: string }[];
      }
    ).fulfillmentOrders;
    expect(fos.map((f) => f.location).sort()).toEqual(["Dallas TX", "Seattle WA"]);
    const seattle = fos.find((f) => f.location === "Seattle WA")!;
    const dallas = fos.find((f) => f.location === "Dallas TX")!;

    await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(seattle.id)}/ship`, {});
    await waitFor(
      async () => (await db().paymentCapture.count({ where: { orderId: order.id, status: "captured" } })) === 1 || undefined,
      15_000,
      "the first capture",
    );
    await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(dallas.id)}/ship`, {});
    await waitFor(
      async () => (await db().paymentCapture.count({ where: { orderId: order.id, status: "captured" } })) === 2 || undefined,
      15_000,
      "the second capture",
    );
    await new Promise((r) => setTimeout(r, 500)); // duplicated fulfillments/create deliveries have arrived by now

    const o = (
      await gql(`query O($id: ID!) { order(id: $id) { displayFinancialStatus transactions(first: 10) { kind amountSet { shopMoney { amount } } } } }`, {
        id: placed.orderId,
      })
    ).order;
    expect(o.transactions.map((t: { kind: string; amountSet: { shopMoney: { amount: string } } }) => `${t.kind} ${t.amountSet.shopMoney.amount}`)).toEqual([
      "AUTHORIZATION 153.95",
      "CAPTURE 129.95",
      "CAPTURE 24.00",
    ]);
    expect(o.displayFinancialStatus).toBe("PAID");
    expect(await db().paymentCapture.count({ where: { orderId: order.id } })).toBe(2);
    const notes = await db().orderEvent.findMany({ where: { orderId: order.id, actor: "oms:capture-policy" }, orderBy: { at: "asc" } });
    expect(notes.map((n) => n.summary)).toEqual([
      expect.stringMatching(/^Captured 129\.95 USD for shipment/),
      expect.stringMatching(/^Captured 24\.00 USD for shipment .* \(final capture\)$/),
    ]);
    const { version: v2, ...p2 } = await orderPolicy(SHOP);
    await saveOrderPolicy(SHOP, v2, p2, { ...p2, captureMode: "automatic" }, "user:owner", "settings.edit", new Date());
  });

  it("a capture whose run stopped before recording Shopify's answer: retried while in flight, then captured once — or, when Shopify made it, recorded without capturing again", async () => {
    const { version, ...before } = await orderPolicy(SHOP);
    await saveOrderPolicy(SHOP, version, before, { ...before, captureMode: "on_shipment" }, "user:owner", "settings.edit", new Date());
    try {
      const placed = await checkout({ lines: [{ sku: "TEE-L", quantity: 1 }], extras: { payment: { gateway: "manual_capture" } } });
      const order = await omsOrder(placed.orderId);
      await waitFor(async () => (await db().order.findUnique({ where: { id: order.id } }))?.state === "sourced" || undefined, 20_000, "sourced");
      // Shopify cannot be reached when the shipment's capture is sent: the claim is left requested.
      await post(`/_dev/shops/${SHOP}/faults/admin`, { operations: ["CaptureShipment"], mode: "unavailable", count: 1 });
      await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(placed.fulfillmentOrderIds[0]!)}/ship`, {});
      const claim = await waitFor(async () => (await db().paymentCapture.findFirst({ where: { orderId: order.id } })) ?? undefined, 15_000, "the claim");
      await new Promise((r) => setTimeout(r, 3_000)); // the job's retries meanwhile: in flight, nothing sent
      expect(await db().paymentCapture.findUniqueOrThrow({ where: { id: claim.id } })).toMatchObject({ status: "requested", transactionId: null });
      const captures = async () =>
        (await gql(`query O($id: ID!) { order(id: $id) { transactions(first: 10) { id kind status } } }`, { id: placed.orderId })).order.transactions.filter(
          (t: { kind: string; status: string }) => t.kind === "CAPTURE" && t.status === "SUCCESS",
        ) as { id: string }[];
      expect(await captures()).toHaveLength(0);
      // Still in flight by the clock: refused for a retry, nothing sent.
      await expect(captureForShipment(SHOP, placed.orderId, claim.captureKey, new Date())).rejects.toThrow(/in flight/);
      expect(await captures()).toHaveLength(0);
      // Its run stopped (past CAPTURE_IN_FLIGHT_MS) and Shopify made no capture: captured now, once.
      const later = new Date(claim.at.getTime() + CAPTURE_IN_FLIGHT_MS + 1_000);
      expect(await captureForShipment(SHOP, placed.orderId, claim.captureKey, later)).toMatch(/^captured \d+\.\d\d USD$/);
      const made = await captures();
      expect(made).toHaveLength(1);
      expect(await db().paymentCapture.findUniqueOrThrow({ where: { id: claim.id } })).toMatchObject({ status: "captured", transactionId: made[0]!.id });
      // As if a run had stopped after Shopify captured and before the answer was recorded: found in Shopify's transactions, not captured twice.
      await db().paymentCapture.update({ where: { id: claim.id }, data: { status: "requested", transactionId: null } });
      expect(await captureForShipment(SHOP, placed.orderId, claim.captureKey, later)).toMatch(/^captured /);
      expect(await captures()).toHaveLength(1);
      expect(await db().paymentCapture.findUniqueOrThrow({ where: { id: claim.id } })).toMatchObject({ status: "captured", transactionId: made[0]!.id });
      expect(await db().orderEvent.count({ where: { orderId: order.id, actor: "oms:capture-policy" } })).toBe(1);
    } finally {
      const { version: v2, ...p2 } = await orderPolicy(SHOP);
      await saveOrderPolicy(SHOP, v2, p2, { ...p2, captureMode: "automatic" }, "user:owner", "settings.edit", new Date());
    }
  });

  it("an authorisation about to lapse is tracked and raises one warning", async () => {
    const placed = await checkout({ extras: { payment: { gateway: "manual_capture", authorizationHours: 24 } } });
    const order = await omsOrder(placed.orderId);
    await waitFor(async () => (await exceptions(order.id, "authorization_expiring")).length === 1 || undefined, 15_000, "the warning");
    expect(await db().paymentAuthorization.findFirst({ where: { orderId: order.id } })).toMatchObject({
      status: "open",
      amountMinor: 5795n,
      capturedMinor: 0n,
    });
    await checkOrderPayments(SHOP, order.id, new Date());
    expect(await exceptions(order.id, "authorization_expiring")).toEqual([expect.objectContaining({ status: "open", occurrences: 1, severity: "warning" })]);
  });

  it("a capture after the cancellation raises one exception; replaying the check raises none", async () => {
    const placed = await checkout({ extras: { payment: { gateway: "manual_capture" } } });
    const order = await omsOrder(placed.orderId);
    await post(`/_dev/shops/${SHOP}/orders/${encodeURIComponent(placed.orderId)}/cancel`, {});
    await waitFor(async () => (await db().order.findUnique({ where: { id: order.id } }))?.state === "cancelled" || undefined, 10_000, "cancelled");
    // Someone captures at the gateway after all.
    await post(`/_dev/shops/${SHOP}/orders/${encodeURIComponent(placed.orderId)}/gateway-capture`, {});
    // Several checks at once (and the worker's own, queued by the cancellation's sync): one item, seen once.
    await Promise.all(Array.from({ length: 4 }, () => checkOrderPayments(SHOP, order.id, new Date())));
    await waitFor(async () => (await exceptions(order.id, "capture_after_cancel")).length === 1 || undefined, 10_000, "the exception");
    for (let i = 0; i < 3; i++) await checkOrderPayments(SHOP, order.id, new Date());
    const rows = await exceptions(order.id, "capture_after_cancel");
    expect(rows).toEqual([expect.objectContaining({ status: "open", occurrences: 1, severity: "critical" })]);
    expect(rows[0]!.summary).toMatch(/captured .* after the order was cancelled/);
  });

  it("a cancellation never refunded raises one exception once the grace period is over; replaying raises none", async () => {
    const placed = await checkout({});
    const order = await omsOrder(placed.orderId);
    await post(`/_dev/shops/${SHOP}/orders/${encodeURIComponent(placed.orderId)}/cancel`, {});
    await waitFor(async () => (await db().order.findUnique({ where: { id: order.id } }))?.state === "cancelled" || undefined, 10_000, "cancelled");
    // Within the grace period (a refund usually follows the cancellation): nothing yet.
    expect((await checkOrderPayments(SHOP, order.id, new Date())).raised).toEqual([]);
    const later = new Date(Date.now() + REFUND_GRACE_MS + 1_000);
    expect((await checkOrderPayments(SHOP, order.id, later)).raised).toEqual(["cancelled_not_refunded"]);
    expect((await checkOrderPayments(SHOP, order.id, later)).raised).toEqual([]);
    expect(await exceptions(order.id, "cancelled_not_refunded")).toEqual([
      expect.objectContaining({ status: "open", occurrences: 1, summary: expect.stringContaining("57.95 USD captured is not refunded") }),
    ]);
  });
});
