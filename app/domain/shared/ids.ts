declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type ShopDomain = Brand<string, "ShopDomain">;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function parseShopDomain(raw: string): ShopDomain | null {
  const value = raw.trim().toLowerCase();
  return SHOP_DOMAIN.test(value) ? (value as ShopDomain) : null;
}

/** Shopify GIDs ("gid://shopify/Order/123"); the numeric part may exceed 2^53, so it stays a string. */
export type Gid<T extends string> = Brand<string, `Gid<${T}>`>;

export function gid<T extends string>(type: T, id: string | number | bigint): Gid<T> {
  return `gid://shopify/${type}/${id.toString()}` as Gid<T>;
}

export function parseGid<T extends string>(type: T, raw: string): Gid<T> | null {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)$/.exec(raw);
  return m && m[1] === type ? (raw as Gid<T>) : null;
}
