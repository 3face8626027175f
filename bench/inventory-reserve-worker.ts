// One of the processes of bench/inventory-reserve.ts: reserves orders of 1–3 lines at one location
// on the hot set as fast as it can, one reservation in flight at a time.
// argv: <index> <shop> <items> <locations> <run tag>. Prints "ready", waits for "go <seconds>" on
// stdin, then prints one line "result <json>".
import { createInterface } from "node:readline";
import { db } from "~/.server/db/client";
import { stockLevels } from "~/.server/db/stock";
import { withOrderLock } from "~/.server/db/order-lock";
import { applyOrderReservations } from "~/.server/db/stock";
import { hotItem, hotLocation } from "./inventory-lib";

const [indexArg, shop, itemsArg, locationsArg, tag] = process.argv.slice(2) as [string, string, string, string, string];
const index = Number(indexArg);
const items = Number(itemsArg);
const locations = Number(locationsArg);
let seed = index * 7919 + 17;
const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;

// Connect and warm the query paths up with a read (a warm-up reservation would take stock).
await stockLevels(shop);
console.log("ready");
const go = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once("line", resolve));
const seconds = Number(go.split(" ")[1]);

const granted: number[] = [];
const refused: number[] = [];
const errors: string[] = [];
const units = new Map<string, number>();
let lastGrantMs = 0;
const t0 = performance.now();
const deadline = t0 + seconds * 1000;
for (let n = 0; performance.now() < deadline; n++) {
  const loc = hotLocation(rand(locations));
  const count = [1, 1, 1, 1, 1, 1, 2, 2, 2, 3][rand(10)]!;
  const lines = Array.from({ length: count }, () => ({ inventoryItemId: hotItem(rand(items)), locationId: loc, quantity: 1 + rand(2) }));
  const key = `bench-${tag}-${index}-${n}`;
  const started = performance.now();
  try {
    // Each reservation is a new order: production's primitive (the order's lock, then its plan applied).
    const summed = new Map<string, number>();
    for (const l of lines) summed.set(l.inventoryItemId, (summed.get(l.inventoryItemId) ?? 0) + l.quantity);
    const plan = [...summed]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([inventoryItemId, quantity]) => ({ kind: "reserve" as const, inventoryItemId, locationId: loc, quantity, key: `${key}:${inventoryItemId}` }));
    const r = await withOrderLock(shop, key, () => applyOrderReservations(shop, key, () => plan, new Date(), "bench"));
    const ms = performance.now() - started;
    for (const m of r.applied) units.set(`${m.inventoryItemId}|${m.locationId}`, (units.get(`${m.inventoryItemId}|${m.locationId}`) ?? 0) + m.quantity);
    if (!r.shortfalls.length) {
      granted.push(ms);
      lastGrantMs = performance.now() - t0;
    } else refused.push(ms);
  } catch (e) {
    errors.push(e instanceof Error ? e.message.split("\n")[0]! : String(e));
  }
}
const elapsedMs = performance.now() - t0;
console.log(`result ${JSON.stringify({ index, elapsedMs, lastGrantMs, granted, refused, errors, units: Object.fromEntries(units) })}`);
await db().$disconnect();
process.exit(0);
