import { err, ok, type Result } from "~/domain/shared/result";
import { incomingEntryErrors } from "~/domain/promise/incoming";
import { localDate } from "~/domain/sourcing/calendar";
import { describeItems, incomingStockRows, saveIncomingStock, stockItemsMatching } from "../../db/promise";
import { locationProfiles } from "../../db/sourcing";
import { auditEvents, stockLocations } from "../../db/stock-settings";

// Incoming stock, entered by the merchant: a purchase order or transfer on its way (reference,
// location, item, quantity, the local day it is expected). The delivery promise ships units no
// location has today after their arrival ("second parcel ships Thursday after restock"); without
// an entry they get no date. Shopify's own `incoming` quantity carries no date, so it cannot be one.

export type IncomingInput = { reference: string; locationId: string; item: string; quantity: number; expectedDate: string; remove: boolean };

/** Sets or removes one entry, validated against the shop's locations and items, audited with the staff member who did it. */
export async function editIncomingStock(shop: string, input: IncomingInput, actor: string, now: Date): Promise<Result<null, string[]>> {
  const reference = input.reference.trim();
  const q = input.item.trim();
  const [locations, profiles, items] = await Promise.all([
    stockLocations(shop),
    locationProfiles(shop),
    q ? stockItemsMatching(shop, variantGid(q)) : Promise.resolve([]),
  ]);
  const location = locations.find((l) => l.id === input.locationId);
  const errors: string[] = [];
  if (!location) errors.push("location must be one of the shop's locations");
  if (!q) errors.push("item (SKU or variant ID) is required");
  else if (items.length === 0) errors.push(`no item with SKU or variant "${q}" is stocked by this shop`);
  else if (items.length > 1) errors.push(`SKU "${q}" is on ${items.length} items: enter the variant ID`);
  const timeZone = profiles.find((p) => p.locationId === input.locationId)?.timeZone;
  const today = timeZone ? localDate(now, timeZone) : now.toISOString().slice(0, 10);
  if (!input.remove) errors.push(...incomingEntryErrors({ reference, quantity: input.quantity, expectedDate: input.expectedDate }, today));
  else if (!reference) errors.push("reference (PO or transfer number) is required, at most 64 characters");
  if (errors.length) return err(errors);
  const item = items[0]!;
  const label = item.sku || item.variantId || item.inventoryItemId;
  const row = { reference, inventoryItemId: item.inventoryItemId, locationId: location!.id, quantity: input.quantity, expectedDate: input.expectedDate };
  const summary = input.remove
    ? `Incoming stock removed: ${reference} · ${label} at ${location!.name}`
    : `Incoming stock ${reference}: ${input.quantity} × ${label} at ${location!.name}, expected ${input.expectedDate}`;
  const changed = await saveIncomingStock(shop, row, input.remove, { at: now, actor, summary });
  return changed ? ok(null) : err([`no incoming entry ${reference} for ${label} at ${location!.name}`]);
}

/** A bare numeric variant id is Shopify's variant; anything else is matched as a SKU or a GID as typed. */
const variantGid = (q: string) => (/^\d+$/.test(q) ? `gid://shopify/ProductVariant/${q}` : q);

/** The page: every entry (overdue ones marked: the promise no longer uses them), and who changed what. */
export async function incomingView(shop: string, now: Date) {
  const [rows, locations, profiles, audit] = await Promise.all([
    incomingStockRows(shop),
    stockLocations(shop),
    locationProfiles(shop),
    auditEvents(shop, ["incoming-stock"], 10),
  ]);
  const items = await describeItems(shop, [...new Set(rows.map((r) => r.inventoryItemId))]);
  const name = new Map(locations.map((l) => [l.id, l.name]));
  const zoneOf = new Map(profiles.map((p) => [p.locationId, p.timeZone]));
  return {
    rows: rows.map((r) => {
      const tz = zoneOf.get(r.locationId);
      const today = tz ? localDate(now, tz) : now.toISOString().slice(0, 10);
      const item = items.get(r.inventoryItemId);
      return {
        reference: r.reference,
        locationId: r.locationId,
        inventoryItemId: r.inventoryItemId,
        location: name.get(r.locationId) ?? r.locationId,
        item: item?.sku || r.inventoryItemId,
        title: item?.title ?? "",
        quantity: r.quantity,
        expectedDate: r.expectedDate,
        overdue: r.expectedDate < today,
        updatedBy: r.updatedBy,
      };
    }),
    locations: locations.map((l) => ({ id: l.id, name: l.name })),
    audit: audit.map((a) => ({ at: a.at.toISOString(), actor: a.actor, summary: a.summary })),
  };
}
