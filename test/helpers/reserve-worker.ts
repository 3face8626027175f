// One of several processes racing on the same orders (test/stock-concurrency*.test.ts), through the
// path production takes: each attempt re-reads an order's fulfilment groups (a random location,
// 1–2 lines) and applies them with `applyOrderRead` — groups, reservations and progress under the
// order's lock, as sync-order.ts does after its Shopify read — or re-checks the order's
// reservations with `syncOrderReservations`, as the reconciler and order webhooks do.
// argv: <worker index> <attempts>. Prints one line "done <attempts>".
import { db } from "~/.server/db/client";
import { startGroupsRead } from "~/.server/db/order-lock";
import { closeQueues } from "~/.server/queue/queues";
import { syncOrderReservations } from "~/.server/services/order-stock";
import { applyOrderRead } from "~/.server/services/sync-order";
import { ITEMS, LOCATIONS, RACE_SHOP, raceOrderIds } from "./race-world";

const [index, attempts] = process.argv.slice(2).map(Number) as [number, number];
let seed = index * 7919 + 17;
const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
const orders = await raceOrderIds();

for (let a = 0; a < attempts; a++) {
  const orderId = orders[rand(orders.length)]!;
  const p = { at: new Date(), actor: `race-worker-${index}`, source: "oms" as const, deliveryId: null };
  if (a % 5 === 4) {
    await syncOrderReservations(RACE_SHOP, orderId, p);
    continue;
  }
  const locationId = LOCATIONS[rand(LOCATIONS.length)]!;
  const first = ITEMS[rand(ITEMS.length)]!;
  const line = (inventoryItemId: string, n: number, quantity: number) => ({
    foLineId: `fol-${a}-${n}`,
    lineItemId: `li-${n}`,
    sku: null,
    inventoryItemId,
    quantity,
    remaining: quantity,
  });
  // Every fourth read has two lines of the same item: they must fit together.
  const lines = a % 4 === 0 ? [line(first, 1, 1), line(first, 2, 1)] : [line(first, 1, 1 + rand(2)), line(ITEMS[rand(ITEMS.length)]!, 2, 1)];
  const ticket = await startGroupsRead(RACE_SHOP, orderId);
  const groups = [
    {
      sourceId: `gid://shopify/FulfillmentOrder/${orderId}-${locationId.split("/").pop()}`,
      status: "OPEN",
      requestStatus: "UNSUBMITTED",
      deliveryMethod: "SHIPPING",
      locationId,
      locationName: null,
      lines,
    },
  ];
  await applyOrderRead(RACE_SHOP, orderId, ticket, { updatedAt: p.at, cancelledAt: null, groups, fulfillments: [] }, "race", p);
}
console.log(`done ${attempts}`);
await closeQueues();
await db().$disconnect();
