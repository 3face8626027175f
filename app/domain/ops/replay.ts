import type { ExceptionKind } from "../exceptions/kinds";
import { err, ok, type Result } from "../shared/result";

// The safe replay each queue item carries. Every replay is idempotent (re-reading, re-routing an
// order that routing has not placed, re-running a job under its own key); a replay that could
// create a second shipment or a second refund is refused with the reason and what to do instead.

export type ReplayAction =
  | { type: "route_order"; orderId: string }
  | { type: "sync_order"; orderId: string | null; shopifyOrderId: string | null }
  | { type: "import_order"; shopifyOrderId: string }
  | { type: "replay_delivery"; deliveryId: string }
  | { type: "rerun_job"; deadLetterId: string }
  | { type: "reconcile_inventory" }
  | { type: "release_backorders" }
  | { type: "record_refund"; shopifyOrderId: string; refundId: string };

export type ReplayRefusal = { code: "WOULD_DUPLICATE_SHIPMENT" | "WOULD_DUPLICATE_REFUND" | "NO_REPLAY"; explanation: string };

export type ReplayItem = { kind: ExceptionKind; subjectKey: string; orderId: string | null; data: Record<string, unknown> };

/** Jobs whose re-run could ship or pay twice: never replayed from the queue. */
const UNSAFE_JOB = /refund|capture|fulfil+ment-create|create-fulfil+ment|ship|payout/i;

const str = (v: unknown) => (typeof v === "string" && v ? v : null);

export const REPLAY_LABELS: Record<ReplayAction["type"], string> = {
  route_order: "Re-route the order (routing job)",
  sync_order: "Re-sync the order from Shopify",
  import_order: "Import the order from Shopify",
  replay_delivery: "Replay the webhook delivery",
  rerun_job: "Re-run the dead-lettered job",
  reconcile_inventory: "Run a full inventory reconcile",
  release_backorders: "Re-source held backorders",
  record_refund: "Record the refund from Shopify (no money moves)",
};

export function replayFor(item: ReplayItem): Result<ReplayAction, ReplayRefusal> {
  const d = item.data;
  switch (item.kind) {
    case "stuck_before_allocation":
    case "promise_at_risk":
    case "line_unsourceable":
      return item.orderId ? ok({ type: "route_order", orderId: item.orderId }) : err({ code: "NO_REPLAY", explanation: "The item names no order." });
    case "allocation_no_shipment":
      // Re-routing elsewhere while the first location may still ship is how parcels go out twice.
      return item.orderId
        ? ok({ type: "sync_order", orderId: item.orderId, shopifyOrderId: null })
        : err({ code: "NO_REPLAY", explanation: "The item names no order." });
    case "shipment_status_unsynced":
    case "order_flagged":
    case "address_intercept":
    case "marketplace_cancel_after_ship":
      return item.orderId
        ? ok({ type: "sync_order", orderId: item.orderId, shopifyOrderId: null })
        : err({ code: "NO_REPLAY", explanation: "The item names no order." });
    case "payment_no_order":
      if (item.subjectKey.startsWith("gid://shopify/Order/")) return ok({ type: "import_order", shopifyOrderId: item.subjectKey });
      return err({
        code: "NO_REPLAY",
        explanation:
          "A marketplace order is created in Shopify by its connector; re-run its import from the marketplace page (creating it here could create it twice).",
      });
    case "refund_no_posting": {
      const order = str(d.shopifyOrderId);
      return order
        ? ok({ type: "record_refund", shopifyOrderId: order, refundId: item.subjectKey })
        : err({ code: "NO_REPLAY", explanation: "The item names no Shopify order." });
    }
    case "delivery_rejected":
      return ok({ type: "replay_delivery", deliveryId: str(d.deliveryId) ?? item.subjectKey });
    case "dead_letter": {
      const job = str(d.jobName) ?? "";
      if (UNSAFE_JOB.test(job))
        return err({
          code: job.match(/refund|capture|payout/i) ? "WOULD_DUPLICATE_REFUND" : "WOULD_DUPLICATE_SHIPMENT",
          explanation: `Job ${job} moves money or parcels: re-running it could do so twice. Check Shopify for what it already did, then act from the order page.`,
        });
      return ok({ type: "rerun_job", deadLetterId: str(d.deadLetterId) ?? item.subjectKey });
    }
    case "stock_drift":
      return ok({ type: "reconcile_inventory" });
    case "out_of_stock_after_release":
      return ok({ type: "release_backorders" });
    case "capture_after_cancel":
    case "cancelled_not_refunded":
    case "refund_over_capture":
      return err({
        code: "WOULD_DUPLICATE_REFUND",
        explanation:
          "Replaying a refund could refund the customer twice. Compare the order's transactions in Shopify, then refund the difference from the order page (refunds carry an idempotency key there).",
      });
    case "exchange_not_settled":
      return err({
        code: "NO_REPLAY",
        explanation:
          "Re-run the settle-exchange job from its dead letter once Shopify answers again: it refunds under the same idempotency key, so a refund Shopify already made is found, not made twice. If Shopify refused the refund, follow the runbook.",
      });
    case "unmatched_return":
    case "authorization_expiring":
    case "release_hold":
    case "exchange_balance_due":
    case "cancellation_request_pending":
    case "marketplace_order_not_created":
      return err({ code: "NO_REPLAY", explanation: "This needs a decision by a person; follow the runbook's recovery steps." });
  }
}
