// The demo shop's catalog: sixty outdoor and apparel products expanded into sized and coloured
// variants, with stock spread unevenly over the locations (zeros, a few scarce SKUs, bulky gear
// only at the warehouses and the drop-ship supplier).
import { DROPSHIP, STORES, WAREHOUSES } from "./fixture-locations";
import type { Rng } from "./prng";
import type { ProductSeed, VariantSeed } from "./standin-contract";

type Scheme = "apparel" | "kids" | "footwear" | "fitted" | "colours" | "single" | "bulky";

interface Template {
  title: string;
  productType: string;
  vendor: string;
  code: string;
  /** Price in cents. */
  price: number;
  scheme: Scheme;
}

const t = (title: string, productType: string, vendor: string, code: string, price: number, scheme: Scheme): Template => ({
  title,
  productType,
  vendor,
  code,
  price,
  scheme,
});

export const TEMPLATES: Template[] = [
  t("Trailhead Merino Tee", "Tops", "Northbound", "TEE", 5800, "apparel"),
  t("Basecamp Organic Cotton Tee", "Tops", "Northbound", "TEE", 3200, "apparel"),
  t("Ridgeline Long-Sleeve Henley", "Tops", "Ridgeline", "HEN", 5400, "apparel"),
  t("Switchback Sun Hoodie", "Tops", "Ridgeline", "SUN", 6500, "apparel"),
  t("Alpine Grid Fleece Quarter-Zip", "Tops", "Northbound", "FLC", 8900, "apparel"),
  t("Harbor Flannel Shirt", "Tops", "Tidewater", "FLN", 6900, "apparel"),
  t("Summit Pullover Hoodie", "Tops", "Summit & Pine", "HOD", 7400, "apparel"),
  t("Drift Crewneck Sweatshirt", "Tops", "Tidewater", "CRW", 6200, "apparel"),
  t("Cirrus Performance Polo", "Tops", "Ridgeline", "POL", 4800, "apparel"),
  t("Boulder Canvas Work Shirt", "Tops", "Summit & Pine", "WRK", 7800, "apparel"),
  t("Mesa Lightweight Tank", "Tops", "Northbound", "TNK", 2800, "apparel"),
  t("Fjord Cable-Knit Sweater", "Tops", "Summit & Pine", "SWT", 12800, "apparel"),
  t("Stormline 3L Rain Shell", "Outerwear", "Northbound", "RSH", 22900, "apparel"),
  t("Cascade Down Puffer Jacket", "Outerwear", "Northbound", "PUF", 24900, "apparel"),
  t("Headwall Insulated Vest", "Outerwear", "Ridgeline", "VST", 13900, "apparel"),
  t("Northwind Softshell Jacket", "Outerwear", "Ridgeline", "SFT", 15900, "apparel"),
  t("Tundra Expedition Parka", "Outerwear", "Northbound", "PRK", 38900, "apparel"),
  t("Gale Packable Windbreaker", "Outerwear", "Tidewater", "WND", 9900, "apparel"),
  t("Timberline Chore Coat", "Outerwear", "Summit & Pine", "CHR", 16800, "apparel"),
  t("Traverse Hiking Pants", "Bottoms", "Northbound", "HPN", 8900, "apparel"),
  t("Crag Climbing Pants", "Bottoms", "Ridgeline", "CPN", 9400, "apparel"),
  t("Portage Cargo Shorts", "Bottoms", "Tidewater", "CSH", 5400, "apparel"),
  t("Riverbend 7-inch Trail Shorts", "Bottoms", "Ridgeline", "TSH", 5800, "apparel"),
  t("Ember Fleece Joggers", "Bottoms", "Summit & Pine", "JOG", 6800, "apparel"),
  t("Scout Stretch Chinos", "Bottoms", "Tidewater", "CHN", 7800, "apparel"),
  t("Thermal Base Layer Bottoms", "Bottoms", "Northbound", "BLB", 6400, "apparel"),
  t("Kids' Little Summit Fleece Jacket", "Kids", "Summit & Pine", "KFJ", 5900, "kids"),
  t("Pathfinder Trail Runner", "Footwear", "Ridgeline", "TRR", 13900, "footwear"),
  t("Granite Waterproof Hiking Boot", "Footwear", "Northbound", "HKB", 18900, "footwear"),
  t("Lakeside Camp Sandal", "Footwear", "Tidewater", "SND", 6500, "footwear"),
  t("Ridge Approach Shoe", "Footwear", "Ridgeline", "APR", 14900, "footwear"),
  t("Snowline Insulated Winter Boot", "Footwear", "Northbound", "WTB", 21900, "footwear"),
  t("Merino Hiking Socks (2-Pack)", "Accessories", "Northbound", "SOK", 2800, "fitted"),
  t("Trail Running Gloves", "Accessories", "Ridgeline", "GLV", 3400, "fitted"),
  t("Ribbed Watch Beanie", "Accessories", "Summit & Pine", "BNI", 2600, "colours"),
  t("Five-Panel Camp Cap", "Accessories", "Tidewater", "CAP", 3000, "colours"),
  t("Midweight Neck Gaiter", "Accessories", "Ridgeline", "GTR", 2200, "colours"),
  t("Waxed Canvas Tote", "Accessories", "Summit & Pine", "TOT", 5800, "colours"),
  t("Wool Blanket Scarf", "Accessories", "Tidewater", "SCF", 4800, "colours"),
  t("Daybreak 22L Daypack", "Bags", "Northbound", "DPK", 9900, "colours"),
  t("Expedition 65L Backpack", "Bags", "Northbound", "BPK", 27900, "colours"),
  t("Roll-Top Dry Bag 20L", "Bags", "Tidewater", "DRY", 3900, "colours"),
  t("Sling Hip Pack", "Bags", "Ridgeline", "HIP", 4500, "colours"),
  t("Weekender Duffel 45L", "Bags", "Summit & Pine", "DUF", 14500, "colours"),
  t("Highline 2-Person Backpacking Tent", "Camping", "Cascade Gear Co.", "TN2", 42900, "bulky"),
  t("Basecamp 6-Person Family Tent", "Camping", "Cascade Gear Co.", "TN6", 59900, "bulky"),
  t("Ember 20F Down Sleeping Bag", "Camping", "Cascade Gear Co.", "SLB", 32900, "bulky"),
  t("Cloudrest Insulated Sleeping Pad", "Camping", "Cascade Gear Co.", "PAD", 16900, "bulky"),
  t("Hard-Sided Cooler 45qt", "Camping", "Cascade Gear Co.", "COL", 27500, "bulky"),
  t("Folding Camp Chair", "Camping", "Cascade Gear Co.", "CHA", 6900, "bulky"),
  t("Camp Hammock with Straps", "Camping", "Tidewater", "HAM", 7400, "single"),
  t("Ultralight Trekking Poles (Pair)", "Gear", "Ridgeline", "TPL", 12900, "single"),
  t("Titanium Cook Pot 900ml", "Gear", "Cascade Gear Co.", "POT", 5400, "single"),
  t("Compact Canister Stove", "Gear", "Cascade Gear Co.", "STV", 4900, "single"),
  t("Insulated Water Bottle 32oz", "Gear", "Northbound", "BTL", 3800, "colours"),
  t("Stainless Camp Mug", "Gear", "Summit & Pine", "MUG", 2400, "colours"),
  t("Rechargeable Headlamp 400lm", "Gear", "Ridgeline", "HLP", 4900, "single"),
  t("Trail First-Aid Kit", "Gear", "Cascade Gear Co.", "FAK", 3600, "single"),
  t("Packable Camp Blanket", "Gear", "Tidewater", "BLK", 8900, "colours"),
  t("Solar Camp Lantern", "Gear", "Cascade Gear Co.", "LNT", 3200, "single"),
];

