import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lookupAnswer } from "~/.server/db/promise-versions";
import { setLocationOffline } from "~/.server/db/changes";
import { activateRuleSet, saveLocationProfile } from "~/.server/db/sourcing";
import { saveInventoryPolicy, saveSafetyStockRule } from "~/.server/db/stock-settings";
import { editTransitTime } from "~/.server/services/promise/transit-admin";
import { effectiveSafetyStock } from "~/domain/inventory/safety-stock";
import { applyOrderReservations } from "~/.server/db/stock";
import { closePromiseCache, storeAnswer } from "~/.server/services/promise/promise-cache";
import { cartKeyOf } from "~/.server/services/promise/quote-promise";
import { closeQueues } from "~/.server/queue/queues";
import { action, loader } from "~/routes/api.promise";
import { mintCheckoutToken } from "../dev/shopify-local/session-token";
import { APP_KEY, APP_SECRET } from "./helpers/dev-shop";
import { shape, viaServer, type Served } from "./helpers/lean-path";
import { DALLAS, EDISON, MUG, RENO, seedPromiseShop, setStock, TEE } from "./helpers/promise-shop";

const okc = { countryCode: "US", provinceCode: "OK", zip: "73102" };
const token = (shop: string, o: { secret?: string; now?: Date; ttl?: number } = {}) =>
  mintCheckoutToken({ shop, apiKey: APP_KEY, apiSecret: o.secret ?? APP_SECRET, now: o.now ?? new Date(), ttlSeconds: o.ttl });
