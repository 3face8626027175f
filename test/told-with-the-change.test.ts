// A change and the exception-queue item (and timeline entry) that tell a person about it are one
// transaction. Each of these changes is guarded, so a retry that finds it made does not tell again:
// written apart, a worker dying between the two writes would leave the change with nobody told.
// Each case makes the item's write fail and checks that the change was not made either, then that
// the change and its item are written together, once.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { markSettlementFailed } from "~/.server/db/exchange-settlements";
import { findException } from "~/.server/db/exceptions";
import { recordExternalRefund } from "~/.server/db/finance";
import { markPromiseAtRisk } from "~/.server/db/promise";
import { applyReceipts } from "~/.server/db/returns";
import type { ExceptionRaise } from "~/domain/exceptions/kinds";

const SHOP = "told-with-the-change.myshopify.com";
const at = (m: number) => new Date(Date.UTC(2026, 11, 3, 12, m));
let n = 0;

async function anOrder(capturedMinor?: bigint) {
  n += 1;
  const order = await db().order.create({
    data: {
      shop: SHOP,
      channel: "online_store",
      sourceId: `gid://shopify/Order/${n}`,
      name: `#${n}`,
      state: "shipped",
      currency: "USD",
      totalMinor: 3395n,
      placedAt: at(0),
      sourceUpdatedAt: at(0),
    },
  });
  if (capturedMinor !== undefined) await db().orderMoney.create({ data: { orderId: order.id, shop: SHOP, currency: "USD", capturedMinor } });
  return order;
}
const item = (kind: ExceptionRaise["kind"], subjectKey: string, orderId: string): ExceptionRaise => ({
  shop: SHOP,
  kind,
  severity: "critical",
  subjectKey,
  orderId,
  summary: `${kind} on ${subjectKey}`,
});
// An item whose write the database refuses (it has no summary).
const broken = (r: ExceptionRaise) => ({ ...r, summary: undefined as unknown as string });

