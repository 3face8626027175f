import type { FulfillmentHoldReason } from "~/types/admin.types";
import type { HoldRule } from "~/domain/order/release-rules";
import type { AdminGraphql } from "./admin";
import { FO_HOLD } from "./documents/fulfillment-orders";
import { releaseBackorderHolds } from "./fulfillment-orders";

// An order held by a release rule is also held in Shopify, so no location fulfils it meanwhile:
// one hold per fulfilment order, with the OMS's handle for this order, released by that handle only.

const SHOPIFY_REASON: Record<HoldRule, FulfillmentHoldReason | null> = {
  high_risk: "HIGH_RISK_OF_FRAUD" as FulfillmentHoldReason,
  address: "INCORRECT_ADDRESS" as FulfillmentHoldReason,
  value: "OTHER" as FulfillmentHoldReason,
  payment: "AWAITING_PAYMENT" as FulfillmentHoldReason,
  // Shopify keeps a pre-order's fulfilment order SCHEDULED until its date: nothing to add.
  pre_order: null,
};

export const releaseHoldHandle = (orderId: string) => `oms-release-${orderId}`;

export async function holdForRelease(graphql: AdminGraphql, fulfillmentOrderIds: string[], rule: HoldRule, notes: string, handle: string): Promise<string[]> {
  const reason = SHOPIFY_REASON[rule];
  if (!reason) return [];
  const errors: string[] = [];
  for (const id of fulfillmentOrderIds) {
    const res = await graphql(FO_HOLD, { variables: { id, hold: { reason, reasonNotes: notes.slice(0, 255), handle } } });
    const { data } = await res.json();
    // Already held with this handle (a replay): nothing more to do.
    for (const e of data?.fulfillmentOrderHold?.userErrors ?? []) if (!/handle already exists/i.test(e.message)) errors.push(e.message);
  }
  return errors;
}

export async function releaseReleaseHolds(graphql: AdminGraphql, fulfillmentOrderIds: string[], handle: string): Promise<string[]> {
  const errors: string[] = [];
  for (const id of fulfillmentOrderIds) {
    const r = await releaseBackorderHolds(graphql, id, handle);
    if (r.error) errors.push(r.error);
  }
  return errors;
}