const COLOURS: (readonly [string, string])[] = [
  ["Black", "BLK"],
  ["Navy", "NVY"],
  ["Olive", "OLV"],
  ["Heather Grey", "HGR"],
  ["Rust", "RST"],
  ["Sand", "SND"],
  ["Forest", "FOR"],
  ["Slate", "SLT"],
  ["Ochre", "OCH"],
  ["Cream", "CRM"],
  ["Sky Blue", "SKY"],
  ["Burgundy", "BUR"],
];

/** How often each size sells relative to M; used for stock depth. */
const SIZE_DEMAND: Record<string, number> = { XS: 0.35, S: 0.8, M: 1, L: 1, XL: 0.7, XXL: 0.35 };

function sizesFor(scheme: Scheme, rng: Rng): string[] {
  switch (scheme) {
    case "apparel":
      return rng.chance(0.4) ? ["XS", "S", "M", "L", "XL", "XXL"] : ["S", "M", "L", "XL"];
    case "kids":
      return ["4T", "6", "8", "10", "12"];
    case "footwear":
      return ["7", "8", "9", "10", "11", "12"];
    case "fitted":
      return ["S", "M", "L"];
    default:
      return [];
  }
}

function colourCount(scheme: Scheme, rng: Rng): number {
  switch (scheme) {
    case "apparel":
      return rng.int(2, 3);
    case "footwear":
    case "kids":
      return rng.int(1, 2);
    case "fitted":
      return 1;
    case "colours":
      return rng.int(2, 4);
    case "bulky":
      return rng.chance(0.3) ? 2 : 1;
    case "single":
      return 1;
  }
}

