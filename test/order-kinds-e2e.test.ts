// Every kind of Shopify order and every release rule through the real intake path: a shopper (or
// a POS, or a B2B draft) places the order in the dev shop, its webhooks reach the app's route, the
// worker's jobs read the order (with Shopify's risk assessment, payment terms and scheduled dates)
// and the release rules decide. Every webhook is delivered twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { findException } from "~/.server/db/exceptions";
import { orderPolicy, saveOrderPolicy } from "~/.server/db/order-policy";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { releaseDuePreOrders } from "~/.server/services/release/release-due";
import { releaseHeldOrder } from "~/.server/services/release/release-held-order";
import { adminFor } from "~/.server/shopify/admin";
import { holdForRelease, releaseHoldHandle, releaseReleaseHolds } from "~/.server/shopify/release-holds";
import { syncOrderFromShopify } from "~/.server/services/sync-order";
import type { OrderPolicy } from "~/domain/order/policy";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
type Fo = { id: string; orderId: string; location: string; status: string };
const SHOP = "order-kinds.myshopify.com";
const ops = { shop: SHOP, userId: "501", actor: "user:501" };

describe("every kind of order, and the release rules, through webhook → job → order", { timeout: 60_000 }, () => {
  let standIn: Shop["standIn"];
  let post: Shop["post"];
  let close: Shop["close"];

  const fos = async (orderId: string) =>
    ((await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders?orders=${encodeURIComponent(orderId)}`)).json()) as { fulfillmentOrders: Fo[] })
      .fulfillmentOrders;
  const checkout = async (body: Record<string, unknown>) => {
    const r = await post(`/_dev/shops/${SHOP}/checkout`, {
      lines: [{ sku: "TEE-M", quantity: 2 }],
      shippingAddress: austin,
      email: "ada@example.com",
      ...body,
    });
    if (!r.ok) throw new Error(`checkout failed: ${r.status} ${await r.text()}`);
    return (await r.json()) as { orderId: string; fulfillmentOrderIds: string[] };
  };
  const orderOf = (sourceId: string) => db().order.findFirst({ where: { shop: SHOP, sourceId }, include: { events: { orderBy: { at: "asc" } } } });
  const settledIn = (sourceId: string, states: string[]) =>
    waitFor(
      async () => {
        const o = await orderOf(sourceId);
        return o && states.includes(o.state) ? o : undefined;
      },
      20_000,
      `the order to be ${states.join(" or ")}`,
    );
  const routed = (orderId: string) =>
    waitFor(async () => (await db().routingDecision.findFirst({ where: { shop: SHOP, orderId, mode: "live" } })) ?? undefined, 20_000, "a routing decision");
  const setPolicy = async (change: Partial<OrderPolicy>) => {
    const { version, ...before } = await orderPolicy(SHOP);
    expect(await saveOrderPolicy(SHOP, version, before, { ...before, ...change }, "user:owner", "settings.edit", new Date())).toBe(true);
  };

  beforeAll(async () => {
    ({ standIn, post, close } = await connectedDevShop(SHOP, { duplicateRate: 1 }));
    await reconcileStock(SHOP, new Date());
  });
  afterAll(() => close());

  it("an ordinary paid order passes every rule: released, then sourced", async () => {
    const placed = await checkout({});
    const order = await settledIn(placed.orderId, ["sourced"]);
    expect(order).toMatchObject({ orderKind: "shipping", riskLevel: "LOW", holdRule: null });
    expect(order.events.filter((e) => e.toState).map((e) => `${e.toState}:${e.actor}`)).toEqual([
      "received:shopify:webhook orders/create",
      "released:oms:release-rules",
      "sourced:oms:accept-native-routing",
    ]);
    // The reservations' entries, written under the read's lock with the release (one insert), keep their own actor.
    const reserved = order.events.filter((e) => e.kind === "inventory");
    expect(reserved.map((e) => [e.summary.split(" ")[0], e.actor, e.source])).toEqual([["Reserved", "shopify:order intake", "oms"]]);
  });

  it("release rule — Shopify rates it high risk: held before release with the reason, held in Shopify, an exception; a person releases it and it is routed", async () => {
    const placed = await checkout({ extras: { risk: { level: "HIGH", facts: [{ description: "Card declined 4 times before", sentiment: "NEGATIVE" }] } } });
    const held = await settledIn(placed.orderId, ["on_hold"]);
    expect(held).toMatchObject({ holdRule: "high_risk", holdReason: expect.stringContaining("Shopify rates the order high risk"), riskLevel: "HIGH" });
    expect(held.events.filter((e) => e.toState).map((e) => e.toState)).toEqual(["received", "on_hold"]);
    // Held, not released at once: the reservations' entries are written on their own, all the same.
    expect(held.events.filter((e) => e.kind === "inventory").map((e) => e.summary.split(" ")[0])).toEqual(["Reserved"]);
    expect(await findException(SHOP, "release_hold", held.id)).toMatchObject({ status: "open", occurrences: 1 });
    await waitFor(async () => (await fos(placed.orderId)).every((f) => f.status === "ON_HOLD") || undefined, 10_000, "Shopify's hold");
    expect(await db().routingDecision.count({ where: { orderId: held.id } })).toBe(0);

    const r = await releaseHeldOrder(SHOP, held.id, ops, "called the customer", new Date());
    expect(r).toEqual({ ok: true, value: { name: held.name } });
    // A double click releases once.
    expect(await releaseHeldOrder(SHOP, held.id, ops, "again", new Date())).toMatchObject({ ok: false, error: { code: "NOT_HELD_FOR_A_PERSON" } });
    await routed(held.id);
    await waitFor(async () => (await fos(placed.orderId)).every((f) => f.status === "OPEN") || undefined, 10_000, "Shopify's hold lifted");
    const released = await orderOf(placed.orderId);
    expect(released?.events.find((e) => e.actor === "user:501")).toMatchObject({ fromState: "on_hold", toState: "released", source: "user" });
    expect(await findException(SHOP, "release_hold", held.id)).toMatchObject({ status: "resolved", resolvedBy: "user:501" });
    const audit = await db().auditEvent.findFirst({ where: { shop: SHOP, subject: "order-release" } });
    expect(JSON.parse(audit!.data!)).toMatchObject({
      action: "order.release",
      before: { state: "on_hold", holdRule: "high_risk" },
      after: { state: "released" },
    });
  });

  it("release rule — a Shopify hold the hold's move did not get to place is placed by the next read; one the release did not get to lift is lifted", async () => {
    const placed = await checkout({ extras: { risk: { level: "HIGH", facts: [{ description: "Card declined 4 times before", sentiment: "NEGATIVE" }] } } });
    const held = await settledIn(placed.orderId, ["on_hold"]);
    await waitFor(async () => (await fos(placed.orderId)).every((f) => f.status === "ON_HOLD") || undefined, 10_000, "Shopify's hold");
    const admin = await adminFor(SHOP);
    const handle = releaseHoldHandle(held.id);
    const read = () => syncOrderFromShopify(SHOP, { orderId: placed.orderId }, "test", new Date(), "fulfilment");

    // As if the worker had stopped after the order's move and before Shopify's hold: the fulfilment orders are open.
    expect(await releaseReleaseHolds(admin, placed.fulfillmentOrderIds, handle)).toEqual([]);
    await read();
    await waitFor(async () => (await fos(placed.orderId)).every((f) => f.status === "ON_HOLD") || undefined, 10_000, "the hold placed again");
    expect((await orderOf(placed.orderId))?.state).toBe("on_hold");

    // Released by a person and routed; then as if its lift had not run: the read lifts the rules' hold.
    expect(await releaseHeldOrder(SHOP, held.id, ops, "called the customer", new Date())).toMatchObject({ ok: true });
    await routed(held.id);
    await waitFor(async () => (await fos(placed.orderId)).every((f) => f.status === "OPEN") || undefined, 10_000, "Shopify's hold lifted");
    const open = (await fos(placed.orderId)).map((f) => f.id);
    expect(await holdForRelease(admin, open, "high_risk", "stray", handle)).toEqual([]);
    expect((await fos(placed.orderId)).every((f) => f.status === "ON_HOLD")).toBe(true);
    await read();
    await waitFor(async () => (await fos(placed.orderId)).every((f) => f.status === "OPEN") || undefined, 10_000, "the stray hold lifted");
    expect((await orderOf(placed.orderId))?.state).not.toBe("on_hold");
  });

  it("release rule — the postal code is not of the address's state: held for a person", async () => {
    const placed = await checkout({ shippingAddress: { ...austin, provinceCode: "NY" } });
    const held = await settledIn(placed.orderId, ["on_hold"]);
    expect(held).toMatchObject({ holdRule: "address", holdReason: "address failed validation: ZIP code 78701 is in TX, not NY" });
  });

  it("release rule — above the merchant's review limit: held for a person; below it: released", async () => {
    await setPolicy({ maxValueMinor: 5_000n });
    try {
      const above = await checkout({});
      expect(await settledIn(above.orderId, ["on_hold"])).toMatchObject({
        holdRule: "value",
        holdReason: "total 57.95 USD is above the review limit 50.00 USD",
      });
      const below = await checkout({ lines: [{ sku: "TEE-M", quantity: 1 }] });
      expect((await settledIn(below.orderId, ["released", "sourced"])).holdRule).toBeNull();
    } finally {
      await setPolicy({ maxValueMinor: null });
    }
  });

  it("POS: a counter sale is recorded as shipped and never routed", async () => {
    const sale = (await (await post(`/_dev/shops/${SHOP}/pos-sale`, { lines: [{ sku: "TEE-M", quantity: 1 }], location: "Dallas TX" })).json()) as {
      orderId: string;
    };
    const order = await settledIn(sale.orderId, ["shipped"]);
    await waitFor(async () => (await orderOf(sale.orderId))?.orderKind === "pos" || undefined, 10_000, "the order's kind");
    expect(order).toMatchObject({ channel: "pos" });
    await new Promise((r) => setTimeout(r, 500));
    expect(await db().routingDecision.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("local pickup: only at its pickup location, ready for pickup → picked up", async () => {
    const placed = await checkout({ pickupLocation: "Seattle WA" });
    const order = await settledIn(placed.orderId, ["sourced"]);
    expect(order.orderKind).toBe("pickup");
    const [fo] = await fos(placed.orderId);
    expect(fo).toMatchObject({ location: "Seattle WA" });
    // The store prepares the items (Shopify POS / admin): ready for pickup.
    const token = (await (await post(`/_dev/shops/${SHOP}/install`, {})).json()) as { accessToken: string };
    const prep = await fetch(`${standIn.url}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token.accessToken, "x-forwarded-host": SHOP },
      body: JSON.stringify({
        query: `mutation P($input: FulfillmentOrderLineItemsPreparedForPickupInput!) { fulfillmentOrderLineItemsPreparedForPickup(input: $input) { userErrors { message } } }`,
        variables: { input: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo!.id }] } },
      }),
    });
    expect(
      ((await prep.json()) as { data: { fulfillmentOrderLineItemsPreparedForPickup: { userErrors: unknown[] } } }).data
        .fulfillmentOrderLineItemsPreparedForPickup.userErrors,
    ).toEqual([]);
    await settledIn(placed.orderId, ["picking"]);
    // The customer collects: the store fulfils it.
    await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo!.id)}/ship`, {});
    const picked = await settledIn(placed.orderId, ["shipped"]);
    expect((await db().fulfillmentGroup.findMany({ where: { orderId: picked.id } })).map((g) => g.locationName)).toEqual(["Seattle WA"]);
  });

  it("payment terms: released at once under 'on order'; under 'once paid' held until the payment comes", async () => {
    const onOrder = await checkout({ extras: { paymentTerms: { type: "NET", dueInDays: 30 } } });
    const released = await settledIn(onOrder.orderId, ["released", "sourced"]);
    expect(released).toMatchObject({ orderKind: "payment_terms", channel: "draft" });
    expect(released.events.find((e) => e.toState === "released")?.summary).toContain("payment terms Net 30");

    await setPolicy({ paymentTermsRelease: "on_payment" });
    try {
      const onPayment = await checkout({ extras: { paymentTerms: { type: "NET", dueInDays: 30 } } });
      expect(await settledIn(onPayment.orderId, ["on_hold"])).toMatchObject({
        holdRule: "payment",
        holdReason: expect.stringContaining("awaiting payment (terms Net 30"),
      });
      await post(`/_dev/shops/${SHOP}/orders/${encodeURIComponent(onPayment.orderId)}/pay`, {});
      await settledIn(onPayment.orderId, ["sourced"]);
    } finally {
      await setPolicy({ paymentTermsRelease: "on_order" });
    }
  });

  it("pre-order: a selling plan with a later fulfilment date waits for that date; the scheduled job releases it", async () => {
    // Ten minutes ahead, and the release job asked at chosen instants: a loaded machine taking
    // seconds to settle the order must not make it due before the first check.
    const fulfillAt = new Date(Date.now() + 10 * 60_000);
    const placed = await checkout({ extras: { sellingPlan: { name: "Pre-order", fulfillAt: fulfillAt.toISOString() } } });
    const held = await settledIn(placed.orderId, ["on_hold"]);
    expect(held).toMatchObject({ holdRule: "pre_order", orderKind: "pre_order", releaseAfter: fulfillAt });
    expect(await releaseDuePreOrders(new Date())).toEqual({ due: 0 });
    expect(await releaseDuePreOrders(new Date(fulfillAt.getTime() - 1_000))).toEqual({ due: 0 });
    expect(await releaseDuePreOrders(new Date(fulfillAt.getTime() + 1_000))).toEqual({ due: 1 });
    const order = await settledIn(placed.orderId, ["sourced"]);
    expect(order.holdRule).toBeNull();
    expect((await fos(placed.orderId)).map((f) => f.status)).toEqual(["OPEN"]);
  });
});
