import { describe, expect, it } from "vitest";
import { applyReceipt, checkReceipt, outstandingOf } from "./disposition";
import { returnsKpis } from "./kpis";
import { explain, rankCandidates, type CandidateOrder } from "./match";
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
    expect(checkReturnRequest(units, [{ fulfillmentLineItemId: "FL1", quantity: 1 }, { fulfillmentLineItemId: "FL1", quantity: 1 }])).toEqual({ code: "TOO_MANY", fulfillmentLineItemId: "FL1", requested: 2, returnable: 1 });
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
    expect(plan).toEqual({ ok: true, value: { linesMinor: 5998n, restockingFeeMinor: 600n, shippingMinor: 995n, totalMinor: 6393n, gatewayMinor: 5393n, storeCreditMinor: 1000n } });
  });
  it("refuses above captured minus refunded minus in flight, with the numbers", () => {
    const refusal = checkAgainstFunds({ currency: "USD", capturedMinor: 10000n, refundedMinor: 6000n, pendingMinor: 1000n }, 3500n);
    expect(refusal).toEqual({ ok: false, error: { code: "OVER_CAPTURE", currency: "USD", requestedMinor: 3500n, capturedMinor: 10000n, refundedMinor: 6000n, pendingMinor: 1000n, refundableMinor: 3000n } });
    expect(checkAgainstFunds({ currency: "USD", capturedMinor: 10000n, refundedMinor: 6000n, pendingMinor: 1000n }, 3000n).ok).toBe(true);
  });
  it("refuses nothing to refund and store credit above the refund", () => {
    expect(planRefund({ lines: [], shippingMinor: 0n, restockingFeePercent: 0, storeCreditMinor: 0n })).toEqual({ ok: false, error: { code: "NOTHING_TO_REFUND" } });
    expect(planRefund({ lines, shippingMinor: 0n, restockingFeePercent: 0, storeCreditMinor: 99999n }).ok).toBe(false);
  });
});

describe("matching a parcel without an order reference", () => {
  const now = new Date("2026-12-01T12:00:00Z");
  const order = (over: Partial<CandidateOrder>): CandidateOrder => ({ orderId: "o1", orderName: "#1001", placedAt: new Date("2026-11-19T12:00:00Z"), email: "ann@example.com", customerName: "Ann Lee", phone: null, trackingNumbers: [], returnNames: [], lines: [{ sku: "TEE", shipped: 2, returned: 0 }], ...over });
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
    const k = returnsKpis({ unitsShipped: 40, unitsReturned: 3, refunds: [{ amountMinor: 500n, currency: "USD" }, { amountMinor: 250n, currency: "USD" }], receiptToRefund: [{ receivedAt: new Date(0), refundedAt: new Date(3_600_000) }, { receivedAt: new Date(0), refundedAt: new Date(3 * 3_600_000) }] });
    expect(k).toEqual({ returnRatePercent: 7.5, refundedMinor: 750n, currency: "USD", medianReceiptToRefundHours: 2 });
  });
});
