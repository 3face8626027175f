import { describe, expect, it } from "vitest";
import { applyReceipt, checkReceipt, outstandingOf } from "./disposition";
import { returnsKpis } from "./kpis";
import { explain, rankCandidates, type CandidateOrder } from "./match";
import { exchangeDifference, exchangeHeldMinor } from "./exchange";
import { checkAgainstFunds, planRefund } from "./refund";
import { checkReturnRequest, returnableUnits } from "./returnable";

describe("returnable quantities", () => {
  const fulfilled = [
    { fulfillmentLineItemId: "FL1", sourceLineId: "L1", sku: "TEE", title: "Tee", quantity: 2, unitPriceMinor: 2000n },
    { fulfillmentLineItemId: "FL2", sourceLineId: "L1", sku: "TEE", title: "Tee", quantity: 1, unitPriceMinor: 2000n },
  ];
  it("given a split shipment with one unit already returned, only the rest of that shipment is returnable", () => {
    const units = returnableUnits(fulfilled, new Map([["FL1", 1]]));
    expect(units.map((u) => u.returnable)).toEqual([1, 1]);
    expect(checkReturnRequest(units, [{ fulfillmentLineItemId: "FL2", quantity: 1 }])).toBeNull();
    expect(
      checkReturnRequest(units, [
        { fulfillmentLineItemId: "FL1", quantity: 1 },
        { fulfillmentLineItemId: "FL1", quantity: 1 },
      ]),
    ).toEqual({ code: "TOO_MANY", fulfillmentLineItemId: "FL1", requested: 2, returnable: 1 });
  });
  it("refuses unfulfilled lines and empty requests", () => {
    const units = returnableUnits(fulfilled, new Map());
    expect(checkReturnRequest(units, [{ fulfillmentLineItemId: "NOPE", quantity: 1 }])).toEqual({ code: "NOT_FULFILLED", fulfillmentLineItemId: "NOPE" });
    expect(checkReturnRequest(units, [])).toEqual({ code: "EMPTY" });
  });
});

describe("receipts with dispositions", () => {
  const line = { quantity: 3, restocked: 0, damaged: 0, qualityControl: 0, missing: 0 };
  it("accepts a receipt split across dispositions and counts what is still expected", () => {
    expect(checkReceipt(line, { restock: 1, damaged: 1 })).toBeNull();
    const after = applyReceipt(line, { restock: 1, damaged: 1 });
    expect(outstandingOf(after)).toBe(1);
    expect(checkReceipt(after, { restock: 2 })).toEqual({ code: "MORE_THAN_OUTSTANDING", outstanding: 1, received: 2 });
  });
  it("refuses nothing received and negative counts", () => {
    expect(checkReceipt(line, {})).toEqual({ code: "NOTHING_RECEIVED" });
    expect(checkReceipt(line, { restock: -1, damaged: 2 })).toEqual({ code: "NEGATIVE" });
  });
});

