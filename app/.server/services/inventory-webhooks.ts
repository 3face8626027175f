import { inventoryLevelIds, inventoryLevelUpdateSchema } from "~/schemas/webhook-payloads";
import { requestLevelReadUnlessEcho } from "../db/stock";
import type { StoredDelivery } from "../db/webhook-deliveries";
import { requestFlush } from "./inventory-sync";
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
  // The echo check and the read request are one statement (a webhook per level changed, ~2 per order).
  const requested = await requestLevelReadUnlessEcho(
    d.shop,
    { inventoryItemId, locationId },
    payload.available ?? null,
    new Date(now.getTime() - ECHO_WINDOW_MS),
    now,
  );
  if (!requested) return "echo of the OMS's own push";
  await requestFlush(d.shop);
  return "level read requested";
}
