// An exchange's money against the dev shop (the stand-in over HTTP, the worker running): the
// exchange items the customer gets in place of the returned goods are not refundable as money too
// (a manual refund is refused with the numbers), and the exchange's price difference is settled by
// its own durable job — retried while Shopify is unreachable, settled exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { findException } from "~/.server/db/exceptions";
import { describeRefusal, issueRefund } from "~/.server/services/finance/issue-refund";
import { exchangeRefundKey, settleExchange } from "~/.server/services/returns/exchange-difference";
import { receiveReturn } from "~/.server/services/returns/receive-return";
import { requestReturn } from "~/.server/services/returns/request-return";
import { returnDetailView } from "~/.server/services/returns/returns-views";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { enqueue } from "~/.server/queue/queues";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "exchange-money.myshopify.com";
const ACTOR = "user:4343";

describe("an exchange's money against the dev shop", { timeout: 90_000 }, () => {
  let post: Shop["post"];
  let standIn: Shop["standIn"];
  let close: Shop["close"];
  const locationId = async (name: string) => (await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name } })).id;
  const variant = async (sku: string) => (await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku } })).variantId!;

  /** A shopper's order of one TEE-M (24.00 + 9.95 shipping), shipped, with a return exchanging it for `sku`, received. */
  async function exchanged(sku: string, email: string, receive = true) {
    const placed = (await (await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email })).json()) as {
      orderId: string;
      fulfillmentOrderIds: string[];
    };
    await waitFor(
      async () =>
        (await db().fulfillmentGroup.count({ where: { order: { shop: SHOP, sourceId: placed.orderId } } })) >= placed.fulfillmentOrderIds.length || undefined,
      20_000,
      "the order's fulfilment groups",
    );
    for (const fo of placed.fulfillmentOrderIds)
      await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo)}/ship`, { company: "UPS", number: `1Z${fo.slice(-6)}` });
    const order = await waitFor(
      async () => {
        const o = await db().order.findFirst({ where: { shop: SHOP, sourceId: placed.orderId }, include: { groups: true, lines: true } });
        return o && o.groups.length >= placed.fulfillmentOrderIds.length && o.groups.every((g) => g.status === "CLOSED") ? o : undefined;
      },
      20_000,
      "the shipped order in the OMS",
    );
    const { fetchReturnables } = await import("~/.server/shopify/returns");
    const { adminFor } = await import("~/.server/shopify/admin");
    const fulfilled = (await fetchReturnables(await adminFor(SHOP), placed.orderId))!;
    const opened = await requestReturn(
      {
        shop: SHOP,
        orderId: order.id,
        lines: [{ fulfillmentLineItemId: fulfilled.fulfilled[0]!.fulfillmentLineItemId, quantity: 1 }],
        approveNow: true,
        reason: "swap",
        restockingFeePercent: 0,
        shippingFeeMinor: 0n,
        exchange: [{ variantId: await variant(sku), quantity: 1 }],
        exchangePolicy: "on_receipt",
        instructions: null,
        actor: ACTOR,
      },
      new Date(),
    );
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const r = await db().returnCase.findUniqueOrThrow({ where: { id: opened.value.returnId }, include: { lines: true } });
    if (receive)
      expect(
        await receiveReturn(
          {
            shop: SHOP,
            returnId: r.id,
            version: r.version,
            locationId: await locationId("Dallas TX"),
            receipts: [{ lineId: r.lines[0]!.id, restock: 1 }],
            actor: ACTOR,
          },
          new Date(),
        ),
      ).toMatchObject({ ok: true });
    return { order, placed, ret: r };
  }

  beforeAll(async () => {
    ({ post, close, standIn } = await connectedDevShop(SHOP, {}, (f) => {
      f.products.push({ title: "Trail Socks", variants: [{ sku: "SOCK-M", price: "8.00", inventory: { "Edison NJ": 0, "Dallas TX": 20 } }] });
    }));
    const { reconcileStock } = await import("~/.server/services/reconcile-stock");
    await reconcileStock(SHOP, new Date());
  });
  afterAll(() => close());

  it("an even exchange (a tee for a tee): refunding the returned tee as money too is refused with the numbers; the shipping still can be", async () => {
    const { order } = await exchanged("TEE-L", "even@example.com");
    expect(await db().refundRecord.count({ where: { orderId: order.id } })).toBe(0); // nothing to settle
    const line = order.lines[0]!.sourceLineId;
    const base = { shop: SHOP, orderId: order.id, returnId: null, restockingFeePercent: 0, storeCreditMinor: 0n, note: null, actor: ACTOR };
    const refused = await issueRefund({ ...base, requestKey: "even-line", lines: [{ sourceLineId: line, quantity: 1 }], shippingMinor: 0n }, new Date());
    expect(refused).toEqual({
      ok: false,
      error: {
        code: "OVER_CAPTURE",
        currency: "USD",
        requestedMinor: 2400n,
        capturedMinor: 3395n,
        refundedMinor: 0n,
        pendingMinor: 0n,
        exchangeMinor: 2400n,
        refundableMinor: 995n,
      },
    });
    expect(describeRefusal((refused as { error: Parameters<typeof describeRefusal>[0] }).error)).toBe(
      "Refund of 24.00 USD refused: captured 33.95 USD, already refunded 0.00 USD, exchange items sent in place of returned goods 24.00 USD; at most 9.95 USD can be refunded.",
    );
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      capturedMinor: 3395n,
      refundedMinor: 0n,
      pendingMinor: 0n,
    });
    expect(await issueRefund({ ...base, requestKey: "even-shipping", lines: [], shippingMinor: 995n }, new Date())).toMatchObject({
      ok: true,
      value: { amountMinor: 995n },
    });
  });

  it("a cheaper exchange (a tee for socks): the 16.00 difference is refunded once; a second refund of the tee as money is refused", async () => {
    const { order } = await exchanged("SOCK-M", "cheaper@example.com");
    const settled = await waitFor(
      async () => (await db().refundRecord.findMany({ where: { orderId: order.id, status: "succeeded" } })).filter((r) => r.amountMinor === 1600n)[0],
      20_000,
      "the exchange difference refunded",
    );
    expect(settled).toMatchObject({ amountMinor: 1600n });
    const line = order.lines[0]!.sourceLineId;
    const again = await issueRefund(
      {
        shop: SHOP,
        orderId: order.id,
        returnId: null,
        requestKey: "cheaper-line",
        lines: [{ sourceLineId: line, quantity: 1 }],
        shippingMinor: 0n,
        restockingFeePercent: 0,
        storeCreditMinor: 0n,
        note: null,
        actor: ACTOR,
      },
      new Date(),
    );
    expect(again).toMatchObject({
      ok: false,
      error: { code: "OVER_CAPTURE", capturedMinor: 3395n, refundedMinor: 1600n, exchangeMinor: 800n, refundableMinor: 995n },
    });
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ refundedMinor: 1600n, pendingMinor: 0n });
  });

  /** Shopify's refunds of an order, as the stand-in holds them. */
  const shopifyRefunds = (orderGid: string) => standIn.store.get(SHOP)!.orders.get(Number(orderGid.split("/").pop()))!.refunds;
  const fault = (body: unknown) => post(`/_dev/shops/${SHOP}/faults/admin`, body);

  it("Shopify unreachable when the cheaper exchange is received: the settlement waits in its job, is retried, and refunds exactly once", async () => {
    // The refund call fails twice as if Shopify were down (503, nothing done), then the answer of the one that goes through is lost.
    await fault({ operations: ["OmsRefundCreate"], mode: "unavailable", count: 2 });
    await fault({ operations: ["OmsRefundCreate"], mode: "lost_answer", count: 1 });
    const { order, placed, ret } = await exchanged("SOCK-M", "down@example.com");
    // The receipt went through; the intent is written and not settled yet.
    expect(await db().exchangeSettlement.findFirstOrThrow({ where: { shop: SHOP, returnId: ret.id } })).toMatchObject({
      kind: "refund",
      amountMinor: 1600n,
      currency: "USD",
    });
    const settled = await waitFor(
      async () => (await db().exchangeSettlement.findFirst({ where: { shop: SHOP, returnId: ret.id, status: "settled" } })) ?? undefined,
      60_000,
      "the exchange settled after the retries",
    );
    expect(settled.attempts).toBeGreaterThanOrEqual(4);
    expect((await returnDetailView(SHOP, ret.id, new Date()))!.exchangeSettlement).toEqual({ status: "settled", attempts: settled.attempts, error: null });
    expect(shopifyRefunds(placed.orderId)).toHaveLength(1); // the lost answer's refund was found by its key, not made again
    expect((await db().refundRecord.findMany({ where: { orderId: order.id } })).map((f) => [f.requestKey, f.status, f.amountMinor])).toEqual([
      [exchangeRefundKey(ret.id), "succeeded", 1600n],
    ]);
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ refundedMinor: 1600n, pendingMinor: 0n });
    expect(await db().financePosting.count({ where: { orderId: order.id, kind: "refund" } })).toBe(1);
    expect(await findException(SHOP, "exchange_not_settled", ret.id)).toBeNull();
    // The job run again (a re-run dead letter, the order watch): nothing more.
    expect(await settleExchange(SHOP, ret.id, new Date(), false)).toBe("already_settled");
    expect(shopifyRefunds(placed.orderId)).toHaveLength(1);
  });

  it("Shopify unreachable until the job runs out of tries: dead-lettered, the intent failed, exchange_not_settled raised; a later re-run settles it once", async () => {
    // Received with Shopify down for every refund call: the job keeps failing (we stop it at its last try below).
    await fault({ operations: ["OmsRefundCreate"], mode: "unavailable", count: 1000 });
    const { order, placed, ret } = await exchanged("SOCK-M", "lasttry@example.com");
    await waitFor(
      async () => ((await db().exchangeSettlement.findFirst({ where: { shop: SHOP, returnId: ret.id } }))?.attempts ?? 0) >= 1 || undefined,
      20_000,
      "the job's first try",
    );
    // The job runs out of tries (here a copy of it with two tries, so the test need not wait the real job's four minutes).
    await enqueue("settleExchange", { shop: SHOP, returnId: ret.id }, { jobId: `exchange-settle-last-try-${ret.id}`, attempts: 2, backoffMs: 100 });
    const dead = await waitFor(
      async () => (await db().deadLetter.findFirst({ where: { shop: SHOP, jobId: `exchange-settle-last-try-${ret.id}` } })) ?? undefined,
      20_000,
      "the job's dead letter",
    );
    expect(dead).toMatchObject({ jobName: "settle-exchange", retriable: true, attempts: 2 });
    expect(await db().exchangeSettlement.findFirstOrThrow({ where: { shop: SHOP, returnId: ret.id } })).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/could not be reached/),
    });
    expect((await returnDetailView(SHOP, ret.id, new Date()))!.exchangeSettlement).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/could not be reached/),
    });
    const raised = await findException(SHOP, "exchange_not_settled", ret.id);
    expect(raised).toMatchObject({ status: "open", severity: "critical", orderId: order.id });
    expect(raised!.summary).toMatch(/exchange price difference of 16\.00 USD was not refunded/);
    expect(shopifyRefunds(placed.orderId)).toHaveLength(0);
    // The reservation is kept while the request is pending under its key: nothing else can take that money meanwhile.
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ refundedMinor: 0n, pendingMinor: 1600n });
    // Shopify answers again; the dead letter is re-run: one refund.
    standIn.standIn.adminFaults.delete(SHOP);
    // (The job's own next retry may get there first: either way, one refund.)
    expect(["refunded", "already_settled"]).toContain(await settleExchange(SHOP, ret.id, new Date(), false));
    expect(await settleExchange(SHOP, ret.id, new Date(), false)).toBe("already_settled");
    expect(shopifyRefunds(placed.orderId)).toHaveLength(1);
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ refundedMinor: 1600n, pendingMinor: 0n });
  });
});
