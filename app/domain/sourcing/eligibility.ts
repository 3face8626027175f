import { CALENDAR_HORIZON_DAYS } from "./calendar";
import type { OrderShape } from "./order-shape";
import type { Delivery, Destination, EliminatedBy, ExcludeRule, OrderLine, Rule, SourcingLocation } from "./types";
import type { Workspace } from "./workspace";

export type Elimination = { eliminatedBy: EliminatedBy; code: string; reason: string };
export type Eligible = { eliminatedBy: null; notes: readonly string[] };

/** An exclude rule with its place in the rule list and its description, made once per decision. */
type IndexedExclude = { rule: ExcludeRule; index: number; text: string };
const NO_NOTES: readonly string[] = [];

export function excludeRules(rules: readonly Rule[]): IndexedExclude[] {
  const out: IndexedExclude[] = [];
  rules.forEach((rule, index) => {
    if (rule.type === "exclude") out.push({ rule, index, text: describeExclude(rule, index) });
  });
  return out;
}

/** Whether a rule set looks at product tags (an exclusion for a product tag): only then are tags read from Shopify. */
export const readsProductTags = (ruleSet: { rules: readonly Rule[] }): boolean =>
  ruleSet.rules.some((r) => r.type === "exclude" && r.whenProductTag !== undefined);

/** Countries first; a region list narrows further, and an address without a province cannot be shown to match it. */
export function servesDestination(loc: SourcingLocation, dest: Destination): boolean {
  if (loc.servesCountries.length > 0 && !loc.servesCountries.includes(dest.countryCode)) return false;
  if (!loc.servesRegions || loc.servesRegions.length === 0) return true;
  return dest.provinceCode !== null && loc.servesRegions.includes(`${dest.countryCode}-${dest.provinceCode}`);
}

const matchesLocation = (r: ExcludeRule, loc: SourcingLocation) =>
  (r.locationId === undefined || r.locationId === loc.id) &&
  (r.locationTag === undefined || loc.tags.includes(r.locationTag)) &&
  (r.locationId !== undefined || r.locationTag !== undefined);

const blocksLine = (r: ExcludeRule, line: OrderLine, loc: SourcingLocation) =>
  r.whenProductTag !== undefined && line.productTags.includes(r.whenProductTag) && matchesLocation(r, loc);

function describeExclude(rule: ExcludeRule, index: number): string {
  const what = [rule.locationId && `location ${rule.locationId}`, rule.locationTag && `location tag "${rule.locationTag}"`].filter(Boolean).join(", ");
  return `rule ${index + 1} (${what}${rule.whenProductTag ? ` for product tag "${rule.whenProductTag}"` : ""})`;
}

/**
 * The filters, before any ranking: a pickup order may only go to its store (which need not ship
 * online orders nor serve the address: the customer comes to it); a shipped order needs an active
 * location with a shipping day ahead (`daysToShip`, null when its calendar has none in the
 * horizon) that ships online and serves the destination. Exclude rules then remove the location,
 * or only the lines whose product carries the rule's tag. What remains must stock something
 * (its stock row is filled): the may row gets a 1 for each line it may ship and has some of.
 */
export function judgeLocation(
  loc: SourcingLocation,
  row: number,
  order: OrderShape,
  ws: Workspace,
  dest: Destination,
  delivery: Delivery,
  excludes: readonly IndexedExclude[],
  daysToShip: number | null,
): Elimination | Eligible {
  const pickup = delivery.method === "pickup";
  if (pickup && loc.id !== delivery.pickupLocationId)
    return { eliminatedBy: "eligibility", code: "NOT_PICKUP_LOCATION", reason: "not the customer's pickup location" };
  if (!loc.active) return { eliminatedBy: "eligibility", code: "INACTIVE", reason: "inactive" };
  if (daysToShip === null) return { eliminatedBy: "eligibility", code: "NO_SHIP_DAY", reason: `no shipping day in the next ${CALENDAR_HORIZON_DAYS} days` };
  if (!pickup && !loc.shipsOnlineOrders) return { eliminatedBy: "eligibility", code: "NOT_SHIPPING_ONLINE", reason: "does not ship online orders" };
  if (!pickup && !servesDestination(loc, dest)) {
    return {
      eliminatedBy: "eligibility",
      code: "OUTSIDE_SERVICE_AREA",
      reason: `does not serve ${dest.countryCode}${dest.provinceCode ? `-${dest.provinceCode}` : ""}`,
    };
  }
  const whole = excludes.length === 0 ? undefined : excludes.find((x) => x.rule.whenProductTag === undefined && matchesLocation(x.rule, loc));
  if (whole) return { eliminatedBy: "exclude", code: "EXCLUDED", reason: `excluded by ${whole.text}` };

  let notes: string[] | undefined;
  let any = false;
  let stockedButBlocked: IndexedExclude | undefined;
  const { lines, nLines, nItems, itemOf } = order;
  for (let i = 0; i < nLines; i++) {
    const line = lines[i]!;
    ws.may[row * nLines + i] = 0;
    if (ws.stock[row * nItems + itemOf[i]!] === 0) continue;
    const blockedBy = line.productTags.length > 0 ? excludes.find((x) => blocksLine(x.rule, line, loc)) : undefined;
    if (blockedBy) {
      stockedButBlocked ??= blockedBy;
      (notes ??= []).push(`may not ship ${line.sku} (${blockedBy.text})`);
      continue;
    }
    ws.may[row * nLines + i] = 1;
    any = true;
  }
  if (any) return { eliminatedBy: null, notes: notes ?? NO_NOTES };
  if (stockedButBlocked) return { eliminatedBy: "exclude", code: "EXCLUDED", reason: `excluded for every item it stocks by ${stockedButBlocked.text}` };
  return { eliminatedBy: "eligibility", code: "NO_STOCK", reason: "has none of the order's items" };
}
