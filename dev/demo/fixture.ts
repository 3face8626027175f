// The demo shop, the same on every run: a realistic outdoor-apparel merchant with warehouses,
// ship-from-store shops and a drop-ship supplier, a few hundred variants with uneven stock, and
// the shoppers the simulator orders as.
import { buildCatalog, makeScarce } from "./fixture-catalog";
import { DEMO_LOCATIONS } from "./fixture-locations";
import { buildShoppers, type Shopper } from "./fixture-shoppers";
import { createRng } from "./prng";
import type { ShopSeed } from "./standin-contract";

export const DEMO_SHOP_DOMAIN = "demo-oms.myshopify.com";
export const DEMO_SEED = 20260501;

export interface DemoFixture {
  shop: ShopSeed;
  shoppers: Shopper[];
  /** SKUs with only one or two units in one place. */
  scarceSkus: string[];
}

export function demoFixture(seed = DEMO_SEED): DemoFixture {
  const rng = createRng(seed);
  const products = buildCatalog(rng);
  const scarceSkus = makeScarce(products, rng, 8);
  const shoppers = buildShoppers(createRng(seed ^ 0x5eed), 200);
  return {
    shop: {
      domain: DEMO_SHOP_DOMAIN,
      name: "Northbound Outfitters",
      currencyCode: "USD",
      plan: "Advanced",
      locations: DEMO_LOCATIONS.map((l) => ({ ...l, address: { ...l.address } })),
      products,
    },
    shoppers,
    scarceSkus,
  };
}

export type { Shopper };
