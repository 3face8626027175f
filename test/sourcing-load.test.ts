// The daily-capacity counter: every live decision counts one order at each location it assigns,
// per UTC day; dry runs count nothing.
import { describe, expect, it } from "vitest";
import { ordersRoutedOn, saveDecision } from "~/.server/db/sourcing";

const SHOP = "daily-load.myshopify.com";
const A = "gid://shopify/Location/1";
const B = "gid://shopify/Location/2";
const decision = (mode: "live" | "dry_run", at: Date, locations: string[]) =>
  saveDecision({
    shop: SHOP,
    orderId: `o-${Math.random()}`,
    mode,
    ruleSetId: "default",
    version: 0,
    outcome: "split",
    applied: "applied",
    error: null,
    shipments: locations.length,
    backordered: 0,
    plan: {
      assignments: locations.flatMap((locationId) => [
        { locationId, lineId: "l1" },
        { locationId, lineId: "l2" },
      ]),
    },
    at,
  });

describe("orders routed per location and day", () => {
  it("counts each live order once per location it ships from, by UTC day, and ignores dry runs", async () => {
    const day = new Date("2026-11-30T23:59:00Z");
    await decision("live", day, [A, B]);
    await decision("live", new Date("2026-11-30T00:00:00Z"), [A]);
    await decision("dry_run", day, [A, B]);
    await decision("live", new Date("2026-12-01T00:00:01Z"), [B]);
    expect(await ordersRoutedOn(SHOP, day)).toEqual(
      new Map([
        [A, 2],
        [B, 1],
      ]),
    );
    expect(await ordersRoutedOn(SHOP, new Date("2026-12-01T12:00:00Z"))).toEqual(new Map([[B, 1]]));
    expect(await ordersRoutedOn("other.myshopify.com", day)).toEqual(new Map());
  });
});
