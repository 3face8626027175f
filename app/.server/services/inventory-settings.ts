import type { StaleFeedPolicy } from "~/domain/inventory/atp";
import { effectiveSafetyStock, validateSafetyStock, type SafetyStockError } from "~/domain/inventory/safety-stock";
import { err, ok, type Result } from "~/domain/shared/result";
import { saveInventoryPolicy, saveSafetyStockRule, stockLocations } from "../db/stock-settings";
import { enqueue } from "../queue/queues";

export type SafetyStockEdit = { locationId: string; inventoryItemId: string; quantity: number | null };

/**
 * Sets (or, with quantity null, removes) a safety-stock rule, rewrites the effective safety stock
 * of the levels it covers with an audit entry, and pushes the new ATP to Shopify: for one item
 * with an inventory-sync job, for wider rules with a full reconcile.
 */
export async function setSafetyStock(
  shop: string,
  edit: SafetyStockEdit,
  actor: string,
  now: Date,
): Promise<Result<{ levelsChanged: number }, SafetyStockError>> {
  if (edit.quantity !== null) {
    const invalid = validateSafetyStock({ ...edit, quantity: edit.quantity }, new Set((await stockLocations(shop)).map((l) => l.id)));
    if (invalid) return err(invalid);
  }
  const scope = edit.inventoryItemId ? (edit.locationId ? "item at location" : "item") : edit.locationId ? "location" : "shop default";
  const summary = edit.quantity === null ? `Safety stock rule removed (${scope})` : `Safety stock set to ${edit.quantity} (${scope})`;
  const levelsChanged = await saveSafetyStockRule(shop, edit, (item, loc, rules) => effectiveSafetyStock(rules, item, loc), { at: now, actor, summary });
  if (levelsChanged) {
    if (edit.inventoryItemId) await enqueue("inventorySync", { shop, inventoryItemIds: [edit.inventoryItemId], reason: `safety-stock-${now.getTime()}` });
    else await enqueue("inventoryReconcile", { shop, reason: `safety-stock-${now.getTime()}` });
  }
  return ok({ levelsChanged });
}

/** Chooses what ATP does when the feed is stale, explicitly, with an audit entry; then re-pushes. */
export async function setStaleFeedPolicy(shop: string, policy: StaleFeedPolicy, actor: string, now: Date): Promise<Result<null, { code: "INVALID_POLICY" }>> {
  if (!Number.isInteger(policy.staleAfterMinutes) || policy.staleAfterMinutes < 1 || policy.staleAfterMinutes > 7 * 24 * 60)
    return err({ code: "INVALID_POLICY" });
  const words = policy.staleFeed === "fail_open" ? "fail-open (keep selling the last known ATP)" : "fail-closed (a stale level sells nothing)";
  await saveInventoryPolicy(shop, policy, { at: now, actor, summary: `Stale-feed policy: ${words} after ${policy.staleAfterMinutes} min` });
  await enqueue("inventoryReconcile", { shop, reason: `policy-${now.getTime()}` });
  return ok(null);
}
