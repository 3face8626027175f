import { inventoryLevelIds, inventoryLevelUpdateSchema } from "~/schemas/webhook-payloads";
import { findLevel } from "../db/stock";
import type { StoredDelivery } from "../db/webhook-deliveries";
import { requestLevelSync } from "./inventory-sync";
import { parseJsonExact } from "~/schemas/json";

/** How long after a push its own inventory_levels/update is recognised as the echo. */
const ECHO_WINDOW_MS = 60_000;

/**
 * inventory_levels/update: something changed a level (a checkout, a fulfilment, the WMS, or the
 * OMS's own push). Re-read the item and push, except for the echo of our own push — the level's
 * available is exactly what the push left there — which would cost an Admin API read to learn
 * nothing (about 40 % of the inventory budget under load, bench/inventory-push.ts).
 */
export async function handleInventoryLevelWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const payload = inventoryLevelUpdateSchema.parse(parseJsonExact(d.body));
  const { inventoryItemId, locationId } = inventoryLevelIds(payload);
  const level = await findLevel(d.shop, inventoryItemId, locationId);
  const echo = level?.pushedAt && now.getTime() - level.pushedAt.getTime() < ECHO_WINDOW_MS && payload.available === level.shopifyAvailable;
  if (echo) return "echo of the OMS's own push";
  await requestLevelSync(d.shop, [{ inventoryItemId, locationId }], now);
  return "level read requested";
}
