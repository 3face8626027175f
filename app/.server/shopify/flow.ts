import type { AdminGraphql } from "./admin";
import { FLOW_TRIGGER_RECEIVE } from "./documents/ops";

/** The Flow trigger extensions in extensions/ (their handles, as deployed). */
export const FLOW_TRIGGERS = {
  promiseAtRisk: "oms-promise-at-risk",
  lineBackordered: "oms-line-backordered",
  shipmentSplit: "oms-shipment-split",
  exceptionRaised: "oms-exception-raised",
} as const;

/**
 * Starts the merchant's workflows for one event. The payload's keys are the extension's fields:
 * `order_id` for its order reference (the numeric id), the custom fields by their key.
 */
export async function sendFlowTrigger(
  graphql: AdminGraphql,
  handle: string,
  payload: Record<string, unknown>,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const res = await graphql(FLOW_TRIGGER_RECEIVE, { variables: { handle, payload } });
  const { data } = await res.json();
  const errors = data?.flowTriggerReceive?.userErrors ?? [];
  return errors.length ? { ok: false, message: errors.map((e) => e.message).join("; ") } : { ok: true };
}
