// A shop the delivery promise can answer for, written straight into the OMS's tables (what the
// inventory sync and the Sourcing page would have stored): installed, three locations with
// calendars, stock levels for two variants.
import { db } from "~/.server/db/client";
import { markInstalled } from "~/.server/db/shops";
import { recordObservedLevels } from "~/.server/db/stock";
import { saveLocations } from "~/.server/db/stock-settings";

export const RENO = "gid://shopify/Location/101";
export const DALLAS = "gid://shopify/Location/102";
export const EDISON = "gid://shopify/Location/103";
export const TEE = { variantId: "gid://shopify/ProductVariant/9007199254740993", inventoryItemId: "gid://shopify/InventoryItem/9007199254740993" };
export const MUG = { variantId: "gid://shopify/ProductVariant/2002", inventoryItemId: "gid://shopify/InventoryItem/2002" };

export async function seedPromiseShop(shop: string, now: Date, stock: { tee?: Record<string, number>; mug?: Record<string, number> } = {}) {
  await markInstalled(shop, now);
  await saveLocations(shop, [
    { id: RENO, name: "Reno NV", isActive: true, fulfillsOnlineOrders: true, countryCode: "US", latitude: 39.5296, longitude: -119.8138 },
    { id: DALLAS, name: "Dallas TX", isActive: true, fulfillsOnlineOrders: true, countryCode: "US", latitude: 32.7767, longitude: -96.797 },
    { id: EDISON, name: "Edison NJ", isActive: true, fulfillsOnlineOrders: true, countryCode: "US", latitude: 40.5187, longitude: -74.4121 },
  ]);
  const calendars = { [RENO]: "America/Los_Angeles", [DALLAS]: "America/Chicago", [EDISON]: "America/New_York" };
  for (const [locationId, timeZone] of Object.entries(calendars)) {
    await db().locationProfile.upsert({
      where: { shop_locationId: { shop, locationId } },
      create: { shop, locationId, shipDays: "1,2,3,4,5", cutoffMinutes: 15 * 60, timeZone },
      update: { shipDays: "1,2,3,4,5", cutoffMinutes: 15 * 60, timeZone },
    });
  }
  await setStock(shop, now, TEE, stock.tee ?? { [RENO]: 5, [DALLAS]: 5, [EDISON]: 5 });
  await setStock(shop, now, MUG, stock.mug ?? { [EDISON]: 3 });
}

/** Stock as the inventory sync records it (the repository's own write, which also moves the promise's stock versions). */
export async function setStock(shop: string, now: Date, item: { variantId: string; inventoryItemId: string }, byLocation: Record<string, number>) {
  const levels = Object.entries(byLocation).map(([locationId, onHand]) => ({
    inventoryItemId: item.inventoryItemId,
    locationId,
    variantId: item.variantId,
    sku: item.variantId.slice(-4),
    title: null,
    q: { onHand, available: onHand, committed: 0, unavailable: 0, heldBack: 0 },
  }));
  await recordObservedLevels(shop, levels, now, () => 0);
}
