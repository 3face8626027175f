// Many processes reserving the last units of several items at two locations, on one real SQLite
// database: nothing is ever oversold, and the ledger explains every balance.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { ledgerDrift, observeOnHand, stockLevels } from "~/.server/db/stock";
import { releaseLines, reserveLines } from "~/.server/services/reserve-stock";
import { atp } from "~/domain/inventory/atp";

const run = promisify(execFile);
const SHOP = "race.myshopify.com";
const ITEMS = ["gid://shopify/InventoryItem/1", "gid://shopify/InventoryItem/2", "gid://shopify/InventoryItem/3"];
const LOCATIONS = ["gid://shopify/Location/10", "gid://shopify/Location/20"];

describe("stock reservations under contention", () => {
  it("four processes racing for the last units never oversell, and the ledger equals the balances", { timeout: 120_000 }, async () => {
    for (const item of ITEMS) for (const loc of LOCATIONS) await observeOnHand(SHOP, item, loc, null, 6, new Date());
    await db().stockLevel.updateMany({ where: { shop: SHOP, inventoryItemId: ITEMS[2] }, data: { safetyStock: 2 } });

    const worker = path.resolve(__dirname, "helpers/reserve-worker.ts");
    const outputs = await Promise.all([0, 1, 2, 3].map((i) => run(process.execPath, ["--no-warnings", "--import", "tsx", worker, String(i), "30"], { env: process.env, cwd: path.resolve(__dirname, "..") })));
    const granted = outputs.flatMap((o) => o.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { inventoryItemId: string; locationId: string; quantity: number }[]));

    const levels = await stockLevels(SHOP);
    for (const l of levels) {
      expect(l.reserved, `${l.inventoryItemId} at ${l.locationId}`).toBeLessThanOrEqual(l.onHand - l.safetyStock);
      expect(atp(l)).toBeGreaterThanOrEqual(0);
      const sum = granted.flat().filter((g) => g.inventoryItemId === l.inventoryItemId && g.locationId === l.locationId).reduce((n, g) => n + g.quantity, 0);
      expect(l.reserved).toBe(sum);
    }
    // The race was real: some reservations won, others were refused, and stock ran out somewhere.
    expect(granted.length).toBeGreaterThan(5);
    expect(granted.length).toBeLessThan(120);
    expect(levels.some((l) => atp(l) === 0)).toBe(true);
    expect(await ledgerDrift(SHOP)).toEqual([]);
  });

  it("a replayed reservation or release changes nothing; a release never takes reserved below zero", async () => {
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
  });
});
