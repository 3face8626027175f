import type { FoOp } from "~/domain/sourcing/plan-fulfillment-changes";
import type { FulfillmentHoldReason } from "~/types/admin.types";
import { paceAfter, type AdminGraphql } from "./admin";
import { FO_HOLD, FO_MOVE, FO_SPLIT } from "./documents/fulfillment-orders";

export type OpResult = { ok: true } | { ok: false; message: string };

const lineInput = (lines: { foLineId: string; quantity: number }[]) => lines.map((l) => ({ id: l.foLineId, quantity: l.quantity }));

/**
 * Applies one change to Shopify. A hold on some of a fulfilment order's units splits them off
 * first (Shopify keeps the requested units in the original and puts the rest in a new one).
 * Shopify's userErrors come back as a failed result, never thrown: the caller records why.
 */
export async function applyFoOp(graphql: AdminGraphql, op: FoOp, handle: string): Promise<OpResult> {
  if (op.kind === "move") {
    const res = await graphql(FO_MOVE, { variables: { id: op.fulfillmentOrderId, to: op.toLocationId, lines: op.lines === "all" ? null : lineInput(op.lines) } });
    const { data, extensions } = await res.json();
    await paceAfter(extensions);
    const errors = data?.fulfillmentOrderMove?.userErrors ?? [];
    return errors.length ? { ok: false, message: errors.map((e) => e.message).join("; ") } : { ok: true };
  }
  if (op.lines !== "all") {
    const res = await graphql(FO_SPLIT, { variables: { splits: [{ fulfillmentOrderId: op.fulfillmentOrderId, fulfillmentOrderLineItems: lineInput(op.lines) }] } });
    const { data, extensions } = await res.json();
    await paceAfter(extensions);
    const errors = data?.fulfillmentOrderSplit?.userErrors ?? [];
    if (errors.length) return { ok: false, message: errors.map((e) => e.message).join("; ") };
  }
  const res = await graphql(FO_HOLD, { variables: { id: op.fulfillmentOrderId, hold: { reason: op.reason as FulfillmentHoldReason, reasonNotes: "Backordered by the OMS: released when stock arrives", handle } } });
  const { data, extensions } = await res.json();
  await paceAfter(extensions);
  const errors = data?.fulfillmentOrderHold?.userErrors ?? [];
  return errors.length ? { ok: false, message: errors.map((e) => e.message).join("; ") } : { ok: true };
}
