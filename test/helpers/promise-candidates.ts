// The sourcing candidates the way routing loads them, for a one-tee order (test helper).
import { locationProfiles } from "~/.server/db/sourcing";
import { stockLevels } from "~/.server/db/stock";
import { stockLocations } from "~/.server/db/stock-settings";
import { sourcingLocation } from "~/.server/services/sourcing-candidates";
import { TEE } from "./promise-shop";

export async function loadCandidatesForTest(shop: string, _now: Date) {
  const [locations, profiles, levels] = await Promise.all([stockLocations(shop), locationProfiles(shop), stockLevels(shop)]);
  const candidates = locations.map((l) =>
    sourcingLocation(
      l,
      profiles.find((p) => p.locationId === l.id),
      Object.fromEntries(levels.filter((v) => v.locationId === l.id).map((v) => [v.inventoryItemId, v.onHand])),
      0,
    ),
  );
  return {
    candidates,
    lines: [{ lineId: "gid://shopify/LineItem/1", inventoryItemId: TEE.inventoryItemId, sku: "TEE", quantity: 1, unitPriceMinor: 2400, productTags: [] }],
  };
}
