import { err, ok, type Result } from "../shared/result";
import type { RankingRuleType, RuleSet } from "./types";

export type RuleSetError =
  | { code: "INVALID_VERSION" }
  | { code: "INVALID_MAX_SHIPMENTS" }
  | { code: "INVALID_MIN_VALUE" }
  | { code: "WAIT_DAYS_REQUIRED" }
  | { code: "UNKNOWN_RULE_TYPE"; ruleIndex: number; type: string }
  | { code: "EMPTY_EXCLUDE"; ruleIndex: number }
  | { code: "DUPLICATE_RULE"; ruleIndex: number; type: RankingRuleType }
  | { code: "UNKNOWN_LOCATION"; ruleIndex: number; locationId: string }
  | { code: "UNKNOWN_LOCATION_TAG"; ruleIndex: number; tag: string }
  | { code: "UNKNOWN_PRODUCT_TAG"; ruleIndex: number; tag: string };

const RANKING: ReadonlySet<string> = new Set<RankingRuleType>([
  "priority",
  "distance",
  "fewest_shipments",
  "capacity",
  "cost",
  "inventory_balance",
  "ship_date",
]);
const isCount = (n: number) => Number.isInteger(n) && n >= 0;

/**
 * Mistakes in the rule set itself, without looking at the shop: the engine refuses such a set.
 * A ranking rule listed twice would only ever break ties it already broke, so it is a mistake too.
 */
export function ruleSetShapeErrors(rs: RuleSet): RuleSetError[] {
  const errors: RuleSetError[] = [];
  if (!isCount(rs.version)) errors.push({ code: "INVALID_VERSION" });
  if (!Number.isInteger(rs.split.maxShipments) || rs.split.maxShipments < 1) errors.push({ code: "INVALID_MAX_SHIPMENTS" });
  if (!isCount(rs.split.minValuePerShipmentMinor)) errors.push({ code: "INVALID_MIN_VALUE" });
  if (rs.backorder.mode === "wait_days" && !(Number.isInteger(rs.backorder.waitDays) && rs.backorder.waitDays! > 0))
    errors.push({ code: "WAIT_DAYS_REQUIRED" });
  const seen = new Set<string>();
  rs.rules.forEach((rule, ruleIndex) => {
    if (rule.type === "exclude") {
      if (!rule.locationId && !rule.locationTag) errors.push({ code: "EMPTY_EXCLUDE", ruleIndex });
    } else if (!RANKING.has(rule.type)) {
      errors.push({ code: "UNKNOWN_RULE_TYPE", ruleIndex, type: String(rule.type) });
    } else if (seen.has(rule.type)) {
      errors.push({ code: "DUPLICATE_RULE", ruleIndex, type: rule.type });
    } else {
      seen.add(rule.type);
    }
  });
  return errors;
}

/**
 * For the admin, before a rule set is saved: also every location and tag it names must exist.
 * A rule naming a location that was renamed or deleted would otherwise match nothing and
 * silently route around the merchant's intent (HotWax's unchecked filter values do exactly that).
 * Returns every problem at once, so the form can show them all.
 */
export function validateRuleSet(
  rs: RuleSet,
  knownLocationIds: ReadonlySet<string>,
  knownTags: { location: ReadonlySet<string>; product: ReadonlySet<string> },
): Result<RuleSet, RuleSetError[]> {
  const errors = ruleSetShapeErrors(rs);
  rs.rules.forEach((rule, ruleIndex) => {
    if (rule.type !== "exclude") return;
    if (rule.locationId && !knownLocationIds.has(rule.locationId)) errors.push({ code: "UNKNOWN_LOCATION", ruleIndex, locationId: rule.locationId });
    if (rule.locationTag && !knownTags.location.has(rule.locationTag)) errors.push({ code: "UNKNOWN_LOCATION_TAG", ruleIndex, tag: rule.locationTag });
    if (rule.whenProductTag && !knownTags.product.has(rule.whenProductTag)) errors.push({ code: "UNKNOWN_PRODUCT_TAG", ruleIndex, tag: rule.whenProductTag });
  });
  return errors.length ? err(errors) : ok(rs);
}