const request = (body: unknown, auth: string | null, method = "POST") =>
  new Request("http://localhost/api/promise", {
    method,
    headers: { "content-type": "application/json", origin: "https://extensions.shopifycdn.com", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: method === "POST" ? (typeof body === "string" ? body : JSON.stringify(body)) : undefined,
  });
const viaRoute = async (r: Request): Promise<Served> => ({ res: (await action({ request: r, params: {}, context: {} })) as Response, lean: false });

afterAll(async () => {
  await closePromiseCache();
  await closeQueues();
});

// Every case twice: the Remix route alone, and the way server.ts serves it (the lean path first).
describe.each([
  ["the route", viaRoute],
  ["the server (lean path first)", viaServer],
] as const)("POST /api/promise (checkout session token) through %s", (mode, serve) => {
  const SHOP = `promise-api-${mode === "the route" ? "r" : "s"}-${Date.now()}.myshopify.com`;
  const ask = async (body: unknown, auth: string | null = token(SHOP), method = "POST") => (await serve(request(body, auth, method))).res;

  beforeAll(async () => {
    await seedPromiseShop(SHOP, new Date());
  });

  it("401 without a token, with a forged or expired one, and for a shop that has not installed the app", async () => {
    const cart = { lines: [{ variantId: TEE.variantId, quantity: 1 }], address: okc };
    await ask(cart); // the process now knows the shop (the lean path answers only for shops it knows)
    expect((await ask(cart, null)).status).toBe(401);
    expect((await ask(cart, token(SHOP, { secret: "not-the-app-secret" }))).status).toBe(401);
    expect((await ask(cart, token(SHOP, { now: new Date(Date.now() - 3600_000), ttl: 300 }))).status).toBe(401);
    expect((await ask(cart, "not.a.jwt")).status).toBe(401);
    // A shop no test installs (other test files share the database and install their own).
    const unknown = await ask(cart, token(`never-installed-${Date.now()}.myshopify.com`));
    expect(unknown.status).toBe(401);
    // The checkout can read the refusal: CORS headers on errors too.
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("answers the CORS preflight", async () => {
    const res = await loader({
      request: new Request("http://localhost/api/promise", { method: "OPTIONS", headers: { origin: "https://extensions.shopifycdn.com" } }),
      params: {},
      context: {},
    }).catch((r: Response) => r);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it.each([
    ["not JSON", "{lines:", "body: not JSON"],
    ["no lines", { lines: [], address: okc }, "lines: a cart has at least one line"],
    ["a quantity as text", { lines: [{ variantId: TEE.variantId, quantity: "2" }], address: okc }, "lines.0.quantity: Expected number, received string"],
    ["a numeric variant id", { lines: [{ variantId: 123, quantity: 1 }], address: okc }, "lines.0.variantId: Expected string, received number"],
    [
      "a bad country",
      { lines: [{ variantId: TEE.variantId, quantity: 1 }], address: { countryCode: "USA" } },
      "address.countryCode: must be an ISO country code",
    ],
    ["an unknown field", { lines: [{ variantId: TEE.variantId, quantity: 1 }], address: okc, coupon: "X" }, "body: Unrecognized key(s) in object: 'coupon'"],
  ])("400 with the reason for %s", async (_, body, reason) => {
    const res = await ask(body);
    expect(res.status).toBe(400);
    expect((await res.json()).reasons).toContain(reason);
  });

  it("200: the promise for the cart, cached until the cart's stock changes", async () => {
    const cart = {
      lines: [
        { variantId: TEE.variantId, quantity: 1 },
        { variantId: MUG.variantId, quantity: 1 },
      ],
      address: okc,
    };
    const first = await ask(cart);
    expect(first.status).toBe(200);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    const p = await first.json();
    // Edison is the only location with both: one parcel (fewest shipments first), dates for both methods.
    expect(p.parcels.map((x: { location: string }) => x.location)).toEqual(["Edison NJ"]);
    expect(p.windows.map((w: { method: string }) => w.method)).toEqual(["standard", "express"]);
    expect(p.id).toMatch(/^dp_/);
    expect(p.reason).toMatch(/from Edison NJ/);
    const again = await ask(cart);
    expect(again.headers.get("x-promise-cache")).toBe("hit");
    expect((await again.json()).id).toBe(p.id);

    // Edison sells out of mugs: the answer changes at once (the item's stock version is in the key).
    await setStock(SHOP, new Date(), MUG, { [EDISON]: 0 });
    const after = await ask(cart);
    expect(after.headers.get("x-promise-cache")).toBe("miss");
    const q = await after.json();
    expect(q.undated).toEqual([{ variantId: MUG.variantId, quantity: 1 }]);
    expect(q.windows).toEqual([]);
    expect(q.confidence).toBe("none");
  });

  it("200 with no date for a variant the OMS does not stock", async () => {
    const res = await ask({ lines: [{ variantId: "gid://shopify/ProductVariant/777", quantity: 1 }], address: okc });
    expect(res.status).toBe(200);
    expect((await res.json()).confidence).toBe("none");
    void [RENO, DALLAS];
  });
});

describe("the lean path answers exactly what the route would, and a cached answer only while nothing it rests on has changed", () => {
  const SHOP = `promise-lean-${Date.now()}.myshopify.com`;
  const cart = {
    lines: [
      { variantId: TEE.variantId, quantity: 1 },
      { variantId: MUG.variantId, quantity: 2 },
    ],
    address: okc,
  };
  const both = async (body: unknown, auth: string | null = token(SHOP)) => ({
    server: await viaServer(request(body, auth)),
    route: (await viaRoute(request(body, auth))).res,
  });

  beforeAll(async () => {
    await seedPromiseShop(SHOP, new Date());
  });

  it("a shop this process has not read yet goes to the route; then hits and misses come from the lean path, identical to the route's", async () => {
    const first = await viaServer(request(cart, token(SHOP)));
    expect(first.lean).toBe(false);
    expect(first.res.headers.get("x-promise-cache")).toBe("miss");
    const { server, route } = await both(cart);
    expect(server.lean).toBe(true);
    expect(await shape(server.res)).toEqual(await shape(route));
    expect(route.headers.get("x-promise-cache")).toBe("hit");
    expect(route.headers.get("access-control-expose-headers")).toBe("X-Shopify-API-Request-Failure-Reauthorize-Url");

    // A miss is computed before Remix too: the answer the route then serves from the cache, byte for byte.
    const elsewhere = { ...cart, address: { ...okc, zip: "73103", latitude: 35.5, longitude: -97.6 } };
    const miss = await viaServer(request(elsewhere, token(SHOP)));
    expect(miss.lean).toBe(true);
    expect(miss.res.headers.get("x-promise-cache")).toBe("miss");
    const hit = (await viaRoute(request(elsewhere, token(SHOP)))).res;
    expect(hit.headers.get("x-promise-cache")).toBe("hit");
    const [m, h] = [await shape(miss.res), await shape(hit)];
    const uncached = (x: typeof m) => ({ ...x, headers: x.headers.filter(([k]) => k !== "x-promise-cache") });
    expect(uncached(m)).toEqual(uncached(h));
  });

  it("refuses a forged, expired or not-yet-valid token itself, with the route's status and headers; a malformed body is refused there too", async () => {
    for (const bad of [
      token(SHOP, { secret: "not-the-app-secret" }),
      token(SHOP, { now: new Date(Date.now() - 3600_000), ttl: 300 }),
      token(SHOP, { now: new Date(Date.now() + 3600_000) }),
    ]) {
      const { server, route } = await both(cart, bad);
      expect(server.lean).toBe(true);
      expect(server.res.status).toBe(401);
      expect(await shape(server.res)).toEqual(await shape(route));
    }
    // A malformed body under a good token: the route's 400, from the same code (promise-endpoints.ts).
    for (const body of ["{lines:", { ...cart, coupon: 1 }, "\ufeff{}"]) {
      const { server, route } = await both(body);
      expect(server.lean).toBe(true);
      expect(server.res.status).toBe(400);
      expect(await shape(server.res)).toEqual(await shape(route));
    }
    // A correctly signed token with a character outside base64url in its signature: the library refuses it, so the lean path leaves it to the route.
    const mangled = token(SHOP).replace(/\.([^.]*)$/, ".!$1");
    for (const [body, auth] of [
      [cart, "not.a.jwt"],
      [cart, null],
      [cart, mangled],
    ] as const) {
      const { server, route } = await both(body, auth);
      expect(server.lean).toBe(false);
      expect(await shape(server.res)).toEqual(await shape(route));
    }
  });

  it("a stock change (observed, or reserved by an order) is a miss at once, and the new answer rests on the new stock", async () => {
    await viaServer(request(cart, token(SHOP)));
    expect((await viaServer(request(cart, token(SHOP)))).lean).toBe(true);
    const before = await (await viaServer(request(cart, token(SHOP)))).res.json();
    expect(before.parcels.map((x: { location: string }) => x.location)).toEqual(["Edison NJ"]);

    // An order reserves two of Edison's three mugs: one is left, the cart wants two.
    await applyOrderReservations(
      SHOP,
      "gid://shopify/Order/1",
      () => [{ kind: "reserve", inventoryItemId: MUG.inventoryItemId, locationId: EDISON, quantity: 2, key: `r:${SHOP}` }],
      new Date(),
      "test",
    );
    const afterReserve = await viaServer(request(cart, token(SHOP)));
    expect(afterReserve.lean).toBe(true);
    expect(afterReserve.res.headers.get("x-promise-cache")).toBe("miss");
    const q = await afterReserve.res.json();
    expect(q.id).not.toBe(before.id);
    expect(q.undated).toEqual([{ variantId: MUG.variantId, quantity: 1 }]);
    expect((await viaServer(request(cart, token(SHOP)))).lean).toBe(true);

    // Edison's mugs restocked (observed from Shopify): a miss again, and both mugs dated.
    await setStock(SHOP, new Date(), MUG, { [EDISON]: 10 });
    const afterObserve = await viaServer(request(cart, token(SHOP)));
    expect(afterObserve.res.headers.get("x-promise-cache")).toBe("miss");
    expect((await afterObserve.res.json()).undated).toEqual([]);
  });

  it("an answer computed before a stock write is never served after it: versions are read before the stock, bumped after the commit", async () => {
    const now = Date.now();
    const k = cartKeyOf(cart, now);
    // A miss reads the versions…
    const read = await lookupAnswer(SHOP, k.cartHash, k.variantIds, { init: true, now });
    if (read.state !== "miss" && read.state !== "hit") throw new Error(`expected versions, got ${read.state}`);
    // …the stock changes and commits (bumping the item's version)…
    await setStock(SHOP, new Date(), TEE, { [RENO]: 0 });
    // …and the miss stores what it computed from the older stock under the versions it read.
    await storeAnswer(SHOP, k.cartHash, read.versions, "dp_stale", JSON.stringify({ id: "dp_stale" }));
    const later = await lookupAnswer(SHOP, k.cartHash, k.variantIds, { init: false, now });
    expect(later.state).toBe("miss");
    expect(later.state === "miss" && later.versions).not.toBe(read.versions);
  });

  it.each([
    [
      "a safety-stock rule",
      () =>
        saveSafetyStockRule(
          SHOP,
          { locationId: EDISON, inventoryItemId: MUG.inventoryItemId, quantity: 1 },
          (item, loc, rules) => effectiveSafetyStock(rules, item, loc),
          { at: new Date(), actor: "test", summary: "safety" },
        ),
    ],
    [
      "the stale-feed policy",
      () => saveInventoryPolicy(SHOP, { staleFeed: "fail_open", staleAfterMinutes: 90 }, { at: new Date(), actor: "test", summary: "policy" }),
    ],
    ["a location's profile", () => saveLocationProfile(SHOP, { locationId: DALLAS, priority: 7 })],
    ["a location going offline", () => setLocationOffline(SHOP, RENO, true, "flood", "test", new Date())],
    [
      "a transit time",
      () => editTransitTime(SHOP, { originLocationId: EDISON, zone: "US", methodCode: "standard", minDays: 2, maxDays: 4, remove: false }, "test", new Date()),
    ],
  ])("a change to %s is a miss at once (the shop's settings version)", async (_, change) => {
    await viaServer(request(cart, token(SHOP)));
    expect((await viaServer(request(cart, token(SHOP)))).lean).toBe(true);
    await change();
    const after = await viaServer(request(cart, token(SHOP)));
    expect(after.res.headers.get("x-promise-cache")).toBe("miss");
  });

  it("activating a rule set is a miss at once (the shop's settings version)", async () => {
    await viaServer(request(cart, token(SHOP)));
    expect((await viaServer(request(cart, token(SHOP)))).lean).toBe(true);
    await activateRuleSet(
      SHOP,
      "split freely",
      {
        rules: [{ type: "fewest_shipments" }, { type: "distance" }],
        split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
        backorder: { mode: "ship_available" },
      },
      "test",
      new Date(),
    );
    const after = await viaServer(request(cart, token(SHOP)));
    expect(after.res.headers.get("x-promise-cache")).toBe("miss");
  });
});
