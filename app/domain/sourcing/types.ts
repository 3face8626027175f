import type { LocationCalendar } from "./calendar";

/**
 * The sourcing engine's input and output. Plain data on both sides, so the shell can load it,
 * store the decision next to the order and replay it later to answer "why this location?".
 */

export type OrderLine = {
  lineId: string;
  inventoryItemId: string;
  sku: string;
  quantity: number;
  /** Per unit, in integer minor units of the order's currency. */
  unitPriceMinor: number;
  productTags: readonly string[];
  /** Lines sharing a group ship from one location (a kit, a gift set that must arrive together). */
  shipTogetherGroup?: string | null;
};

/** Coordinates are resolved by the shell (address or postal-code centroid); null when it could not. */
export type Destination = { countryCode: string; provinceCode: string | null; latitude: number | null; longitude: number | null };

/** BOPIS: the customer chose the store, so the order routes there or nowhere. */
export type Delivery = { method: "ship" } | { method: "pickup"; pickupLocationId: string };

export type LocationKind = "warehouse" | "store" | "dropship" | "pickup";

/**
 * What carrying one shipment from a location costs beyond its handling: per km, or by distance
 * band (the narrowest band whose upToKm covers the distance; beyond every band, the widest).
 */
export type DistanceCost = { perKmMinor: number } | { bands: readonly { upToKm: number; costMinor: number }[] };

export type SourcingLocation = {
  id: string;
  name: string;
  kind: LocationKind;
  active: boolean;
  shipsOnlineOrders: boolean;
  /** ISO country codes; empty = every country. */
  servesCountries: readonly string[];
  /** "US-CA" style; empty or absent = every region of the countries served. */
  servesRegions?: readonly string[];
  tags: readonly string[];
  latitude: number;
  longitude: number;
  /** Manual rank: lower ships first. */
  priority: number;
  /** Orders a day the location can take; null = no limit. */
  dailyCapacity: number | null;
  ordersToday: number;
  handlingCostMinor: number;
  distanceCost: DistanceCost;
  /** ATP per inventory item (for a drop-ship location, the supplier's feed). */
  atp: Readonly<Record<string, number>>;
  /** When it ships (weekdays, cut-off, closed dates, time zone); absent = every day, at once. */
  calendar?: LocationCalendar | null;
};

export type RankingRuleType = "priority" | "distance" | "fewest_shipments" | "capacity" | "cost" | "inventory_balance" | "ship_date";

/**
 * Locations matching locationId and/or locationTag may not ship; with whenProductTag, only lines
 * whose product carries that tag (e.g. no hazmat from stores). A filter, so its position in the
 * rule list does not matter.
 */
export type ExcludeRule = { type: "exclude"; locationId?: string; locationTag?: string; whenProductTag?: string };

export type Rule = ExcludeRule | { type: RankingRuleType };
export type RuleType = Rule["type"];

/** deny = at most one location; allow = up to maxShipments, each worth at least the minimum when there are several. */
export type SplitPolicy = { allow: boolean; maxShipments: number; minValuePerShipmentMinor: number };

/** For units no location can supply under the rules: hold the order, ship the rest, or wait up to N days then ship the rest. */
export type BackorderPolicy = { mode: "hold_order" | "ship_available" | "wait_days"; waitDays?: number };

export type RuleSet = { id: string; version: number; rules: readonly Rule[]; split: SplitPolicy; backorder: BackorderPolicy };

export type SourcingRequest = {
  lines: readonly OrderLine[];
  destination: Destination;
  delivery: Delivery;
  locations: readonly SourcingLocation[];
  ruleSet: RuleSet;
  now: Date;
  /** When this order first waited for stock; wait_days counts from here (absent = now). */
  waitingSince?: Date | null;
};

export type Assignment = { lineId: string; locationId: string; quantity: number };

/**
 * NO_STOCK: no eligible location has the item; INSUFFICIENT_STOCK: all eligible locations together
 * have too few; SHIP_TOGETHER / SPLIT_POLICY: the stock exists but its group or the split policy
 * (deny, max shipments, minimum value) keeps it out of this order's shipments.
 */
export type ShortReason = "NO_STOCK" | "INSUFFICIENT_STOCK" | "SHIP_TOGETHER" | "SPLIT_POLICY";
export type Backorder = { lineId: string; quantity: number; reason: ShortReason };

/** The whole order waits: nothing is assigned; `short` says for what. */
export type Hold = { reason: "OUT_OF_STOCK" | "AWAITING_STOCK"; until?: Date; short: readonly Backorder[] };

/** Why a location took no part: a built-in eligibility check, an exclude rule, or the split policy's minimum value. */
export type EliminatedBy = "eligibility" | "exclude" | "split";

export type CandidateRecord = {
  locationId: string;
  eliminatedBy: EliminatedBy | null;
  reason: string;
  /** 1 = best; null when eliminated. */
  rank: number | null;
  /**
   * The value each rule compared. Lower wins, except fewest_shipments (units this location could
   * ship alone) and inventory_balance (units left after the order), where higher wins.
   */
  scores: Partial<Record<RankingRuleType, number>>;
};

export type ShipmentRecord = {
  locationId: string;
  lines: readonly { lineId: string; quantity: number }[];
  units: number;
  valueMinor: number;
  /** The rule that put this location ahead of the next best one, or how it won otherwise. */
  decidedBy: RankingRuleType | "location_id" | "only_candidate" | "most_units";
};

/** ranked: locations filled in rule order; exact/greedy: how fewest_shipments searched combinations; single: one location at most. */
export type SearchKind = "ranked" | "exact" | "greedy" | "single";

export type Decision = {
  ruleSetId: string;
  version: number;
  at: Date;
  search: SearchKind;
  candidates: readonly CandidateRecord[];
  /** The winners, one per shipment (also when the order is held: what would have shipped). */
  shipments: readonly ShipmentRecord[];
  reasonCodes: readonly string[];
  explanation: readonly string[];
};

export type SourcingPlan = { assignments: Assignment[]; backorders: Backorder[]; hold: Hold | null; decision: Decision };