function money(cents: number): string {
  return (cents / 100).toFixed(2);
}

/** Units at each location for one variant; `demand` scales the depth. */
function stockFor(scheme: Scheme, demand: number, rng: Rng): Record<string, number> {
  const inventory: Record<string, number> = {};
  const bulky = scheme === "bulky";
  for (const w of WAREHOUSES) {
    const stocked = w.address.countryCode === "CA" ? rng.chance(0.7) : rng.chance(0.92);
    if (!stocked) continue;
    inventory[w.name] = rng.chance(0.12) ? 0 : Math.max(0, Math.round(rng.int(8, 90) * demand * (bulky ? 0.4 : 1)));
  }
  if (!bulky) {
    for (const s of STORES) {
      if (!rng.chance(scheme === "single" || scheme === "colours" ? 0.55 : 0.7)) continue;
      inventory[s.name] = rng.chance(0.25) ? 0 : Math.max(0, Math.round(rng.int(1, 12) * demand));
    }
  }
  if (bulky || ((scheme === "single" || scheme === "colours") && rng.chance(0.3))) {
    inventory[DROPSHIP.name] = rng.int(25, 200);
  }
  return inventory;
}

function variantTitle(colour: string | undefined, size: string | undefined): string {
  const parts = [colour, size].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(" / ") : "Default Title";
}

export function buildCatalog(rng: Rng): ProductSeed[] {
  return TEMPLATES.map((tpl, index) => {
    const number = String(index + 1).padStart(3, "0");
    const sizes = sizesFor(tpl.scheme, rng);
    const colours = tpl.scheme === "single" ? [] : shuffle(COLOURS, rng).slice(0, colourCount(tpl.scheme, rng));
    const variants: VariantSeed[] = [];
    const colourList: (readonly [string, string] | undefined)[] = colours.length > 0 ? colours : [undefined];
    const sizeList: (string | undefined)[] = sizes.length > 0 ? sizes : [undefined];
    for (const colour of colourList) {
      for (const size of sizeList) {
        const sku = [tpl.code, number, colour?.[1], size].filter((p) => p !== undefined).join("-");
        const demand = size === undefined ? 1 : (SIZE_DEMAND[size] ?? 0.8);
        const upcharge = size === "XXL" ? 300 : 0;
        variants.push({
          sku,
          title: variantTitle(colour?.[0], size),
          price: money(tpl.price + upcharge),
          inventory: stockFor(tpl.scheme, demand, rng),
        });
      }
    }
    return {
      title: tpl.title,
      vendor: tpl.vendor,
      productType: tpl.productType,
      tags: [tpl.productType.toLowerCase(), tpl.scheme === "bulky" ? "ships-separately" : "standard-shipping"],
      variants,
    };
  });
}

/** A few SKUs held in one place only, one or two units: the orders that test promising. */
export function makeScarce(products: ProductSeed[], rng: Rng, count: number): string[] {
  const all = products.flatMap((p) => p.variants);
  const chosen = new Set<string>();
  while (chosen.size < count && chosen.size < all.length) chosen.add(rng.pick(all).sku);
  for (const v of all) {
    if (!chosen.has(v.sku)) continue;
    const places = Object.keys(v.inventory);
    const keep = places.length > 0 ? rng.pick(places) : (WAREHOUSES[0]?.name ?? "");
    v.inventory = { [keep]: rng.int(1, 2) };
  }
  return [...chosen];
}

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
