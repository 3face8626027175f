// The levels an order would reserve that the OMS holds no row for yet (read from Shopify before the
// order's lock): a level stays missing until its row exists, and a level seen once is never reported
// missing again (rows are never deleted), whichever shop asks next.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { missingLevels, observeOnHand } from "~/.server/db/stock";

const item = (n: number) => `gid://shopify/InventoryItem/${n}`;
const loc = (n: number) => `gid://shopify/Location/${n}`;
const at = new Date(Date.UTC(2026, 11, 2, 9, 0, 0));

describe("missing levels", () => {
  it("reports only the pairs without a row, until their row exists; per shop", async () => {
    const shop = "missing-levels.myshopify.com";
    const other = "missing-levels-other.myshopify.com";
    const a = { inventoryItemId: item(1), locationId: loc(1) };
    const b = { inventoryItemId: item(2), locationId: loc(1) };
    await observeOnHand(shop, a.inventoryItemId, a.locationId, "ML-1", 5, at);
    expect(await missingLevels(shop, [a, b])).toEqual([b]);
    // Asked again (a now known to this process): the same answer.
    expect(await missingLevels(shop, [a, b])).toEqual([b]);
    await observeOnHand(shop, b.inventoryItemId, b.locationId, "ML-2", 3, at);
    expect(await missingLevels(shop, [a, b])).toEqual([]);
    expect(await missingLevels(shop, [b, a])).toEqual([]);
    // Another shop's rows say nothing about this one.
    expect(await missingLevels(other, [a, b])).toEqual([a, b]);
    expect(await missingLevels(shop, [])).toEqual([]);
  });

  it("a level this process has observed is known without being looked for", async () => {
    const shop = "missing-levels-observed.myshopify.com";
    const c = { inventoryItemId: item(3), locationId: loc(2) };
    await observeOnHand(shop, c.inventoryItemId, c.locationId, "ML-3", 4, at);
    // The row gone behind the process's back (nothing in the app deletes levels): the observation
    // told the process it exists, so no lookup happens and it is not reported missing.
    await db().stockLevel.deleteMany({ where: { shop } });
    expect(await missingLevels(shop, [c])).toEqual([]);
  });
});
