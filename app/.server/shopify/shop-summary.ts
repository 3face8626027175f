import type { AdminApiContext } from "@shopify/shopify-app-remix/server";
import { SHOP_SUMMARY } from "./documents/shop";

export type ShopSummary = { name: string; currencyCode: string; shopifyPlus: boolean };

export async function fetchShopSummary(admin: AdminApiContext): Promise<ShopSummary> {
  const res = await admin.graphql(SHOP_SUMMARY);
  const { data } = await res.json();
  if (!data) throw new Error("shop summary: empty response");
  return { name: data.shop.name, currencyCode: data.shop.currencyCode, shopifyPlus: data.shop.plan.shopifyPlus };
}