describe("refund arithmetic", () => {
  const lines = [{ sourceLineId: "L1", quantity: 2, unitPriceMinor: 2999n }];
  it("lines minus the restocking fee plus shipping, split between the gateway and store credit", () => {
    const plan = planRefund({ lines, shippingMinor: 995n, restockingFeePercent: 10, storeCreditMinor: 1000n });
    expect(plan).toEqual({
      ok: true,
      value: {
        linesMinor: 5998n,
        restockingFeeMinor: 600n,
        shippingMinor: 995n,
        exchangeMinor: 0n,
        totalMinor: 6393n,
        gatewayMinor: 5393n,
        storeCreditMinor: 1000n,
      },
    });
  });
  it("refuses above captured minus refunded minus in flight, with the numbers", () => {
    const refusal = checkAgainstFunds({ currency: "USD", capturedMinor: 10000n, refundedMinor: 6000n, pendingMinor: 1000n }, 3500n);
    expect(refusal).toEqual({
      ok: false,
      error: {
        code: "OVER_CAPTURE",
        currency: "USD",
        requestedMinor: 3500n,
        capturedMinor: 10000n,
        refundedMinor: 6000n,
        pendingMinor: 1000n,
        exchangeMinor: 0n,
        refundableMinor: 3000n,
      },
    });
    expect(checkAgainstFunds({ currency: "USD", capturedMinor: 10000n, refundedMinor: 6000n, pendingMinor: 1000n }, 3000n).ok).toBe(true);
  });
  it("exchange items held against the order come off what can be refunded, and the refusal says so", () => {
    const funds = { currency: "USD", capturedMinor: 3395n, refundedMinor: 0n, pendingMinor: 0n, exchangeMinor: 2400n };
    expect(checkAgainstFunds(funds, 2400n)).toEqual({
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
    expect(checkAgainstFunds(funds, 995n).ok).toBe(true);
    // A dearer exchange not yet paid for: nothing refundable (never shown below zero).
    expect(checkAgainstFunds({ ...funds, exchangeMinor: 8000n }, 1n)).toMatchObject({ ok: false, error: { refundableMinor: 0n } });
  });
  it("refuses nothing to refund and store credit above the refund", () => {
    expect(planRefund({ lines: [], shippingMinor: 0n, restockingFeePercent: 0, storeCreditMinor: 0n })).toEqual({
      ok: false,
      error: { code: "NOTHING_TO_REFUND" },
    });
    expect(planRefund({ lines, shippingMinor: 0n, restockingFeePercent: 0, storeCreditMinor: 99999n }).ok).toBe(false);
  });
});

describe("exchange price difference", () => {
  const tee = [{ unitPriceMinor: 2400n, quantity: 2 }];
  it("given a lower-priced exchange, the difference is owed back and nothing is to collect", () => {
    expect(exchangeDifference(tee, [{ unitPriceMinor: 1999n, quantity: 2 }])).toEqual({
      returnedMinor: 4800n,
      exchangeMinor: 3998n,
      refundMinor: 802n,
      collectMinor: 0n,
    });
  });
  it("given a higher-priced exchange, the difference is to collect and nothing is refunded", () => {
    expect(exchangeDifference(tee, [{ unitPriceMinor: 12000n, quantity: 1 }])).toEqual({
      returnedMinor: 4800n,
      exchangeMinor: 12000n,
      refundMinor: 0n,
      collectMinor: 7200n,
    });
  });
  it("the exchange value held against the order: every live exchange's items, none for a declined or cancelled return, at least the returned goods for an unpriced one", () => {
    const returned = [{ unitPriceMinor: 2400n, quantity: 1 }];
    expect(
      exchangeHeldMinor([
        { status: "in_transit", exchange: [{ unitPriceMinor: 800n, quantity: 1 }], returned },
        { status: "closed", exchange: [{ unitPriceMinor: 8000n, quantity: 1 }], returned },
      ]),
    ).toBe(8800n);
    expect(
      exchangeHeldMinor([
        { status: "cancelled", exchange: [{ unitPriceMinor: 800n, quantity: 1 }], returned },
        { status: "received", exchange: [], returned },
      ]),
    ).toBe(0n);
    expect(exchangeHeldMinor([{ status: "received", exchange: [{ unitPriceMinor: null, quantity: 1 }], returned }])).toBe(2400n);
  });
  it("given an even exchange (or several items against several), neither", () => {
    expect(exchangeDifference([...tee, { unitPriceMinor: 100n, quantity: 1 }], [{ unitPriceMinor: 2450n, quantity: 2 }])).toMatchObject({
      refundMinor: 0n,
      collectMinor: 0n,
    });
  });
  it("a refund of an exchange refunds only the difference, after the restocking fee; an exchange worth the lines refunds nothing", () => {
    const lines = [{ sourceLineId: "L1", quantity: 2, unitPriceMinor: 2400n }];
    expect(planRefund({ lines, shippingMinor: 0n, restockingFeePercent: 10, storeCreditMinor: 0n, exchangeMinor: 3998n })).toMatchObject({
      ok: true,
      value: { linesMinor: 4800n, restockingFeeMinor: 480n, exchangeMinor: 3998n, totalMinor: 322n, gatewayMinor: 322n },
    });
    expect(planRefund({ lines, shippingMinor: 0n, restockingFeePercent: 0, storeCreditMinor: 0n, exchangeMinor: 4800n })).toEqual({
      ok: false,
      error: { code: "NOTHING_TO_REFUND" },
    });
  });
  it("refuses units that are not units (a bug, thrown)", () => {
    expect(() => exchangeDifference([{ unitPriceMinor: 100n, quantity: 1.5 }], [])).toThrow();
  });
});

describe("matching a parcel without an order reference", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const order = (over: Partial<CandidateOrder>): CandidateOrder => ({
    orderId: "o1",
    orderName: "#1001",
    placedAt: new Date("2026-11-19T12:00:00Z"),
    email: "ann@example.com",
    customerName: "Ann Lee",
    phone: null,
    trackingNumbers: [],
    returnNames: [],
    lines: [{ sku: "TEE", shipped: 2, returned: 0 }],
    ...over,
  });
  it("ranks the order with the same email that bought the SKU first, and says why", () => {
    const parcel = { slip: { email: "ANN@example.com " }, lines: [{ sku: "TEE", quantity: 1 }] };
    const ranked = rankCandidates(parcel, [order({ orderId: "o2", orderName: "#1002", email: "bob@example.com" }), order({})], now);
    expect(ranked[0]!.orderName).toBe("#1001");
    expect(explain(ranked[0]!)).toBe("same email, bought 2 of TEE 12 days ago, not yet returned");
  });
  it("an order whose units are all returned already scores below one that still has them", () => {
    const parcel = { slip: {}, lines: [{ sku: "TEE", quantity: 1 }] };
    const ranked = rankCandidates(parcel, [order({ lines: [{ sku: "TEE", shipped: 2, returned: 2 }] }), order({ orderId: "o3", orderName: "#1003" })], now);
    expect(ranked.map((c) => c.orderName)).toEqual(["#1003"]);
  });
  it("no evidence, no candidate", () => {
    expect(rankCandidates({ slip: { email: "x@y.z" }, lines: [{ sku: "MUG", quantity: 1 }] }, [order({})], now)).toEqual([]);
  });
});

describe("returns KPIs", () => {
  it("return rate, refunded amount and median hours from receipt to refund", () => {
    const k = returnsKpis({
      unitsShipped: 40,
      unitsReturned: 3,
      refunds: [
        { amountMinor: 500n, currency: "USD" },
        { amountMinor: 250n, currency: "USD" },
      ],
      receiptToRefund: [
        { receivedAt: new Date(0), refundedAt: new Date(3_600_000) },
        { receivedAt: new Date(0), refundedAt: new Date(3 * 3_600_000) },
      ],
    });
    expect(k).toEqual({ returnRatePercent: 7.5, refundedMinor: 750n, currency: "USD", medianReceiptToRefundHours: 2 });
  });
});
