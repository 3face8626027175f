// What the SP-API stand-in holds: sellers (with their LWA app credentials), orders in Amazon's
// lifecycle, listings with a fulfillment_availability quantity, access tokens, and one token bucket
// per (seller, operation). Rendering to the v2026-01-01 shapes is here too, gated by includedData.
import { randomBytes } from "node:crypto";
import { StandInClock } from "./clock";

export type FulfillmentStatus = "PENDING_AVAILABILITY" | "PENDING" | "UNSHIPPED" | "PARTIALLY_SHIPPED" | "SHIPPED" | "CANCELLED" | "UNFULFILLABLE";

export type Seller = {
  sellerId: string;
  marketplaceIds: string[];
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  revoked: boolean;
  /** Usage plans granted to this seller above the model's defaults (dynamic usage plans). */
  plans: Record<string, { rate: number; burst: number }>;
  /** Restricted roles of the developer app authorised for this seller (PII_ROLES). */
  roles: string[];
};

/** Restricted roles and the PII they open in Orders v2026-01-01 (no RDT): see app/domain/marketplace/amazon-roles.ts. */
export const PII_ROLES = ["DIRECT_TO_CONSUMER_DELIVERY", "TAX_INVOICING", "TAX_REMITTANCE"];

export type StoredItem = {
  orderItemId: string;
  sku: string;
  asin: string;
  title: string;
  quantity: number;
  unitPrice: string;
  shipped: number;
  cancelRequest: { reason: string } | null;
};
export type StoredPackage = {
  packageReferenceId: string;
  carrierCode: string;
  carrierName: string | null;
  trackingNumber: string;
  shipDate: string;
  shippingMethod: string | null;
  items: { orderItemId: string; quantity: number }[];
  createdTime: number;
};
export type StoredAddress = {
  name: string;
  addressLine1: string;
  addressLine2?: string;
  city: string;
  stateOrRegion?: string;
  postalCode: string;
  countryCode: string;
  phone?: string;
};
export type StoredOrder = {
  orderId: string;
  sellerId: string;
  marketplaceId: string;
  currency: string;
  createdTime: number;
  lastUpdatedTime: number;
  /** When the order shows in searches (Amazon's indexes lag the order by a little). */
  visibleAt: number;
  status: FulfillmentStatus;
  fulfilledBy: "MERCHANT" | "AMAZON";
  serviceLevel: string;
  items: StoredItem[];
  buyer: { buyerName: string; buyerEmail: string };
  address: StoredAddress;
  packages: StoredPackage[];
  cancelReason: string | null;
};

export type Listing = {
  sellerId: string;
  sku: string;
  asin: string;
  title: string;
  quantity: number;
  marketplaceIds: string[];
  createdTime: number;
  lastUpdatedTime: number;
  patches: number;
};

export const MARKETPLACES: Record<string, { name: string; currency: string; country: string }> = {
  ATVPDKIKX0DER: { name: "Amazon.com", currency: "USD", country: "US" },
  A2EUQ1WTGCTBG2: { name: "Amazon.ca", currency: "CAD", country: "CA" },
  A1AM78C64UM0Y8: { name: "Amazon.com.mx", currency: "MXN", country: "MX" },
  A1F83G8C2ARO7P: { name: "Amazon.co.uk", currency: "GBP", country: "GB" },
  A1PA6795UKMFR9: { name: "Amazon.de", currency: "EUR", country: "DE" },
  A1VC38T7YXB528: { name: "Amazon.co.jp", currency: "JPY", country: "JP" },
  A2Q3Y263D00KWC: { name: "Amazon.com.br", currency: "BRL", country: "BR" },
};

export class AmazonStore {
  clock: StandInClock;
  sellers = new Map<string, Seller>();
  orders = new Map<string, StoredOrder>();
  listings = new Map<string, Listing>();
  accessTokens = new Map<string, { sellerId: string; expiresAt: number }>();
  buckets = new Map<string, { tokens: number; at: number }>();
  /** Forced answers for the next calls of an operation (429 storms, 500s, 503s). */
  faults = new Map<string, { status: number; remaining: number }>();
  /** Token lifetime in seconds (Amazon: 3600). */
  tokenLifetimeSeconds = 3600;
  /** How long a new or changed order takes to show in searchOrders (virtual ms). */
  visibilityDelayMs = 0;
  stats = { calls: new Map<string, number>(), throttled: new Map<string, number>(), rejected: new Map<string, number>() };
  /** Calls made slow on purpose (a page a worker is killed in the middle of): the next `remaining` calls of an operation (only those with a paginationToken if `paged`) are answered `delayMs` of the wall late. */
  slow = new Map<string, { delayMs: number; remaining: number; paged: boolean }>();
  /** The last calls to the SP-API operations, oldest first (what a test reads to see which page was asked for again). */
  calls: { operationId: string; at: number; query: Record<string, string>; slow: boolean }[] = [];
  // Each stand-in starts its ids at its own random point: Amazon's order ids are unique across sellers,
  // and tests in one run (one database) each start a stand-in of their own.
  private seq = Math.floor(Math.random() * 8_000_000);

  constructor(clock = new StandInClock()) {
    this.clock = clock;
  }

  now(): number {
    return this.clock.now();
  }

