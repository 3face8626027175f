import type { FoOp } from "~/domain/sourcing/plan-fulfillment-changes";
import type { FulfillmentHoldReason } from "~/types/admin.types";
import type { AdminGraphql } from "./admin";
import { FO_HOLD, FO_HOLDS, FO_MOVE, FO_RELEASE, FO_SPLIT } from "./documents/fulfillment-orders";

/** `movedFulfillmentOrderId`: for a move, the fulfilment order that holds the moved units now. */
export type OpResult = { ok: true; movedFulfillmentOrderId?: string | null } | { ok: false; message: string };

const lineInput = (lines: { foLineId: string; quantity: number }[]) => lines.map((l) => ({ id: l.foLineId, quantity: l.quantity }));

/**
 * Applies one change to Shopify. A hold on some of a fulfilment order's units splits them off
 * first (Shopify keeps the requested units in the original and puts the rest in a new one).
 * Shopify's userErrors come back as a failed result, never thrown: the caller records why.
 */
export async function applyFoOp(graphql: AdminGraphql, op: FoOp, handle: string): Promise<OpResult> {
  if (op.kind === "move") {
    const res = await graphql(FO_MOVE, {
      variables: { id: op.fulfillmentOrderId, to: op.toLocationId, lines: op.lines === "all" ? null : lineInput(op.lines) },
    });
    const { data } = await res.json();
    const errors = data?.fulfillmentOrderMove?.userErrors ?? [];
    return errors.length
      ? { ok: false, message: errors.map((e) => e.message).join("; ") }
      : { ok: true, movedFulfillmentOrderId: data?.fulfillmentOrderMove?.movedFulfillmentOrder?.id ?? null };
  }
  if (op.lines !== "all") {
    const res = await graphql(FO_SPLIT, {
      variables: { splits: [{ fulfillmentOrderId: op.fulfillmentOrderId, fulfillmentOrderLineItems: lineInput(op.lines) }] },
    });
    const { data } = await res.json();
    const errors = data?.fulfillmentOrderSplit?.userErrors ?? [];
    if (errors.length) return { ok: false, message: errors.map((e) => e.message).join("; ") };
  }
  const res = await graphql(FO_HOLD, {
    variables: {
      id: op.fulfillmentOrderId,
      hold: { reason: op.reason as FulfillmentHoldReason, reasonNotes: "Backordered by the OMS: released when stock arrives", handle },
    },
  });
  const { data } = await res.json();
  const errors = data?.fulfillmentOrderHold?.userErrors ?? [];
  return errors.length ? { ok: false, message: errors.map((e) => e.message).join("; ") } : { ok: true };
}

/** The handle the OMS puts on its backorder holds: only these are ever released by it. */
export const backorderHandle = (orderId: string) => `oms-backorder-${orderId}`;

/**
 * Releases the OMS's own backorder holds on a fulfilment order (by hold id: releasing every hold
 * would also lift a merchant's fraud or payment hold). Returns how many were released.
 */
export async function releaseBackorderHolds(
  graphql: AdminGraphql,
  fulfillmentOrderId: string,
  handle: string,
): Promise<{ released: number; otherHolds: number; error?: string }> {
  const res = await graphql(FO_HOLDS, { variables: { id: fulfillmentOrderId } });
  const { data } = await res.json();
  const holds = data?.fulfillmentOrder?.fulfillmentHolds ?? [];
  const ours = holds.filter((h) => h.handle === handle).map((h) => h.id);
  if (!ours.length) return { released: 0, otherHolds: holds.length };
  const rel = await graphql(FO_RELEASE, { variables: { id: fulfillmentOrderId, holdIds: ours } });
  const released = await rel.json();
  const errors = released.data?.fulfillmentOrderReleaseHold?.userErrors ?? [];
  return errors.length
    ? { released: 0, otherHolds: holds.length - ours.length, error: errors.map((e) => e.message).join("; ") }
    : { released: ours.length, otherHolds: holds.length - ours.length };
}
