// The shop, items, locations and orders the racing processes share (test/helpers/reserve-worker.ts,
// test/helpers/stock-scenarios.ts). No vitest import: the worker processes load it too.
import { db } from "~/.server/db/client";

export const RACE_SHOP = "race.myshopify.com";
export const ITEMS = ["gid://shopify/InventoryItem/1", "gid://shopify/InventoryItem/2", "gid://shopify/InventoryItem/3"];
export const LOCATIONS = ["gid://shopify/Location/10", "gid://shopify/Location/20"];

export async function raceOrderIds(): Promise<string[]> {
  return (await db().order.findMany({ where: { shop: RACE_SHOP }, orderBy: { sourceId: "asc" }, select: { id: true } })).map((o) => o.id);
}
