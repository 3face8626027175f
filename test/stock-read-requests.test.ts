// Level read requests: coalesced per level, served oldest first, and a request made while a read
// is in flight is not lost when that read clears what it served.
import { describe, expect, it } from "vitest";
import { clearLevelReads, pendingLevelReads, requestLevelReads } from "~/.server/db/stock";

const SHOP = "read-requests.myshopify.com";
const item = (n: number) => `gid://shopify/InventoryItem/${n}`;
const loc = (n: number) => `gid://shopify/Location/${n}`;
const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s));

describe("stock read requests", () => {
  it("keeps one request per level, serves the oldest first, and keeps a request made during a read", async () => {
    await requestLevelReads(
      SHOP,
      [
        { inventoryItemId: item(1), locationId: loc(1) },
        { inventoryItemId: item(1), locationId: loc(1) },
      ],
      at(1),
    );
    await requestLevelReads(SHOP, [{ inventoryItemId: item(2), locationId: loc(1) }], at(2));
    const served = await pendingLevelReads(SHOP, 10);
    expect(served.map((r) => [r.inventoryItemId, r.version])).toEqual([
      [item(1), 1],
      [item(2), 1],
    ]);

    // While the flush reads Shopify, the first level changes again (even with an older job clock).
    await requestLevelReads(SHOP, [{ inventoryItemId: item(1), locationId: loc(1) }], at(0));
    await clearLevelReads(SHOP, served);
    const left = await pendingLevelReads(SHOP, 10);
    expect(left.map((r) => [r.inventoryItemId, r.locationId, r.version])).toEqual([[item(1), loc(1), 2]]);

    await clearLevelReads(SHOP, left);
    expect(await pendingLevelReads(SHOP, 10)).toEqual([]);
  });
});
