// The shapes of the Shopify stand-in's control API (dev/shopify/server.ts) that the demo uses.
// Written against the agreed contract so the demo does not depend on the stand-in's internals.

export interface AddressSeed {
  address1: string;
  city: string;
  provinceCode: string;
  countryCode: "US" | "CA";
  zip: string;
}

export interface LocationSeed {
  name: string;
  kind?: "warehouse" | "store" | "dropship";
  address: AddressSeed;
  latitude: number;
  longitude: number;
  fulfillsOnlineOrders?: boolean;
  rank?: number;
}

export interface VariantSeed {
  sku: string;
  title?: string;
  /** Decimal string, e.g. "12.00". */
  price: string;
  /** Units available per location name; a location left out does not stock the item. */
  inventory: Record<string, number>;
}

export interface ProductSeed {
  title: string;
  vendor?: string;
  productType?: string;
  tags?: string[];
  variants: VariantSeed[];
}

export interface ShopSeed {
  domain: string;
  name: string;
  currencyCode?: string;
  plan?: string;
  locations: LocationSeed[];
  products: ProductSeed[];
}

export interface SeededShop {
  shop: string;
  locations: { id: string; name: string }[];
  variants: { id: string; sku: string; inventoryItemId: string }[];
}

export interface ShippingAddress extends AddressSeed {
  firstName: string;
  lastName: string;
  phone?: string;
}

export interface CheckoutRequest {
  lines: { sku: string; quantity: number }[];
  shippingAddress: ShippingAddress;
  email: string;
  shippingMethod?: string;
  /** Cart attributes (e.g. the delivery promise a checkout extension attached). */
  attributes?: { key: string; value: string }[];
}

export interface CheckoutResult {
  orderId: string;
  name: string;
  fulfillmentOrderIds: string[];
}
