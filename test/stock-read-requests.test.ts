// Level read requests: coalesced per level, served oldest first, and a request made while a read
// is in flight is not lost when that read clears what it served.
import { describe, expect, it } from "vitest";
import { clearLevelReads, markPushed, observeOnHand, pendingLevelReads, requestLevelReadUnlessEcho, requestLevelReads } from "~/.server/db/stock";

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

  it("an inventory_levels/update asks for a read unless it is the echo of the OMS's own recent push", async () => {
    const shop = "read-requests-echo.myshopify.com";
    const level = { inventoryItemId: item(7), locationId: loc(3) };
    const pending = async () => (await pendingLevelReads(shop, 10)).map((r) => [r.inventoryItemId, r.version]);
    // A level never pushed: any change is read.
    expect(await requestLevelReadUnlessEcho(shop, level, 5, at(0), at(10))).toBe(true);
    await clearLevelReads(shop, await pendingLevelReads(shop, 10));
    await observeOnHand(shop, level.inventoryItemId, level.locationId, "ECHO-1", 9, at(10));
    await markPushed(shop, [{ ...level, available: 6, heldBack: 3 }], at(20));
    // The push's own echo (the available it left, within the window): nothing to read.
    expect(await requestLevelReadUnlessEcho(shop, level, 6, at(15), at(21))).toBe(false);
    expect(await pending()).toEqual([]);
    // Another available (a checkout after the push), no available in the payload, or an echo after the window: read.
    expect(await requestLevelReadUnlessEcho(shop, level, 5, at(15), at(22))).toBe(true);
    expect(await requestLevelReadUnlessEcho(shop, level, null, at(15), at(23))).toBe(true);
    expect(await requestLevelReadUnlessEcho(shop, level, 6, at(25), at(24))).toBe(true);
    expect(await pending()).toEqual([[item(7), 3]]);
  });
});
