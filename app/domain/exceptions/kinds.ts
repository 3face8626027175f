// The kinds of item the exception queue holds. Each kind has a severity, an owner (who works it)
// and a runbook (docs/runbooks/<kind>.md, shown in the app). Append new kinds here: the union is
// the one list every raiser, the queue page and the runbooks agree on.

export const EXCEPTION_KINDS = [
  // Operations monitors (issue 18)
  "stuck_before_allocation",
  "allocation_no_shipment",
  "shipment_status_unsynced",
  "payment_no_order",
  "refund_no_posting",
  // Intake and plumbing
  "delivery_rejected",
  "dead_letter",
  "stock_drift",
  "order_flagged",
  // Promise and changes
  "promise_at_risk",
  "out_of_stock_after_release",
  "line_unsourceable",
  "address_intercept",
  "cancellation_request_pending",
  // Payments, returns and finance
  "capture_after_cancel",
  "cancelled_not_refunded",
  "authorization_expiring",
  "refund_over_capture",
  "unmatched_return",
  "release_hold",
  "exchange_balance_due",
  "exchange_not_settled",
  // Marketplaces
  "marketplace_cancel_after_ship",
  "marketplace_order_not_created",
] as const;

export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];
export type ExceptionSeverity = "critical" | "warning" | "info";
export type ExceptionStatus = "open" | "snoozed" | "resolved";

export const isExceptionKind = (k: string): k is ExceptionKind => (EXCEPTION_KINDS as readonly string[]).includes(k);

/** What a raiser says about a case; the queue adds status, assignment and history. */
export type ExceptionRaise = {
  shop: string;
  kind: ExceptionKind;
  severity: ExceptionSeverity;
  /** What it is about, unique per kind (an order id, a parcel id…): one item per (kind, subject). */
  subjectKey: string;
  orderId?: string | null;
  summary: string;
  data?: Record<string, unknown>;
};

/**
 * What raising does to the item already held for the same (kind, subject), if any: a new item; an
 * open or snoozed one only counts another occurrence (an alert is raised once, not once per
 * evaluation); a resolved one that recurs is reopened.
 */
export type RaiseEffect = "created" | "seen_again" | "reopened";

export function raiseEffect(existing: { status: ExceptionStatus } | null): RaiseEffect {
  if (!existing) return "created";
  return existing.status === "resolved" ? "reopened" : "seen_again";
}
