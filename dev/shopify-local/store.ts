// The stand-in's state: one in-memory shop per domain, with Shopify's own rules for what the OMS
// touches. Every change that Shopify would announce is returned as webhook events by the caller.
import { centroid, haversineKm } from "./geo";
import type { RefundExtra } from "./refunds";
import type { ReturnExtra } from "./returns";

export const QUANTITY_NAMES = ["available", "committed", "reserved", "damaged", "safety_stock", "quality_control", "incoming"] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];
/** on_hand is derived: available + committed + the unavailable states (incoming is separate). */
export const onHandOf = (q: Quantities) => q.available + q.committed + q.reserved + q.damaged + q.safety_stock + q.quality_control;
export type Quantities = Record<QuantityName, number>;

export type Address = {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  provinceCode: string | null;
  zip: string | null;
  countryCode: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
};

export type Location = {
  id: number;
  name: string;
  kind: "warehouse" | "store" | "dropship";
  address: Address;
  fulfillsOnlineOrders: boolean;
  isActive: boolean;
  rank: number | null;
  createdAt: string;
  /** A location run by a fulfilment service app (a 3PL): it accepts work and answers cancellation requests. */
  fulfillmentService?: boolean;
};

export type Product = { id: number; title: string; vendor: string; productType: string; tags: string[]; variantIds: number[]; createdAt: string };
export type Variant = {
  id: number;
  productId: number;
  sku: string;
  title: string;
  priceMinor: number;
  inventoryItemId: number;
  inventoryPolicy?: "DENY" | "CONTINUE";
};
export type Level = { inventoryItemId: number; locationId: number; q: Quantities; updatedAt: string };