describe("told with the change: one transaction", () => {
  it("a Shopify refund above what was captured: its over_capture record and refund_over_capture, or neither", async () => {
    const order = await anOrder(3395n);
    const refund = (sourceId: string) => ({
      shop: SHOP,
      orderId: order.id,
      orderName: order.name,
      returnId: null,
      currency: "USD",
      shippingMinor: 0n,
      storeCreditMinor: 0n,
      note: null,
      actor: "shopify:webhook refunds/create",
      sourceId,
      amountMinor: 5000n,
      presentmentMinor: 5000n,
      presentmentCurrency: "USD",
      gateway: "bogus",
      transactions: [],
      processedAt: at(1),
    });
    const seen: { capturedMinor: bigint; refundedMinor: bigint }[] = [];
    const told = (funds: { capturedMinor: bigint; refundedMinor: bigint }) => (
      seen.push(funds),
      item("refund_over_capture", "gid://shopify/Refund/1", order.id)
    );

    await expect(recordExternalRefund(refund("gid://shopify/Refund/1"), [], at(1), (f) => broken(told(f)))).rejects.toThrow();
    expect(await db().refundRecord.count({ where: { orderId: order.id } })).toBe(0);
    expect((await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).refundedMinor).toBe(0n);
    expect(await findException(SHOP, "refund_over_capture", "gid://shopify/Refund/1")).toBeNull();

    // The webhook's retry records it and raises the item, made from the funds after the refund.
    expect(await recordExternalRefund(refund("gid://shopify/Refund/1"), [], at(2), told)).toBe("over_capture");
    expect(seen.at(-1)).toEqual({ capturedMinor: 3395n, refundedMinor: 5000n });
    expect(await findException(SHOP, "refund_over_capture", "gid://shopify/Refund/1")).toMatchObject({ status: "open", occurrences: 1, raisedAt: at(2) });
    expect(await recordExternalRefund(refund("gid://shopify/Refund/1"), [], at(3), told)).toBe("already_recorded");
    expect(await findException(SHOP, "refund_over_capture", "gid://shopify/Refund/1")).toMatchObject({ occurrences: 1 });
    expect(await db().financePosting.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("an exchange difference given up on: the intent failed, its timeline entry and exchange_not_settled, or none of them", async () => {
    const order = await anOrder();
    const intent = await db().exchangeSettlement.create({
      data: {
        shop: SHOP,
        returnId: "return-1",
        orderId: order.id,
        kind: "refund",
        amountMinor: 1600n,
        currency: "USD",
        status: "pending",
        actor: "user:7",
        createdAt: at(0),
      },
    });
    const told = (raise: ExceptionRaise) => ({
      orderId: order.id,
      shop: SHOP,
      p: { at: at(4), actor: "user:7", source: "user" as const, deliveryId: null },
      entry: {
        kind: "return" as const,
        summary: "exchange price difference not refunded",
        fromState: null,
        toState: null,
        owner: "oms" as const,
        dedupeKey: "return:return-1:exchange-refund-refused",
      },
      raise,
    });
    const raise = item("exchange_not_settled", "return-1", order.id);

    await expect(markSettlementFailed(intent.id, "refused", told(broken(raise)))).rejects.toThrow();
    expect((await db().exchangeSettlement.findUniqueOrThrow({ where: { id: intent.id } })).status).toBe("pending");
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(0);

    expect(await markSettlementFailed(intent.id, "refused", told(raise))).toBe(true);
    expect(await db().exchangeSettlement.findUniqueOrThrow({ where: { id: intent.id } })).toMatchObject({ status: "failed", error: "refused" });
    expect((await db().orderEvent.findMany({ where: { orderId: order.id } })).map((e) => e.summary)).toEqual(["exchange price difference not refunded"]);
    expect(await findException(SHOP, "exchange_not_settled", "return-1")).toMatchObject({ status: "open", occurrences: 1 });
    // Given up on twice (a retried job): once.
    expect(await markSettlementFailed(intent.id, "refused again", told(raise))).toBe(false);
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(1);
    expect(await findException(SHOP, "exchange_not_settled", "return-1")).toMatchObject({ occurrences: 1 });
  });

  it("a delivery promise at risk: marked with promise_at_risk, or neither", async () => {
    const order = await anOrder();
    await db().orderPromise.create({
      data: {
        orderId: order.id,
        shop: SHOP,
        promiseId: "p-1",
        source: "checkout",
        destinationZone: "US-TX",
        earliest: "2026-12-07",
        latest: "2026-12-09",
        promisedAt: at(0),
        reason: "from Edison NJ",
      },
    });
    const raise = item("promise_at_risk", order.id, order.id);

    await expect(markPromiseAtRisk(SHOP, order.id, at(5), broken(raise))).rejects.toThrow();
    expect((await db().orderPromise.findUniqueOrThrow({ where: { orderId: order.id } })).atRiskAt).toBeNull();

    expect(await markPromiseAtRisk(SHOP, order.id, at(6), raise)).toBe(true);
    expect((await db().orderPromise.findUniqueOrThrow({ where: { orderId: order.id } })).atRiskAt).toEqual(at(6));
    expect(await findException(SHOP, "promise_at_risk", order.id)).toMatchObject({ status: "open", occurrences: 1, raisedAt: at(6) });
    expect(await markPromiseAtRisk(SHOP, order.id, at(7), raise)).toBe(false);
    expect(await findException(SHOP, "promise_at_risk", order.id)).toMatchObject({ occurrences: 1 });
  });

  it("the receipt that brings in an exchange's last unit: its claim and the settlement it makes due, or neither; given back, both go", async () => {
    const order = await anOrder();
    const ret = await db().returnCase.create({
      data: {
        shop: SHOP,
        orderId: order.id,
        status: "in_progress",
        requestedBy: "user:7",
        createdAt: at(0),
        lines: { create: [{ title: "Tee", quantity: 1 }] },
      },
      include: { lines: true },
    });
    const lineId = ret.lines[0]!.id;
    const receipt = [{ lineId, restocked: 1, damaged: 0, qualityControl: 0, missing: 0 }];
    const intent = {
      shop: SHOP,
      returnId: ret.id,
      orderId: order.id,
      kind: "refund" as const,
      amountMinor: 1600n,
      currency: "USD",
      actor: "user:7",
      at: at(8),
    };
    const settlement = () => db().exchangeSettlement.findUnique({ where: { shop_returnId: { shop: SHOP, returnId: ret.id } } });

    // The intent's write fails: the receipt is not claimed either.
    await expect(
      applyReceipts(ret.id, ret.version, receipt, { status: "received" }, { record: { ...intent, orderId: undefined as unknown as string } }),
    ).rejects.toThrow();
    expect(await db().returnCase.findUniqueOrThrow({ where: { id: ret.id }, include: { lines: true } })).toMatchObject({
      status: "in_progress",
      version: ret.version,
      lines: [{ restocked: 0 }],
    });
    expect(await settlement()).toBeNull();

    expect(await applyReceipts(ret.id, ret.version, receipt, { status: "received" }, { record: intent })).toBe(true);
    expect(await settlement()).toMatchObject({ status: "pending", kind: "refund", amountMinor: 1600n, attempts: 0 });
    // A second person's receipt from the same version claims nothing and writes nothing.
    expect(await applyReceipts(ret.id, ret.version, receipt, { status: "received" }, { record: { ...intent, amountMinor: 1n } })).toBe(false);
    expect((await settlement())?.amountMinor).toBe(1600n);

    // Shopify refused it: the receipt is given back, and the settlement with it.
    const back = receipt.map((l) => ({ ...l, restocked: -l.restocked }));
    expect(await applyReceipts(ret.id, ret.version + 1, back, { status: "in_progress" }, { drop: { shop: SHOP, returnId: ret.id } })).toBe(true);
    expect(await settlement()).toBeNull();
    expect((await db().returnCaseLine.findUniqueOrThrow({ where: { id: lineId } })).restocked).toBe(0);
  });
});
