// Incoming stock, entered by the merchant, is what dates units no location has today: a cart short
// at every location gets a second parcel after the arrival; without an entry, no date.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { editIncomingStock, incomingView } from "~/.server/services/promise/incoming-admin";
import { closePromiseCache } from "~/.server/services/promise/promise-cache";
import { quotePromise } from "~/.server/services/promise/quote-promise";
import { DALLAS, RENO, seedPromiseShop, TEE } from "./helpers/promise-shop";

const SHOP = `promise-incoming-${Date.now()}.myshopify.com`;
// Tuesday 1 December 2026, 10:00 in Dallas.
const NOW = new Date("2026-12-01T16:00:00Z");
const cart = { lines: [{ variantId: TEE.variantId, quantity: 3 }], address: { countryCode: "US", provinceCode: "OK", zip: "73102" } };
const TEE_ID = TEE.variantId.split("/").pop()!;
const entry = { reference: "PO-7", locationId: DALLAS, item: TEE_ID, quantity: 10, expectedDate: "2026-12-02", remove: false };

describe("incoming stock dates the units no location has", () => {
  beforeAll(async () => {
    // One tee in Reno, none anywhere else: a cart of three is short at every location.
    await seedPromiseShop(SHOP, NOW, { tee: { [RENO]: 1 } });
  });
  afterAll(async () => {
    await closePromiseCache();
  });

  it("without an incoming entry the short units get no date, and the cart no window", async () => {
    const { view } = await quotePromise(SHOP, cart, NOW);
    expect(view.parcels.map((p) => [p.location, p.kind, p.shipDate])).toEqual([["Reno NV", "stock", "2026-12-01"]]);
    expect(view.undated).toEqual([{ variantId: TEE.variantId, quantity: 2 }]);
    expect(view.windows).toEqual([]);
    expect(view.confidence).toBe("none");
  });

  it("refuses an entry with reasons: unknown location or item, no reference, a quantity or date that cannot be", async () => {
    const bad = await editIncomingStock(
      SHOP,
      { ...entry, reference: " ", locationId: "gid://shopify/Location/999", item: "NO-SUCH-SKU", quantity: 0, expectedDate: "2026-11-30" },
      "user:7",
      NOW,
    );
    expect(bad.ok ? [] : bad.error).toEqual([
      "location must be one of the shop's locations",
      'no item with SKU or variant "NO-SUCH-SKU" is stocked by this shop',
      "reference (PO or transfer number) is required, at most 64 characters",
      "quantity must be a whole number from 1 to 1000000",
      "expected date must not be before today (2026-12-01 at the location)",
    ]);
    const badDate = await editIncomingStock(SHOP, { ...entry, expectedDate: "2026-12-32" }, "user:7", NOW);
    expect(badDate.ok ? [] : badDate.error).toEqual(["expected date must be a date (YYYY-MM-DD)"]);
    expect(await db().incomingStock.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("an entry (audited, by the shop's own variant id) gives the short units a dated second parcel at once", async () => {
    expect((await editIncomingStock(SHOP, entry, "user:7", NOW)).ok).toBe(true);
    const row = await db().incomingStock.findFirstOrThrow({ where: { shop: SHOP } });
    expect(row).toMatchObject({
      reference: "PO-7",
      inventoryItemId: TEE.inventoryItemId,
      locationId: DALLAS,
      quantity: 10,
      expectedDate: "2026-12-02",
      updatedBy: "user:7",
    });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { shop: SHOP, subject: "incoming-stock" } });
    expect(audit).toMatchObject({ actor: "user:7", summary: "Incoming stock PO-7: 10 × 0993 at Dallas TX, expected 2026-12-02" });

    // Same cart, same minute: not the cached "no date" — the entry moved the shop's promise version.
    const { view, cache } = await quotePromise(SHOP, cart, NOW);
    expect(cache).toBe("miss");
    expect(view.parcels.map((p) => [p.location, p.kind, p.shipDate, p.lines[0]!.quantity])).toEqual([
      ["Reno NV", "stock", "2026-12-01", 1],
      ["Dallas TX", "restock", "2026-12-03", 2],
    ]);
    expect(view.undated).toEqual([]);
    expect(view.windows.map((w) => w.method)).toEqual(["standard", "express"]);
    expect(view.reason).toContain("second parcel ships Thursday from Dallas TX after restock");

    // Saved again with a later date: one entry, updated.
    expect((await editIncomingStock(SHOP, { ...entry, expectedDate: "2026-12-07" }, "user:8", NOW)).ok).toBe(true);
    expect(await db().incomingStock.count({ where: { shop: SHOP } })).toBe(1);
    expect((await quotePromise(SHOP, cart, NOW)).view.parcels[1]).toMatchObject({ location: "Dallas TX", kind: "restock", shipDate: "2026-12-08" });
  });

  it("the page lists entries, marks an overdue one (no longer promised on), and a removal is audited and undates the units again", async () => {
    const later = new Date("2026-12-09T16:00:00Z");
    const v = await incomingView(SHOP, later);
    expect(v.rows).toEqual([
      expect.objectContaining({
        reference: "PO-7",
        location: "Dallas TX",
        item: "0993",
        quantity: 10,
        expectedDate: "2026-12-07",
        overdue: true,
        updatedBy: "user:8",
      }),
    ]);
    // A week on, Reno's observation is stale too (fail-closed): all three short, and the overdue arrival dates none of them.
    expect((await quotePromise(SHOP, cart, later)).view.undated).toEqual([{ variantId: TEE.variantId, quantity: 3 }]);

    expect((await editIncomingStock(SHOP, { ...entry, item: TEE.inventoryItemId, remove: true }, "user:7", NOW)).ok).toBe(true);
    const again = await editIncomingStock(SHOP, { ...entry, item: TEE.inventoryItemId, remove: true }, "user:7", NOW);
    expect(again.ok ? [] : again.error).toEqual(["no incoming entry PO-7 for 0993 at Dallas TX"]);
    expect(await db().incomingStock.count({ where: { shop: SHOP } })).toBe(0);
    expect((await incomingView(SHOP, NOW)).audit[0]).toMatchObject({ actor: "user:7", summary: "Incoming stock removed: PO-7 · 0993 at Dallas TX" });
    expect((await quotePromise(SHOP, cart, NOW)).view.undated).toEqual([{ variantId: TEE.variantId, quantity: 2 }]);
  });
});
