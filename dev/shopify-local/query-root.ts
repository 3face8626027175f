import { connection, gid, idOf } from "./gid";
import {
  presentFulfillment,
  presentFulfillmentOrder,
  presentInventoryItem,
  presentLevel,
  presentLocation,
  presentOrder,
  presentProduct,
  presentVariant,
} from "./presenters";
import { presentReturn } from "./returns";
import { presentRefund } from "./refunds";
import { levelKey, type Order, type ShopState } from "./store";

type ConnArgs = { first?: number; last?: number; after?: string; before?: string; reverse?: boolean; query?: string };

/**
 * Shopify's search syntax, for the filters the OMS uses: `status:open`, `created_at:>=2026-01-01`,
 * `updated_at:>=…`, `id:>=1234` (a numeric id range), `source_identifier:<id>` and
 * `source_name:<channel>` (a value may be double-quoted), joined with OR (anything else is ignored,
 * as Shopify ignores unknown terms).
 */
export function matchesOrderQuery(o: Order, query: string | undefined): boolean {
  if (!query?.trim()) return true;
  return query.split(/\s+OR\s+/).some((clause) =>
    clause
      .trim()
      .split(/\s+/)
      .every((term) => {
        const m = /^(\w+):(>=|<=|>|<)?(.+)$/.exec(term);
        if (!m) return true;
        const [, key, op, raw] = m;
        const value = /^".*"$/.test(raw!) ? raw!.slice(1, -1) : raw;
        if (key === "status")
          return value === "open"
            ? !o.closedAt && !o.cancelledAt
            : value === "closed"
              ? Boolean(o.closedAt)
              : value === "cancelled"
                ? Boolean(o.cancelledAt)
                : true;
        if (key === "created_at" || key === "updated_at") {
          const at = Date.parse(key === "created_at" ? o.createdAt : o.updatedAt);
          const bound = Date.parse(value!);
          if (Number.isNaN(bound)) return true;
          return op === ">=" ? at >= bound : op === ">" ? at > bound : op === "<=" ? at <= bound : op === "<" ? at < bound : at === bound;
        }
        if (key === "name") return o.name === value || o.name === `#${value}`;
        if (key === "source_identifier") return o.sourceIdentifier === value;
        if (key === "source_name") return o.sourceName === value;
        if (key === "id") {
          const bound = Number(value);
          if (!Number.isInteger(bound)) return true;
          return op === ">=" ? o.id >= bound : op === ">" ? o.id > bound : op === "<=" ? o.id <= bound : op === "<" ? o.id < bound : o.id === bound;
        }
        return true;
      }),
  );
}

export function queryRoot(shop: ShopState) {
  const orders = () => [...shop.orders.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  const nodeById = (id: string): unknown => {
    const type = /^gid:\/\/shopify\/(\w+)\//.exec(id)?.[1];
    switch (type) {
      case "Order": {
        const o = shop.orders.get(idOf("Order", id) ?? -1);
        return o ? presentOrder(shop, o) : null;
      }
      case "FulfillmentOrder": {
        const fo = shop.fulfillmentOrders.get(idOf("FulfillmentOrder", id) ?? -1);
        return fo ? presentFulfillmentOrder(shop, fo) : null;
      }
      case "Location": {
        const l = shop.locations.get(idOf("Location", id) ?? -1);
        return l ? presentLocation(shop, l) : null;
      }
      case "ProductVariant": {
        const v = shop.variants.get(idOf("ProductVariant", id) ?? -1);
        return v ? presentVariant(shop, v) : null;
      }
      case "Return": {
        const r = shop.returns.get(idOf("Return", id) ?? -1);
        return r ? presentReturn(shop, r) : null;
      }
      case "Fulfillment": {
        const f = shop.fulfillments.get(idOf("Fulfillment", id) ?? -1);
        return f ? presentFulfillment(shop, f) : null;
      }
      case "ReverseFulfillmentOrder": {
        const rfoId = idOf("ReverseFulfillmentOrder", id) ?? -1;
        const r = [...shop.returns.values()].find((x) => x.reverseFulfillmentOrderId === rfoId);
        return r ? (presentReturn(shop, r).reverseFulfillmentOrders({}).nodes[0] ?? null) : null;
      }
      case "Refund": {
        const refundId = idOf("Refund", id) ?? -1;
        for (const o of shop.orders.values()) {
          const r = o.refunds.find((x) => x.id === refundId);
          if (r) return presentRefund(o, r);
        }
        return null;
      }
      case "Product":
        return presentProduct(shop, idOf("Product", id) ?? -1);
      case "InventoryLevel": {
        // Shopify's level ids name the location, with the item as a query parameter.
        const item = Number(/[?&]inventory_item_id=(\d+)/.exec(id)?.[1] ?? NaN);
        const lv = shop.levels.get(levelKey(item, idOf("InventoryLevel", id) ?? -1));
        return lv ? presentLevel(shop, lv) : null;
      }
      case "InventoryItem": {
        const v = [...shop.variants.values()].find((x) => x.inventoryItemId === idOf("InventoryItem", id));
        return v ? presentInventoryItem(shop, v) : null;
      }
      default:
        return null;
    }
  };
  return {
    shop: {
      __typename: "Shop",
      id: gid("Shop", shop.id),
      name: shop.name,
      myshopifyDomain: shop.domain,
      currencyCode: shop.currencyCode,
      email: `owner@${shop.domain}`,
      plan: {
        partnerDevelopment: shop.plan === "partner_test",
        shopifyPlus: shop.plan === "shopify_plus",
        displayName: shop.plan,
        publicDisplayName: shop.plan,
      },
      ianaTimezone: "America/New_York",
      timezoneAbbreviation: "EST",
    },
    order: ({ id }: { id: string }) => nodeById(id),
    orders: (args: ConnArgs) =>
      connection(
        orders()
          .filter((o) => matchesOrderQuery(o, args.query))
          .map((o) => presentOrder(shop, o)),
        args,
      ),
    fulfillmentOrder: ({ id }: { id: string }) => nodeById(id),
    return: ({ id }: { id: string }) => nodeById(id),
    fulfillment: ({ id }: { id: string }) => nodeById(id),
    reverseFulfillmentOrder: ({ id }: { id: string }) => nodeById(id),
    refund: ({ id }: { id: string }) => nodeById(id),
    location: ({ id }: { id?: string }) => (id ? nodeById(id) : presentLocation(shop, [...shop.locations.values()][0]!)),
    locations: (args: ConnArgs & { includeInactive?: boolean }) =>
      connection(
        [...shop.locations.values()].filter((l) => args.includeInactive || l.isActive).map((l) => presentLocation(shop, l)),
        args,
      ),
    productVariant: ({ id }: { id: string }) => nodeById(id),
    productVariants: (args: ConnArgs) =>
      connection(
        [...shop.variants.values()]
          .filter((v) => !args.query || args.query.split(/\s+OR\s+/).some((q) => q === `sku:${v.sku}`))
          .map((v) => presentVariant(shop, v)),
        args,
      ),
    product: ({ id }: { id: string }) => nodeById(id),
    products: (args: ConnArgs) =>
      connection(
        [...shop.products.keys()].map((id) => presentProduct(shop, id)),
        args,
      ),
    inventoryItem: ({ id }: { id: string }) => nodeById(id),
    node: ({ id }: { id: string }) => nodeById(id),
    nodes: ({ ids }: { ids: string[] }) => ids.map(nodeById),
  };
}
