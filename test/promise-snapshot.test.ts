// A promise miss computes from this process's copies of the shop's data, kept under the Redis
// versions they were read for (promise-snapshot.ts): every write that changes what a promise rests
// on moves a version, and the next miss — even for a cart never asked before — answers from the new data.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { bumpStockVersions } from "~/.server/db/promise-versions";
import { activateRuleSet, saveDecision, saveLocationProfile } from "~/.server/db/sourcing";
import { applyOrderReservations } from "~/.server/db/stock";
import { saveSafetyStockRule } from "~/.server/db/stock-settings";
import { closePromiseCache } from "~/.server/services/promise/promise-cache";
import { closeQueues } from "~/.server/queue/queues";
import { effectiveSafetyStock } from "~/domain/inventory/safety-stock";
import { mintCheckoutToken } from "../dev/shopify-local/session-token";
import { APP_KEY, APP_SECRET } from "./helpers/dev-shop";
import { viaServer } from "./helpers/lean-path";
import { DALLAS, EDISON, MUG, RENO, seedPromiseShop, setStock, TEE } from "./helpers/promise-shop";

afterAll(async () => {
  await closePromiseCache();
  await closeQueues();
});

type View = {
  id: string;
  parcels: { location: string; lines: { variantId: string; quantity: number }[] }[];
  undated: { variantId: string; quantity: number }[];
};

let n = 0;
/** A fresh shop, known to this process (its first request went through the route). */
async function shop(): Promise<string> {
  const s = `promise-snap-${Date.now()}-${++n}.myshopify.com`;
  await seedPromiseShop(s, new Date());
  await ask(s, [{ variantId: TEE.variantId, quantity: 1 }], 0);
  return s;
}

/** A miss through the server's way in (the lean path): every call a place not asked before, so never a cached answer. */
let place = 0;
async function miss(shop: string, lines: { variantId: string; quantity: number }[]): Promise<View> {
  const served = await ask(shop, lines, ++place);
  expect(served.lean).toBe(true);
  expect(served.res.headers.get("x-promise-cache")).toBe("miss");
  return (await served.res.json()) as View;
}

function ask(shop: string, lines: { variantId: string; quantity: number }[], i: number) {
  const body = { lines, address: { countryCode: "US", provinceCode: "OK", zip: "73102", latitude: 35.4 + i / 100, longitude: -97.5 } };
  const token = mintCheckoutToken({ shop, apiKey: APP_KEY, apiSecret: APP_SECRET, now: new Date() });
  return viaServer(
    new Request("http://localhost/api/promise", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }),
  );
}

const mugs = (quantity: number) => [
  { variantId: TEE.variantId, quantity: 1 },
  { variantId: MUG.variantId, quantity },
];
const locations = (v: View) => v.parcels.map((p) => p.location);

describe("a promise miss answers from the data as of the versions it read", () => {
  it("a stock write between two misses changes the answer (observed stock, both ways)", async () => {
    const s = await shop();
    const before = await miss(s, mugs(2));
    expect(locations(before)).toEqual(["Edison NJ"]);
    expect(before.undated).toEqual([]);

    await setStock(s, new Date(), MUG, { [EDISON]: 0 });
    const soldOut = await miss(s, mugs(2));
    expect(soldOut.undated).toEqual([{ variantId: MUG.variantId, quantity: 2 }]);

    await setStock(s, new Date(), MUG, { [EDISON]: 1, [DALLAS]: 4 });
    const restocked = await miss(s, mugs(2));
    expect(restocked.undated).toEqual([]);
    expect(locations(restocked)).toEqual(["Dallas TX"]);
  });

  it("an order's reservation between two misses changes the answer", async () => {
    const s = await shop();
    expect((await miss(s, mugs(2))).undated).toEqual([]);
    await applyOrderReservations(
      s,
      "gid://shopify/Order/7",
      () => [{ kind: "reserve", inventoryItemId: MUG.inventoryItemId, locationId: EDISON, quantity: 2, key: `r7:${s}` }],
      new Date(),
      "test",
    );
    expect((await miss(s, mugs(2))).undated).toEqual([{ variantId: MUG.variantId, quantity: 1 }]);
  });

  it("a safety-stock rule (which rewrites the levels and moves the shop's settings version) between two misses changes the answer", async () => {
    const s = await shop();
    expect((await miss(s, mugs(3))).undated).toEqual([]);
    await saveSafetyStockRule(
      s,
      { locationId: EDISON, inventoryItemId: MUG.inventoryItemId, quantity: 2 },
      (item, loc, rules) => effectiveSafetyStock(rules, item, loc),
      { at: new Date(), actor: "test", summary: "safety" },
    );
    expect((await miss(s, mugs(3))).undated).toEqual([{ variantId: MUG.variantId, quantity: 2 }]);
  });

  it("an order routed between two misses counts against the location's daily capacity at once", async () => {
    const s = await shop();
    await activateRuleSet(
      s,
      "capacity first",
      {
        rules: [{ type: "capacity" }, { type: "distance" }],
        split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
        backorder: { mode: "ship_available" },
      },
      "test",
      new Date(),
    );
    await saveLocationProfile(s, { locationId: DALLAS, dailyCapacity: 1 });
    const tee = [{ variantId: TEE.variantId, quantity: 1 }];
    // Oklahoma City: Dallas is the nearest tee.
    expect(locations(await miss(s, tee))).toEqual(["Dallas TX"]);
    // A dry run counts nothing.
    await saveDecision({
      shop: s,
      orderId: "gid://shopify/Order/8",
      mode: "dry_run",
      ruleSetId: "r",
      version: 1,
      outcome: "routed",
      applied: "not_applied",
      error: null,
      shipments: 1,
      backordered: 0,
      plan: { assignments: [{ locationId: DALLAS }] },
      at: new Date(),
    });
    expect(locations(await miss(s, tee))).toEqual(["Dallas TX"]);
    await saveDecision({
      shop: s,
      orderId: "gid://shopify/Order/9",
      mode: "live",
      ruleSetId: "r",
      version: 1,
      outcome: "routed",
      applied: "applied",
      error: null,
      shipments: 1,
      backordered: 0,
      plan: { assignments: [{ locationId: DALLAS }] },
      at: new Date(),
    });
    expect(locations(await miss(s, tee))).not.toContain("Dallas TX");
  });

  it("while no version moves, a miss reads no database (a write behind the writers' backs is not seen); once the item's version moves, it is", async () => {
    const s = await shop();
    expect((await miss(s, mugs(2))).undated).toEqual([]);
    // Not the repository's write: no version moves.
    await db().stockLevel.updateMany({ where: { shop: s, inventoryItemId: MUG.inventoryItemId }, data: { onHand: 0 } });
    expect((await miss(s, mugs(2))).undated).toEqual([]);
    // Another item's version moving does not re-read the mug…
    await bumpStockVersions(s, [TEE.inventoryItemId]);
    expect((await miss(s, mugs(2))).undated).toEqual([]);
    // …the mug's does.
    await bumpStockVersions(s, [MUG.inventoryItemId]);
    expect((await miss(s, mugs(2))).undated).toEqual([{ variantId: MUG.variantId, quantity: 2 }]);
    void RENO;
  });

  it("concurrent misses after a write all answer from the new stock", async () => {
    const s = await shop();
    expect((await miss(s, mugs(2))).undated).toEqual([]);
    await setStock(s, new Date(), MUG, { [EDISON]: 1 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => miss(s, mugs(2))));
    for (const a of answers) expect(a.undated).toEqual([{ variantId: MUG.variantId, quantity: 1 }]);
  });
});
