import { z } from "zod";
import { gid } from "./gid";
import { emptyQuantities, levelKey, type ShopState } from "./store";
import type { StandIn } from "./standin";

const address = z.object({
  address1: z.string(),
  address2: z.string().optional(),
  city: z.string(),
  provinceCode: z.string(),
  countryCode: z.string().length(2),
  zip: z.string(),
  phone: z.string().optional(),
});

export const shopSeedSchema = z.object({
  domain: z.string().regex(/^[a-z0-9][a-z0-9-]*\.myshopify\.com$/),
  name: z.string().min(1),
  currencyCode: z.string().length(3).default("USD"),
  plan: z.string().default("shopify_plus"),
  locations: z
    .array(
      z.object({
        name: z.string().min(1),
        kind: z.enum(["warehouse", "store", "dropship"]).default("warehouse"),
        address,
        latitude: z.number(),
        longitude: z.number(),
        fulfillsOnlineOrders: z.boolean().default(true),
        isActive: z.boolean().default(true),
        rank: z.number().int().optional(),
        // Run by a fulfilment service app (a 3PL): its work is requested, accepted, and cancelled by request.
        fulfillmentService: z.boolean().default(false),
      }),
    )
    .min(1),
  products: z.array(
    z.object({
      title: z.string().min(1),
      vendor: z.string().default(""),
      productType: z.string().default(""),
      tags: z.array(z.string()).default([]),
      variants: z
        .array(
          z.object({
            sku: z.string().min(1),
            title: z.string().default("Default Title"),
            price: z.string().regex(/^\d+(\.\d{1,2})?$/),
            inventory: z.record(z.string(), z.number().int()),
            // Shopify's ProductVariant.inventoryPolicy: CONTINUE sells when out of stock (backorders, pre-orders).
            inventoryPolicy: z.enum(["DENY", "CONTINUE"]).default("DENY"),
          }),
        )
        .min(1),
    }),
  ),
});
export type ShopSeed = z.infer<typeof shopSeedSchema>;

/** Seeds (or replaces) a shop: locations, products, variants, and available stock per location. */
export function seedShop(standIn: StandIn, seed: ShopSeed, now: Date): ShopState {
  const at = now.toISOString();
  const shop: ShopState = {
    domain: seed.domain,
    id: standIn.ids.next(),
    name: seed.name,
    currencyCode: seed.currencyCode,
    plan: seed.plan,
    locations: new Map(),
    products: new Map(),
    variants: new Map(),
    levels: new Map(),
    orders: new Map(),
    fulfillmentOrders: new Map(),
    fulfillments: new Map(),
    returns: new Map(),
    metafields: new Map(),
    nextOrderNumber: 1001,
  };
  const byName = new Map<string, number>();
  for (const l of seed.locations) {
    const id = standIn.ids.next();
    byName.set(l.name, id);
    shop.locations.set(id, {
      id,
      name: l.name,
      kind: l.kind,
      address: {
        firstName: null,
        lastName: null,
        company: null,
        address1: l.address.address1,
        address2: l.address.address2 ?? null,
        city: l.address.city,
        provinceCode: l.address.provinceCode,
        zip: l.address.zip,
        countryCode: l.address.countryCode,
        phone: l.address.phone ?? null,
        latitude: l.latitude,
        longitude: l.longitude,
      },
      fulfillsOnlineOrders: l.fulfillsOnlineOrders,
      isActive: l.isActive,
      rank: l.rank ?? null,
      createdAt: at,
      fulfillmentService: l.fulfillmentService,
    });
  }
  const skus = new Set<string>();
  for (const p of seed.products) {
    const productId = standIn.ids.next();
    const variantIds: number[] = [];
    for (const v of p.variants) {
      if (skus.has(v.sku)) throw new Error(`duplicate SKU ${v.sku}`);
      skus.add(v.sku);
      const id = standIn.ids.next();
      const inventoryItemId = standIn.ids.next();
      variantIds.push(id);
      shop.variants.set(id, {
        id,
        productId,
        sku: v.sku,
        title: v.title,
        priceMinor: Math.round(Number(v.price) * 100),
        inventoryItemId,
        inventoryPolicy: v.inventoryPolicy,
      });
      for (const [locationName, qty] of Object.entries(v.inventory)) {
        const locationId = byName.get(locationName);
        if (!locationId) throw new Error(`variant ${v.sku}: unknown location ${locationName}`);
        shop.levels.set(levelKey(inventoryItemId, locationId), { inventoryItemId, locationId, q: { ...emptyQuantities(), available: qty }, updatedAt: at });
      }
    }
    shop.products.set(productId, { id: productId, title: p.title, vendor: p.vendor, productType: p.productType, tags: p.tags, variantIds, createdAt: at });
  }
  standIn.shops.set(shop.domain, shop);
  return shop;
}

export function seededSummary(shop: ShopState) {
  return {
    shop: shop.domain,
    locations: [...shop.locations.values()].map((l) => ({ id: gid("Location", l.id), name: l.name })),
    variants: [...shop.variants.values()].map((v) => ({
      id: gid("ProductVariant", v.id),
      sku: v.sku,
      inventoryItemId: gid("InventoryItem", v.inventoryItemId),
    })),
  };
}
