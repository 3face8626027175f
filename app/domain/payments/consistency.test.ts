import { describe, expect, it } from "vitest";
import { openAuthorizations, paymentFindings, shipmentShare, type PaymentTx } from "./consistency";

const at = (h: number) => new Date(Date.UTC(2026, 11, 1, h));
const tx = (over: Partial<PaymentTx>): PaymentTx => ({
  id: "t",
  kind: "SALE",
  status: "SUCCESS",
  amountMinor: 5000n,
  at: at(0),
  parentId: null,
  authorizationExpiresAt: null,
  ...over,
});
const opts = { refundGraceMs: 3_600_000, warnMs: 48 * 3_600_000 };
const base = { orderId: "o1", orderName: "#1001", currency: "USD", cancelledAt: null };

describe("payment consistency", () => {
  it("a capture after the cancellation is one finding per capture", () => {
    const f = paymentFindings(
      { ...base, cancelledAt: at(2), transactions: [tx({ id: "a", kind: "AUTHORIZATION" }), tx({ id: "c", kind: "CAPTURE", parentId: "a", at: at(3) })] },
      at(3),
      opts,
    );
    // An hour after the cancellation the captured money is also not refunded: both facts, each once.
    expect(f.map((x) => [x.kind, x.subjectKey])).toEqual([
      ["capture_after_cancel", "o1:c"],
      ["cancelled_not_refunded", "o1"],
    ]);
  });
  it("a cancelled order with money captured and not refunded is reported after the grace period; refunded, it is not", () => {
    const cancelled = { ...base, cancelledAt: at(2), transactions: [tx({ id: "s" })] };
    expect(paymentFindings(cancelled, at(2), opts)).toEqual([]);
    expect(paymentFindings(cancelled, at(4), opts).map((x) => x.kind)).toEqual(["cancelled_not_refunded"]);
    expect(paymentFindings({ ...cancelled, transactions: [tx({ id: "s" }), tx({ id: "r", kind: "REFUND", at: at(2) })] }, at(4), opts)).toEqual([]);
  });
  it("an open authorisation close to its expiry is a warning; captured or voided it is not", () => {
    const auth = tx({ id: "a", kind: "AUTHORIZATION", authorizationExpiresAt: at(40) });
    expect(paymentFindings({ ...base, transactions: [auth] }, at(0), opts).map((x) => x.kind)).toEqual(["authorization_expiring"]);
    expect(paymentFindings({ ...base, transactions: [{ ...auth, authorizationExpiresAt: at(60) }] }, at(0), opts)).toEqual([]);
    expect(paymentFindings({ ...base, transactions: [auth, tx({ id: "c", kind: "CAPTURE", parentId: "a" })] }, at(0), opts)).toEqual([]);
    expect(openAuthorizations([auth, tx({ id: "v", kind: "VOID", parentId: "a", amountMinor: 0n })], at(0))).toEqual([]);
  });
  it("a shipment's share is its lines, plus shipping on the first", () => {
    expect(shipmentShare([{ unitPriceMinor: 2400n, quantity: 2 }], 995n, true)).toBe(5795n);
    expect(shipmentShare([{ unitPriceMinor: 2400n, quantity: 1 }], 995n, false)).toBe(2400n);
  });
});
