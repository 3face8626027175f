// The reservation scenarios both databases must pass (test/stock-concurrency*.test.ts): the same
// assertions on SQLite and on PostgreSQL.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { db } from "~/.server/db/client";
import { ledgerDrift, observeOnHand, stockLevels } from "~/.server/db/stock";
import { releaseLines, reserveLines } from "~/.server/services/reserve-stock";
import { atp } from "~/domain/inventory/atp";

const run = promisify(execFile);
// The worker's shop, items and locations (test/helpers/reserve-worker.ts).
const SHOP = "race.myshopify.com";
export const ITEMS = ["gid://shopify/InventoryItem/1", "gid://shopify/InventoryItem/2", "gid://shopify/InventoryItem/3"];
export const LOCATIONS = ["gid://shopify/Location/10", "gid://shopify/Location/20"];

/**
 * `workers` processes, each with its own connection, race to reserve the last of 6 units of three
 * items at two locations (one item with safety stock 2), some orders with two lines of one item.
 */
export async function expectRaceNeverOversells(workers: number, attempts: number, env: NodeJS.ProcessEnv) {
  for (const item of ITEMS) for (const loc of LOCATIONS) await observeOnHand(SHOP, item, loc, null, 6, new Date());
  await db().stockLevel.updateMany({ where: { shop: SHOP, inventoryItemId: ITEMS[2] }, data: { safetyStock: 2 } });

  const worker = path.resolve(__dirname, "reserve-worker.ts");
  const outputs = await Promise.all(Array.from({ length: workers }, (_, i) => run(process.execPath, ["--no-warnings", "--import", "tsx", worker, String(i), String(attempts)], { env, cwd: path.resolve(__dirname, "../..") })));
  const granted = outputs.flatMap((o) => o.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { inventoryItemId: string; locationId: string; quantity: number }[]));

  const levels = await stockLevels(SHOP);
  expect(levels).toHaveLength(ITEMS.length * LOCATIONS.length);
  for (const l of levels) {
    expect(l.reserved, `${l.inventoryItemId} at ${l.locationId}`).toBeLessThanOrEqual(l.onHand - l.safetyStock);
    expect(atp(l)).toBeGreaterThanOrEqual(0);
    const sum = granted.flat().filter((g) => g.inventoryItemId === l.inventoryItemId && g.locationId === l.locationId).reduce((n, g) => n + g.quantity, 0);
    expect(l.reserved, `${l.inventoryItemId} at ${l.locationId}: granted`).toBe(sum);
  }
  // The race was real: some reservations won, others were refused, and stock ran out somewhere.
  expect(granted.length).toBeGreaterThan(5);
  expect(granted.length).toBeLessThan(workers * attempts);
  expect(levels.some((l) => atp(l) === 0)).toBe(true);
  expect(await ledgerDrift(SHOP)).toEqual([]);
}

export async function expectReplaysChangeNothing() {
  const shop = "replay.myshopify.com";
  await observeOnHand(shop, ITEMS[0]!, LOCATIONS[0]!, "TEE", 3, new Date());
  const line = [{ inventoryItemId: ITEMS[0]!, locationId: LOCATIONS[0]!, quantity: 2 }];
  expect(await reserveLines(shop, "reserve:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: false } });
  expect(await reserveLines(shop, "reserve:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: true } });
  expect(await reserveLines(shop, "reserve:o2", "o2", line, new Date())).toEqual({ ok: false, error: { code: "INSUFFICIENT_STOCK", inventoryItemId: ITEMS[0], locationId: LOCATIONS[0], requested: 2 } });
  expect(await releaseLines(shop, "release:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: false } });
  expect(await releaseLines(shop, "release:o1", "o1", line, new Date())).toEqual({ ok: true, value: { replayed: true } });
  expect((await releaseLines(shop, "release:o9", "o9", line, new Date())).ok).toBe(false);
  const [level] = await stockLevels(shop);
  expect(level).toMatchObject({ onHand: 3, reserved: 0 });
  expect(await ledgerDrift(shop)).toEqual([]);
}
