// One of several processes racing to reserve the last units (test/stock-concurrency.test.ts).
// argv: <worker index> <attempts>; prints one JSON line per successful reservation.
import { db } from "~/.server/db/client";
import { reserveLines } from "~/.server/services/reserve-stock";

const [index, attempts] = process.argv.slice(2).map(Number) as [number, number];
const SHOP = "race.myshopify.com";
const items = ["gid://shopify/InventoryItem/1", "gid://shopify/InventoryItem/2", "gid://shopify/InventoryItem/3"];
const locations = ["gid://shopify/Location/10", "gid://shopify/Location/20"];
let seed = index * 7919 + 17;
const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;

for (let a = 0; a < attempts; a++) {
  const location = locations[rand(2)]!;
  const first = items[rand(3)]!;
  // Every fourth order has two lines of the same item: they must fit together.
  const lines = a % 4 === 0 ? [{ inventoryItemId: first, locationId: location, quantity: 1 }, { inventoryItemId: first, locationId: location, quantity: 1 }] : [{ inventoryItemId: first, locationId: location, quantity: 1 + rand(2) }, { inventoryItemId: items[rand(3)]!, locationId: location, quantity: 1 }];
  const result = await reserveLines(SHOP, `order-${index}-${a}`, `order-${index}-${a}`, lines, new Date());
  if (result.ok) console.log(JSON.stringify(lines));
}
await db().$disconnect();
