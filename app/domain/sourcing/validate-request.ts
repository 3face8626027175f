import { err, ok, type Result } from "../shared/result";
import type { SourcingRequest } from "./types";
import { ruleSetShapeErrors, type RuleSetError } from "./validate-rule-set";

export type SourcingError =
  | { code: "NO_LINES" }
  | { code: "INVALID_QUANTITY"; lineId: string }
  | { code: "INVALID_PRICE"; lineId: string }
  | { code: "DUPLICATE_LINE"; lineId: string }
  | { code: "DUPLICATE_LOCATION"; locationId: string }
  | { code: "UNKNOWN_PICKUP_LOCATION"; locationId: string }
  | { code: "INVALID_RULE_SET"; errors: RuleSetError[] };

/**
 * What makes a request meaningless rather than unfillable. An unfillable order (no stock, an
 * inactive pickup store) is a decision — a hold or a backorder — not an error.
 */
export function validateRequest(req: SourcingRequest): Result<SourcingRequest, SourcingError> {
  if (req.lines.length === 0) return err({ code: "NO_LINES" });
  const lineIds = new Set<string>();
  for (const l of req.lines) {
    if (lineIds.has(l.lineId)) return err({ code: "DUPLICATE_LINE", lineId: l.lineId });
    lineIds.add(l.lineId);
    if (!Number.isSafeInteger(l.quantity) || l.quantity <= 0) return err({ code: "INVALID_QUANTITY", lineId: l.lineId });
    if (!Number.isSafeInteger(l.unitPriceMinor) || l.unitPriceMinor < 0) return err({ code: "INVALID_PRICE", lineId: l.lineId });
  }
  const duplicate = firstDuplicateId(req.locations);
  if (duplicate !== null) return err({ code: "DUPLICATE_LOCATION", locationId: duplicate });
  const { delivery } = req;
  if (delivery.method === "pickup" && !req.locations.some((l) => l.id === delivery.pickupLocationId)) {
    return err({ code: "UNKNOWN_PICKUP_LOCATION", locationId: delivery.pickupLocationId });
  }
  const ruleSetErrors = ruleSetShapeErrors(req.ruleSet);
  if (ruleSetErrors.length) return err({ code: "INVALID_RULE_SET", errors: ruleSetErrors });
  return ok(req);
}

/** Locations usually arrive sorted by id (the shell loads them so), and then a duplicate is a neighbour: no set needed. */
function firstDuplicateId(locations: readonly { id: string }[]): string | null {
  let sorted = true;
  for (let i = 1; i < locations.length && sorted; i++) {
    if (locations[i - 1]!.id === locations[i]!.id) return locations[i]!.id;
    sorted = locations[i - 1]!.id < locations[i]!.id;
  }
  if (sorted) return null;
  const seen = new Set<string>();
  for (const { id } of locations) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return null;
}