export type LineItem = {
  id: number;
  variantId: number | null;
  sku: string | null;
  title: string;
  quantity: number;
  currentQuantity: number;
  priceMinor: number;
  requiresShipping: boolean;
  sellingPlan?: { id: number; name: string };
};
export type Hold = { id: number; reason: string; reasonNotes: string | null; handle: string | null };
export type FoLine = { id: number; lineItemId: number; totalQuantity: number; remainingQuantity: number };
export type FulfillmentOrderStatus = "OPEN" | "IN_PROGRESS" | "ON_HOLD" | "CLOSED" | "CANCELLED" | "INCOMPLETE" | "SCHEDULED";
export type FulfillmentOrder = {
  id: number;
  orderId: number;
  locationId: number;
  status: FulfillmentOrderStatus;
  /** Shopify's FulfillmentOrderRequestStatus: UNSUBMITTED at merchant-managed locations; the rest is a fulfilment service's handshake. */
  requestStatus:
    "UNSUBMITTED" | "SUBMITTED" | "ACCEPTED" | "REJECTED" | "CANCELLATION_REQUESTED" | "CANCELLATION_ACCEPTED" | "CANCELLATION_REJECTED" | "CLOSED";
  lines: FoLine[];
  holds: Hold[];
  createdAt: string;
  updatedAt: string;
  /** Shopify's DeliveryMethodType; PICK_UP: the customer collects at the assigned location. */
  deliveryMethod?: "SHIPPING" | "PICK_UP" | "RETAIL";
  /** A SCHEDULED fulfillment order (pre-order) opens at this time (payments.ts). */
  fulfillAt?: string | null;
  /** Local pickup: the items were prepared and the customer notified (ready for pickup). */
  preparedForPickupAt?: string | null;
};
export type Fulfillment = {
  id: number;
  orderId: number;
  locationId: number;
  status: "SUCCESS" | "CANCELLED";
  shipmentStatus: string | null;
  tracking: { company: string | null; number: string | null; url: string | null }[];
  lines: { id: number; lineItemId: number; quantity: number }[];
  createdAt: string;
  updatedAt: string;
};
export type ReturnLine = {
  id: number;
  fulfillmentLineItemId: number;
  lineItemId: number;
  quantity: number;
  processedQuantity: number;
  returnReason: string;
  note: string | null;
  reverseLineId: number;
  restockingFeePercent?: number;
  dispositions?: { type: string; quantity: number; locationId: number | null }[];
};
export type Return = {
  id: number;
  orderId: number;
  name: string;
  status: "REQUESTED" | "OPEN" | "CLOSED" | "DECLINED" | "CANCELED";
  createdAt: string;
  requestApprovedAt: string | null;
  closedAt: string | null;
  reverseFulfillmentOrderId: number;
  lines: ReturnLine[];
  /** Exchanges, fees, decline and reverse deliveries: dev/shopify-local/returns.ts. */
  extra?: ReturnExtra;
};
export type Transaction = {
  id: number;
  kind: "sale" | "authorization" | "capture" | "void" | "refund";
  status: "success";
  amountMinor: number;
  /** The amount in the order's presentment currency, when it was given in it (a refund on a multi-currency order). */
  presentmentMinor?: number;
  gateway: string;
  createdAt: string;
  /** capture/void/refund: the transaction it settles. */
  parentId?: number | null;
  /** authorization: when the gateway lets it lapse. */
  authorizationExpiresAt?: string | null;
  /** authorization: whether it may be captured more than once (payments.ts). */
  multiCapturable?: boolean;
  /** authorization: a final capture released the rest. */
  closed?: boolean;
};
export type Refund = {
  id: number;
  note: string | null;
  createdAt: string;
  /** The whole refund: payment gateway plus store credit. */
  amountMinor: number;
  /** The same in the order's presentment currency, when it was given in it. */
  presentmentMinor?: number;
  lines: { lineItemId: number; quantity: number; restockType: string; locationId?: number | null }[];
  transactionId: number | null;
  /** Store credit, shipping and the return it belongs to: dev/shopify-local/refunds.ts. */
  extra?: RefundExtra;
};
export type Order = {
  id: number;
  number: number;
  name: string;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  email: string | null;
  /** The shop's currency. */
  currency: string;
  /** The customer's currency, when it is not the shop's (checkout extras `presentment`). */
  presentment?: import("./gid").Presentment;
  sourceName: string;
  sourceIdentifier: string | null;
  tags: string[];
  note: string | null;
  /** Cart attributes (checkout's applyAttributeChange): Order.customAttributes, note_attributes. */
  customAttributes?: { key: string; value: string }[];
  customer: { id: number; firstName: string | null; lastName: string | null; email: string | null } | null;
  shippingAddress: Address | null;
  shippingMethod: string | null;
  /** The shipping line's code: a carrier service's service_code when its rate was chosen. */
  shippingCode?: string | null;
  shippingMinor: number;
  lines: LineItem[];
  transactions: Transaction[];
  refunds: Refund[];
  /** Shopify's order risk summary (payments.ts); absent: assessed low, accept. */
  risk?: {
    level: "HIGH" | "MEDIUM" | "LOW" | "NONE" | "PENDING";
    recommendation: "CANCEL" | "INVESTIGATE" | "ACCEPT" | "NONE";
    facts: { description: string; sentiment: "POSITIVE" | "NEUTRAL" | "NEGATIVE" }[];
  };
  /** B2B / draft orders with payment terms (payments.ts). */
  paymentTerms?: {
    id: number;
    type: "RECEIPT" | "NET" | "FIXED" | "FULFILLMENT";
    name: string;
    dueInDays: number | null;
    dueAt: string | null;
    completedAt: string | null;
    scheduleId: number;
  };
  /** POS: the store the sale was rung up at. */
  retailLocationId?: number | null;
};

export type ShopState = {
  domain: string;
  id: number;
  name: string;
  currencyCode: string;
  plan: string;
  locations: Map<number, Location>;
  products: Map<number, Product>;
  variants: Map<number, Variant>;
  levels: Map<string, Level>; // `${inventoryItemId}:${locationId}`
  orders: Map<number, Order>;
  fulfillmentOrders: Map<number, FulfillmentOrder>;
  fulfillments: Map<number, Fulfillment>;
  returns: Map<number, Return>;
  metafields: Map<string, { ownerId: string; namespace: string; key: string; type: string; value: string; updatedAt: string }>;
  nextOrderNumber: number;
};

/** Shopify ids are unique across resources; one counter keeps them so here too. */
export class Ids {
  #next = 1_000_000;
  next(): number {
    return ++this.#next;
  }
}

export const levelKey = (inventoryItemId: number, locationId: number) => `${inventoryItemId}:${locationId}`;
export const emptyQuantities = (): Quantities => ({ available: 0, committed: 0, reserved: 0, damaged: 0, safety_stock: 0, quality_control: 0, incoming: 0 });

export class StandInError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly field: string[] = [],
  ) {
    super(message);
  }
}

