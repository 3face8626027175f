// An exchange's money against the dev shop (the stand-in over HTTP, the worker running): the
// exchange items the customer gets in place of the returned goods are not refundable as money too
// (a manual refund is refused with the numbers), and the exchange's price difference is settled by
// its own durable job — retried while Shopify is unreachable, settled exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { describeRefusal, issueRefund } from "~/.server/services/finance/issue-refund";
import { receiveReturn } from "~/.server/services/returns/receive-return";
import { requestReturn } from "~/.server/services/returns/request-return";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "exchange-money.myshopify.com";
const ACTOR = "user:4343";

describe("an exchange's money against the dev shop", { timeout: 90_000 }, () => {
  let post: Shop["post"];
  let close: Shop["close"];
  const locationId = async (name: string) => (await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name } })).id;
  const variant = async (sku: string) => (await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku } })).variantId!;

  /** A shopper's order of one TEE-M (24.00 + 9.95 shipping), shipped, with a return exchanging it for `sku`, received. */
  async function exchanged(sku: string, email: string, receive = true) {
    const placed = (await (await post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email })).json()) as { orderId: string; fulfillmentOrderIds: string[] };
    await waitFor(async () => (await db().fulfillmentGroup.count({ where: { order: { shop: SHOP, sourceId: placed.orderId } } })) >= placed.fulfillmentOrderIds.length || undefined, 20_000, "the order's fulfilment groups");
    for (const fo of placed.fulfillmentOrderIds) await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo)}/ship`, { company: "UPS", number: `1Z${fo.slice(-6)}` });
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
    const opened = await requestReturn({ shop: SHOP, orderId: order.id, lines: [{ fulfillmentLineItemId: fulfilled.fulfilled[0]!.fulfillmentLineItemId, quantity: 1 }], approveNow: true, reason: "swap", restockingFeePercent: 0, shippingFeeMinor: 0n, exchange: [{ variantId: await variant(sku), quantity: 1 }], exchangePolicy: "on_receipt", instructions: null, actor: ACTOR }, new Date());
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const r = await db().returnCase.findUniqueOrThrow({ where: { id: opened.value.returnId }, include: { lines: true } });
    if (receive) expect(await receiveReturn({ shop: SHOP, returnId: r.id, version: r.version, locationId: await locationId("Dallas TX"), receipts: [{ lineId: r.lines[0]!.id, restock: 1 }], actor: ACTOR }, new Date())).toMatchObject({ ok: true });
    return { order, placed, ret: r };
  }

  beforeAll(async () => {
    ({ post, close } = await connectedDevShop(SHOP, {}, (f) => {
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
    expect(refused).toEqual({ ok: false, error: { code: "OVER_CAPTURE", currency: "USD", requestedMinor: 2400n, capturedMinor: 3395n, refundedMinor: 0n, pendingMinor: 0n, exchangeMinor: 2400n, refundableMinor: 995n } });
    expect(describeRefusal((refused as { error: Parameters<typeof describeRefusal>[0] }).error)).toBe("Refund of 24.00 USD refused: captured 33.95 USD, already refunded 0.00 USD, exchange items sent in place of returned goods 24.00 USD; at most 9.95 USD can be refunded.");
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ capturedMinor: 3395n, refundedMinor: 0n, pendingMinor: 0n });
    expect(await issueRefund({ ...base, requestKey: "even-shipping", lines: [], shippingMinor: 995n }, new Date())).toMatchObject({ ok: true, value: { amountMinor: 995n } });
  });

  it("a cheaper exchange (a tee for socks): the 16.00 difference is refunded once; a second refund of the tee as money is refused", async () => {
    const { order } = await exchanged("SOCK-M", "cheaper@example.com");
    const settled = await waitFor(async () => (await db().refundRecord.findMany({ where: { orderId: order.id, status: "succeeded" } })).filter((r) => r.amountMinor === 1600n)[0], 20_000, "the exchange difference refunded");
    expect(settled).toMatchObject({ amountMinor: 1600n });
    const line = order.lines[0]!.sourceLineId;
    const again = await issueRefund({ shop: SHOP, orderId: order.id, returnId: null, requestKey: "cheaper-line", lines: [{ sourceLineId: line, quantity: 1 }], shippingMinor: 0n, restockingFeePercent: 0, storeCreditMinor: 0n, note: null, actor: ACTOR }, new Date());
    expect(again).toMatchObject({ ok: false, error: { code: "OVER_CAPTURE", capturedMinor: 3395n, refundedMinor: 1600n, exchangeMinor: 800n, refundableMinor: 995n } });
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ refundedMinor: 1600n, pendingMinor: 0n });
  });
});
