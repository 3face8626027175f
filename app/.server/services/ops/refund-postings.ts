import type { ShopifyRefund } from "~/domain/ops/monitors";
import { recordedRefunds } from "../../db/monitor-queries";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { shopifyRefunds } from "../../shopify/orders-for-monitors";

/**
 * Refunds in [from, to] with no finance posting: the one switch of the refund monitor. Until the
 * finance ledger (issue 16) answers this itself, a refund counts as posted when the OMS recorded it
 * (the refunds/create webhook's timeline entry); when the ledger exists, this body becomes a call
 * to its `refundsWithoutPosting(shop, from, to)` and nothing else changes.
 */
export async function refundsWithoutPosting(shop: string, from: Date, to: Date, graphql?: AdminGraphql): Promise<ShopifyRefund[]> {
  const refunds = await shopifyRefunds(graphql ?? (await adminFor(shop, "background")), from, to);
  const posted = await recordedRefunds(shop, refunds);
  return refunds.filter((r) => !posted.has(r.id));
}

/** Whether a refund the monitor raised has been posted since (what lets its item clear). */
export async function refundPosted(shop: string, refund: { id: string; orderId: string }): Promise<boolean> {
  return (await recordedRefunds(shop, [refund])).has(refund.id);
}