export function coordinatesOf(a: Address | null): [number, number] | null {
  if (!a) return null;
  if (a.latitude !== null && a.longitude !== null) return [a.latitude, a.longitude];
  return centroid(a.countryCode, a.provinceCode);
}

/**
 * Shopify's native order routing (help.shopify.com "Understanding order routing"): among active
 * locations that fulfil online orders and stock the items, prefer one location for the whole order
 * (minimise splits), then ranked locations, then the closest by straight-line distance. When no
 * single location can ship everything, each line goes to its own best location.
 */
export function routeOrder(
  shop: ShopState,
  lines: { inventoryItemId: number; quantity: number; key: number }[],
  destination: Address | null,
): Map<number, number[]> | { outOfStock: number[] } {
  const dest = coordinatesOf(destination);
  const candidates = [...shop.locations.values()].filter((l) => l.isActive && l.fulfillsOnlineOrders);
  const score = (l: Location) => {
    const rank = l.rank ?? Number.MAX_SAFE_INTEGER;
    const there = coordinatesOf(l.address);
    const km = dest && there ? haversineKm(dest, there) : Number.MAX_SAFE_INTEGER;
    return [rank, km, l.id] as const;
  };
  const compare = (a: Location, b: Location) => {
    const [ra, ka, ia] = score(a);
    const [rb, kb, ib] = score(b);
    return ra - rb || ka - kb || ia - ib;
  };
  const available = (l: Location, itemId: number) => shop.levels.get(levelKey(itemId, l.id))?.q.available ?? -1;
  // Same-item lines are summed before checking stock.
  const need = new Map<number, number>();
  for (const line of lines) need.set(line.inventoryItemId, (need.get(line.inventoryItemId) ?? 0) + line.quantity);
  const whole = candidates.filter((l) => [...need].every(([item, qty]) => available(l, item) >= qty)).sort(compare);
  const plan = new Map<number, number[]>();
  if (whole[0]) {
    plan.set(
      whole[0].id,
      lines.map((l) => l.key),
    );
    return plan;
  }
  const outOfStock: number[] = [];
  const taken = new Map<string, number>();
  for (const line of lines) {
    const best = candidates
      .filter((l) => available(l, line.inventoryItemId) - (taken.get(levelKey(line.inventoryItemId, l.id)) ?? 0) >= line.quantity)
      .sort(compare)[0];
    // CONTINUE-policy variants sell without stock: the line goes where the item is stocked, by the same order.
    const chosen =
      best ??
      (continueSelling(shop, line.inventoryItemId)
        ? candidates.filter((l) => shop.levels.has(levelKey(line.inventoryItemId, l.id))).sort(compare)[0]
        : undefined);
    if (!chosen) {
      outOfStock.push(line.key);
      continue;
    }
    const k = levelKey(line.inventoryItemId, chosen.id);
    taken.set(k, (taken.get(k) ?? 0) + line.quantity);
    plan.set(chosen.id, [...(plan.get(chosen.id) ?? []), line.key]);
  }
  return outOfStock.length ? { outOfStock } : plan;
}

function continueSelling(shop: ShopState, inventoryItemId: number): boolean {
  return [...shop.variants.values()].some((v) => v.inventoryItemId === inventoryItemId && v.inventoryPolicy === "CONTINUE");
}

/** What a merchant-managed fulfillment order allows, as Shopify reports it in supportedActions. */
export function supportedActions(fo: FulfillmentOrder, orderCancelled: boolean): string[] {
  if (orderCancelled || fo.status === "CLOSED" || fo.status === "CANCELLED") return [];
  // A pickup is collected where the customer chose: Shopify offers no move for it.
  const move = fo.deliveryMethod === "PICK_UP" ? [] : ["MOVE"];
  if (fo.status === "ON_HOLD") return ["RELEASE_HOLD", "HOLD", ...move];
  // Work a fulfilment service accepted is its own: the merchant can only ask for it back.
  if (fo.requestStatus === "ACCEPTED" || fo.requestStatus === "CANCELLATION_REJECTED") return ["REQUEST_CANCELLATION"];
  if (fo.requestStatus === "CANCELLATION_REQUESTED") return [];
  const actions = ["CREATE_FULFILLMENT", "HOLD", ...move];
  if (fo.lines.reduce((n, l) => n + l.remainingQuantity, 0) > 1) actions.push("SPLIT");
  if (fo.status === "OPEN") actions.push("REPORT_PROGRESS");
  return actions;
}