  count(map: Map<string, number>, key: string) {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  mintAccessToken(sellerId: string): { token: string; expiresIn: number } {
    const token = `Atza|${randomBytes(24).toString("base64")}`;
    this.accessTokens.set(token, { sellerId, expiresAt: this.now() + this.tokenLifetimeSeconds * 1000 });
    return { token, expiresIn: this.tokenLifetimeSeconds };
  }

  /** Token bucket per (seller, operation): refills at `rate` per second of the stand-in's clock. */
  take(sellerId: string, operationId: string, plan: { rate: number; burst: number }): boolean {
    const key = `${sellerId}|${operationId}`;
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: plan.burst, at: now };
    b.tokens = Math.min(plan.burst, b.tokens + ((now - b.at) / 1000) * plan.rate);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  nextOrderId(): string {
    this.seq++;
    const n = String(1_000_000 + this.seq).slice(-7);
    const r = String(Math.floor(this.seq * 7919) % 10_000_000).padStart(7, "0");
    return `113-${n}-${r}`;
  }

  nextItemId(): string {
    this.seq++;
    return String(10_000_000_000_000 + this.seq * 17);
  }

  touch(o: StoredOrder) {
    // Amazon's timestamps are seconds; two changes in one second still order by time then id.
    o.lastUpdatedTime = Math.max(this.now(), o.lastUpdatedTime + 1);
    o.visibleAt = o.lastUpdatedTime + this.visibilityDelayMs;
  }

  /** Quantity shipped against ordered decides PARTIALLY_SHIPPED / SHIPPED. */
  refreshShipStatus(o: StoredOrder) {
    const shipped = o.items.reduce((n, i) => n + i.shipped, 0);
    const ordered = o.items.reduce((n, i) => n + i.quantity, 0);
    if (shipped === 0) return;
    o.status = shipped >= ordered ? "SHIPPED" : "PARTIALLY_SHIPPED";
  }
}

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
export { iso };

const shippedOrLater = new Set<FulfillmentStatus>(["UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"]);

/** An order in the v2026-01-01 shape, with only the datasets asked for. */
export function renderOrder(o: StoredOrder, included: readonly string[], roles: readonly string[] = []): Record<string, unknown> {
  const has = (d: string) => included.includes(d);
  const mp = MARKETPLACES[o.marketplaceId];
  const pending = o.status === "PENDING" || o.status === "PENDING_AVAILABILITY";
  const money = (amount: number) => ({ amount: amount.toFixed(2), currencyCode: o.currency });
  const total = o.items.reduce((n, i) => n + Number(i.unitPrice) * i.quantity, 0);
  const order: Record<string, unknown> = {
    orderId: o.orderId,
    createdTime: iso(o.createdTime),
    lastUpdatedTime: iso(o.lastUpdatedTime),
    programs: [],
    salesChannel: { channelName: "AMAZON", marketplaceId: o.marketplaceId, ...(mp ? { marketplaceName: mp.name } : {}) },
    orderItems: o.items.map((i) => {
      const item: Record<string, unknown> = {
        orderItemId: i.orderItemId,
        quantityOrdered: i.quantity,
        // Pending orders carry no prices (the model: "does not return information about pricing").
        product: {
          asin: i.asin,
          title: i.title,
          sellerSku: i.sku,
          condition: { conditionType: "NEW" },
          ...(pending ? {} : { price: { unitPrice: { amount: i.unitPrice, currencyCode: o.currency } } }),
        },
      };
      if (has("PROCEEDS") && !pending) item.proceeds = { proceedsTotal: money(Number(i.unitPrice) * i.quantity) };
      if (has("FULFILLMENT")) item.fulfillment = { quantityFulfilled: i.shipped, quantityUnfulfilled: o.status === "CANCELLED" ? 0 : i.quantity - i.shipped };
      if (has("CANCELLATION") && i.cancelRequest) item.cancellation = { cancellationRequest: { requester: "BUYER", cancelReason: i.cancelRequest.reason } };
      return item;
    }),
  };
  // Personal data only for merchant-fulfilled orders once payment is authorised, and only what the
  // app's restricted roles open: buyerEmail and the address's personal parts with Direct-to-Consumer
  // Delivery, buyerName with Tax Invoicing or Tax Remittance. Without the role the attributes are
  // absent (the model's Buyer/Recipient attributes are optional; it has no error for this); the
  // address's city, region, country and type are not PII.
  const pii = o.fulfilledBy === "MERCHANT" && shippedOrLater.has(o.status);
  const delivery = roles.includes("DIRECT_TO_CONSUMER_DELIVERY");
  const tax = roles.includes("TAX_INVOICING") || roles.includes("TAX_REMITTANCE");
  if (has("BUYER") && pii && (delivery || tax))
    order.buyer = { ...(tax ? { buyerName: o.buyer.buyerName } : {}), ...(delivery ? { buyerEmail: o.buyer.buyerEmail } : {}) };
  if (has("RECIPIENT") && pii) {
    const a = o.address;
    order.recipient = {
      deliveryAddress: delivery
        ? { ...a, addressType: "RESIDENTIAL" }
        : { city: a.city, ...(a.stateOrRegion ? { stateOrRegion: a.stateOrRegion } : {}), countryCode: a.countryCode, addressType: "RESIDENTIAL" },
    };
  }
  if (has("PROCEEDS") && !pending) order.proceeds = { grandTotal: money(total) };
  if (has("FULFILLMENT")) order.fulfillment = { fulfillmentStatus: o.status, fulfilledBy: o.fulfilledBy, fulfillmentServiceLevel: o.serviceLevel };
  if (has("PACKAGES") && o.fulfilledBy === "MERCHANT") {
    order.packages = o.packages.map((p) => ({
      packageReferenceId: p.packageReferenceId,
      createdTime: iso(p.createdTime),
      packageStatus: { status: "SHIPPED" },
      carrier: p.carrierCode === "Other" ? (p.carrierName ?? "Other") : p.carrierCode,
      shipTime: iso(Date.parse(p.shipDate)),
      ...(p.shippingMethod ? { shippingService: p.shippingMethod } : {}),
      trackingNumber: p.trackingNumber,
      packageItems: p.items.map((x) => ({ orderItemId: x.orderItemId, quantity: x.quantity })),
    }));
  }
  return order;
}
