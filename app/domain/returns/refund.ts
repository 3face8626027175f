// Refund arithmetic. Money is integer minor units of the order's currency. A refund can never
// exceed what was captured minus what is already refunded or being refunded, minus the value of
// exchange items the customer gets in place of returned goods (see exchangeHeldMinor).
import { err, ok, type Result } from "../shared/result";

export type OrderFunds = {
  currency: string;
  capturedMinor: bigint;
  refundedMinor: bigint;
  pendingMinor: bigint;
  /** Exchange items held against the order's money (0 without an exchange). */
  exchangeMinor?: bigint;
};
export const refundableOf = (f: OrderFunds) => f.capturedMinor - f.refundedMinor - f.pendingMinor - (f.exchangeMinor ?? 0n);

export type RefundRequest = {
  lines: readonly { sourceLineId: string; quantity: number; unitPriceMinor: bigint }[];
  shippingMinor: bigint;
  /** A whole percentage of the returned lines' value kept by the merchant. */
  restockingFeePercent: number;
  /** How much of the refund goes to store credit instead of the original payment. */
  storeCreditMinor: bigint;
  /** The value of exchange items set against the returned lines (an exchange refunds only the difference). */
  exchangeMinor?: bigint;
};

export type RefundPlan = {
  linesMinor: bigint;
  shippingMinor: bigint;
  restockingFeeMinor: bigint;
  exchangeMinor: bigint;
  totalMinor: bigint;
  gatewayMinor: bigint;
  storeCreditMinor: bigint;
};

export type RefundRefusal =
  | { code: "NOTHING_TO_REFUND" }
  | { code: "INVALID"; message: string }
  | {
      code: "OVER_CAPTURE";
      currency: string;
      requestedMinor: bigint;
      capturedMinor: bigint;
      refundedMinor: bigint;
      pendingMinor: bigint;
      exchangeMinor: bigint;
      refundableMinor: bigint;
    };

/** Fee rounding: half up, in the merchant's favour never by more than half a minor unit. */
export const restockingFeeOf = (linesMinor: bigint, percent: number) => (linesMinor * BigInt(percent) + 50n) / 100n;

export function planRefund(req: RefundRequest): Result<RefundPlan, RefundRefusal> {
  if (!Number.isInteger(req.restockingFeePercent) || req.restockingFeePercent < 0 || req.restockingFeePercent > 100)
    return err({ code: "INVALID", message: "the restocking fee is a whole percentage from 0 to 100" });
  if (req.lines.some((l) => !Number.isInteger(l.quantity) || l.quantity < 0)) return err({ code: "INVALID", message: "quantities are whole and not negative" });
  const exchangeMinor = req.exchangeMinor ?? 0n;
  if (req.shippingMinor < 0n || req.storeCreditMinor < 0n || exchangeMinor < 0n) return err({ code: "INVALID", message: "amounts are not negative" });
  const linesMinor = req.lines.reduce((n, l) => n + l.unitPriceMinor * BigInt(l.quantity), 0n);
  const restockingFeeMinor = restockingFeeOf(linesMinor, req.restockingFeePercent);
  const totalMinor = linesMinor - restockingFeeMinor + req.shippingMinor - exchangeMinor;
  if (totalMinor <= 0n) return err({ code: "NOTHING_TO_REFUND" });
  if (req.storeCreditMinor > totalMinor) return err({ code: "INVALID", message: "store credit is more than the refund" });
  return ok({
    linesMinor,
    shippingMinor: req.shippingMinor,
    restockingFeeMinor,
    exchangeMinor,
    totalMinor,
    gatewayMinor: totalMinor - req.storeCreditMinor,
    storeCreditMinor: req.storeCreditMinor,
  });
}

/** The check the guarded write makes in the database, as a value (used for the refusal's numbers). */
export function checkAgainstFunds(funds: OrderFunds, totalMinor: bigint): Result<null, RefundRefusal> {
  const raw = refundableOf(funds);
  const refundableMinor = raw > 0n ? raw : 0n;
  if (totalMinor > raw) {
    return err({
      code: "OVER_CAPTURE",
      currency: funds.currency,
      requestedMinor: totalMinor,
      capturedMinor: funds.capturedMinor,
      refundedMinor: funds.refundedMinor,
      pendingMinor: funds.pendingMinor,
      exchangeMinor: funds.exchangeMinor ?? 0n,
      refundableMinor,
    });
  }
  return ok(null);
}
