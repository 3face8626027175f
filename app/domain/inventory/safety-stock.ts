/** A safety-stock rule: "" for either id means "any" (so ("", "") is the shop default). */
export type SafetyStockRule = { locationId: string; inventoryItemId: string; quantity: number };

/**
 * The effective safety stock of one level: the most specific rule wins — item at location, then
 * item anywhere, then location, then the shop default, then zero.
 */
export function effectiveSafetyStock(rules: readonly SafetyStockRule[], inventoryItemId: string, locationId: string): number {
  const find = (item: string, loc: string) => rules.find((r) => r.inventoryItemId === item && r.locationId === loc)?.quantity;
  return find(inventoryItemId, locationId) ?? find(inventoryItemId, "") ?? find("", locationId) ?? find("", "") ?? 0;
}

export type SafetyStockError = { code: "INVALID_QUANTITY" } | { code: "UNKNOWN_LOCATION"; locationId: string };

/** Validates an edit before it is stored: whole, non-negative, and at a location the shop has. */
export function validateSafetyStock(rule: SafetyStockRule, knownLocations: ReadonlySet<string>): SafetyStockError | null {
  if (!Number.isInteger(rule.quantity) || rule.quantity < 0 || rule.quantity > 1_000_000) return { code: "INVALID_QUANTITY" };
  if (rule.locationId && !knownLocations.has(rule.locationId)) return { code: "UNKNOWN_LOCATION", locationId: rule.locationId };
  return null;
}
