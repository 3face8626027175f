import type { OrderEvent, OrderState } from "./lifecycle";

export const AWAITING_PAYMENT = "awaiting payment";
const PAID = new Set(["paid", "authorized", "partially_paid"]);

/**
 * The OMS's release decision: release a received order for allocation when it is paid or
 * authorised, hold it while payment is pending, and release that hold once payment arrives.
 * Holds for any other reason wait for a person.
 */
export function releaseDecision(
  state: OrderState,
  financialStatus: string | null,
  holdReason: string | null,
): { event: OrderEvent; reason: string } | null {
  const paid = financialStatus !== null && PAID.has(financialStatus);
  if (state === "received") {
    if (paid) return { event: "RELEASE", reason: `payment ${financialStatus}` };
    if (financialStatus === "pending" || financialStatus === null) return { event: "HOLD", reason: AWAITING_PAYMENT };
    return null;
  }
  if (state === "on_hold" && holdReason === AWAITING_PAYMENT && paid) return { event: "RELEASE_HOLD", reason: `payment ${financialStatus}` };
  return null;
}
