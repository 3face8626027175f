import { isStaffRole, type StaffRole } from "../staff/roles";

/** A shop's order policy: who may do what by default, when orders are released, how payment is captured. */
export type OrderPolicy = {
  defaultStaffRole: StaffRole;
  holdHighRisk: boolean;
  validateAddress: boolean;
  /** Orders above this total (minor units of the shop currency) wait for a person; null: no limit. */
  maxValueMinor: bigint | null;
  /** Orders with payment terms: released at once (on_order) or once paid (on_payment). */
  paymentTermsRelease: "on_order" | "on_payment";
  /** automatic: captured at checkout; on_shipment: authorised at checkout, each shipment captures its share. */
  captureMode: "automatic" | "on_shipment";
  /** Warn this many hours before an open authorisation expires. */
  authorizationWarnHours: number;
};

export const DEFAULT_ORDER_POLICY: OrderPolicy = {
  defaultStaffRole: "manager",
  holdHighRisk: true,
  validateAddress: true,
  maxValueMinor: null,
  paymentTermsRelease: "on_order",
  captureMode: "automatic",
  authorizationWarnHours: 48,
};

/** A stored row back to the policy (unknown values fall back to the defaults). */
export function parseOrderPolicy(r: {
  defaultStaffRole: string;
  holdHighRisk: boolean;
  validateAddress: boolean;
  maxValueMinor: bigint | null;
  paymentTermsRelease: string;
  captureMode: string;
  authorizationWarnHours: number;
}): OrderPolicy {
  return {
    defaultStaffRole: isStaffRole(r.defaultStaffRole) ? r.defaultStaffRole : DEFAULT_ORDER_POLICY.defaultStaffRole,
    holdHighRisk: r.holdHighRisk,
    validateAddress: r.validateAddress,
    maxValueMinor: r.maxValueMinor,
    paymentTermsRelease: r.paymentTermsRelease === "on_payment" ? "on_payment" : "on_order",
    captureMode: r.captureMode === "on_shipment" ? "on_shipment" : "automatic",
    authorizationWarnHours: r.authorizationWarnHours,
  };
}
