import { describe, expect, it } from "vitest";
import { EXCEPTION_KINDS } from "../exceptions/kinds";
import { replayFor } from "./replay";

const item = (kind: (typeof EXCEPTION_KINDS)[number], data: Record<string, unknown> = {}) => ({ kind, subjectKey: "s-1", orderId: "o-1", data });

describe("safe replay", () => {
  it("every kind has a replay or an explained refusal", () => {
    for (const kind of EXCEPTION_KINDS) {
      const r = replayFor(item(kind));
      if (!r.ok) expect(r.error.explanation.length).toBeGreaterThan(20);
    }
  });

  it("a stuck order is re-routed; an allocation without shipment is only re-read (never moved)", () => {
    expect(replayFor(item("stuck_before_allocation"))).toEqual({ ok: true, value: { type: "route_order", orderId: "o-1" } });
    expect(replayFor(item("allocation_no_shipment"))).toEqual({ ok: true, value: { type: "sync_order", orderId: "o-1", shopifyOrderId: null } });
  });

  it("refuses replays that could refund or ship twice", () => {
    expect(replayFor(item("cancelled_not_refunded"))).toMatchObject({ ok: false, error: { code: "WOULD_DUPLICATE_REFUND" } });
    expect(replayFor(item("dead_letter", { jobName: "refund-create", deadLetterId: "d1" }))).toMatchObject({
      ok: false,
      error: { code: "WOULD_DUPLICATE_REFUND" },
    });
    expect(replayFor(item("dead_letter", { jobName: "fulfillment-create", deadLetterId: "d1" }))).toMatchObject({
      ok: false,
      error: { code: "WOULD_DUPLICATE_SHIPMENT" },
    });
    expect(replayFor(item("dead_letter", { jobName: "sync-order", deadLetterId: "d1" }))).toEqual({
      ok: true,
      value: { type: "rerun_job", deadLetterId: "d1" },
    });
  });

  it("a missing Shopify order is imported; a refund is recorded, never re-issued", () => {
    expect(replayFor({ kind: "payment_no_order", subjectKey: "gid://shopify/Order/9", orderId: null, data: {} })).toEqual({
      ok: true,
      value: { type: "import_order", shopifyOrderId: "gid://shopify/Order/9" },
    });
    expect(
      replayFor({ kind: "refund_no_posting", subjectKey: "gid://shopify/Refund/3", orderId: null, data: { shopifyOrderId: "gid://shopify/Order/9" } }),
    ).toEqual({ ok: true, value: { type: "record_refund", shopifyOrderId: "gid://shopify/Order/9", refundId: "gid://shopify/Refund/3" } });
  });
});
