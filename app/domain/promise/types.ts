import type { SourcingRequest } from "../sourcing/types";

/**
 * The delivery promise's input and output. Plain data: the shell loads the same sourcing request
 * routing would build for this cart (locations, ATP, rule set), the shop's shipping methods and
 * transit table, and stock it knows is on its way; `now` is a parameter.
 */

/** A shipping method as the shopper sees it; the carrier's non-delivery weekdays (0 = Sunday). */
export type ShippingMethod = { code: string; name: string; carrier: string; nonDeliveryWeekdays: readonly number[] };

/** Business days in transit from an origin location to a destination zone ("US-CA", "US", "*"). */
export type TransitEntry = { originLocationId: string; zone: string; methodCode: string; minDays: number; maxDays: number };

/** Defaults when no entry matches: by straight-line distance, the narrowest band that covers it. */
export type DistanceBand = { upToKm: number; minDays: number; maxDays: number };

export type TransitTable = {
  entries: readonly TransitEntry[];
  /** Per method code; a method without bands and without an entry gets no date. */
  bands: Readonly<Record<string, readonly DistanceBand[]>>;
};

/** Units the OMS knows are arriving (a purchase order, a transfer): local date of arrival at the location. */
export type IncomingStock = { inventoryItemId: string; locationId: string; quantity: number; expectedDate: string };

export type PromiseRequest = {
  /** Exactly what routing would pass to sourceOrder for this order at `sourcing.now`. */
  sourcing: SourcingRequest;
  methods: readonly ShippingMethod[];
  transit: TransitTable;
  incoming: readonly IncomingStock[];
  /** Public holidays of the destination: a set of local dates (see holidays.ts). */
  holidays: ReadonlySet<string>;
  /** Minutes before a cut-off from which the promise already counts the next shipping day. */
  cutoffGraceMinutes?: number;
};

export type DeliveryWindow = { methodCode: string; methodName: string; carrier: string; earliest: string; latest: string; source: "table" | "band" };

export type PromisedShipment = {
  locationId: string;
  locationName: string;
  lines: readonly { lineId: string; quantity: number }[];
  /** stock: from what is on hand now; restock: after incoming stock arrives. */
  kind: "stock" | "restock";
  /** Local date at the location; null = no honest date. */
  shipDate: string | null;
  /** Days from the location's local today to the ship date (0 = today). */
  shipsInDays: number | null;
  /** When the ship date is today: the instant its cut-off passes. */
  cutoffAt: Date | null;
  windows: readonly DeliveryWindow[];
};

export type Confidence = "high" | "medium" | "low" | "none";

export type DeliveryPromise = {
  at: Date;
  destinationZone: string;
  ruleSetId: string;
  ruleSetVersion: number;
  shipments: readonly PromisedShipment[];
  /** Units with no date at all (no stock and no known restock). */
  undated: readonly { lineId: string; quantity: number }[];
  /** Per method: the earliest and latest day the whole order has arrived (absent when any unit is undated). */
  windows: readonly DeliveryWindow[];
  confidence: Confidence;
  reason: string;
};
