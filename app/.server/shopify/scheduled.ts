import type { AdminGraphql } from "./admin";
import { FO_OPEN } from "./documents/fulfillment-orders";

/** Opens SCHEDULED fulfilment orders whose date has come; one already open is left as it is (Shopify's userError is expected then). */
export async function openScheduledFulfillmentOrders(graphql: AdminGraphql, ids: string[]): Promise<{ opened: number }> {
  let opened = 0;
  for (const id of ids) {
    const res = await graphql(FO_OPEN, { variables: { id } });
    const { data } = await res.json();
    if (data?.fulfillmentOrderOpen?.fulfillmentOrder?.status === "OPEN" && !data.fulfillmentOrderOpen.userErrors.length) opened++;
  }
  return { opened };
}
