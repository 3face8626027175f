import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePromiseCache } from "~/.server/services/promise/promise-cache";
import { closeQueues } from "~/.server/queue/queues";
import { action, loader } from "~/routes/api.promise";
import { mintCheckoutToken } from "../dev/shopify-local/session-token";
import { APP_KEY, APP_SECRET } from "./helpers/dev-shop";
import { DALLAS, EDISON, MUG, RENO, seedPromiseShop, setStock, TEE } from "./helpers/promise-shop";

const SHOP = `promise-api-${Date.now()}.myshopify.com`;
const okc = { countryCode: "US", provinceCode: "OK", zip: "73102" };
const token = (shop = SHOP, o: { secret?: string; now?: Date; ttl?: number } = {}) => mintCheckoutToken({ shop, apiKey: APP_KEY, apiSecret: o.secret ?? APP_SECRET, now: o.now ?? new Date(), ttlSeconds: o.ttl });
const ask = (body: unknown, auth: string | null = token(), method = "POST") =>
  action({
    request: new Request("http://localhost/api/promise", {
      method,
      headers: { "content-type": "application/json", origin: "https://extensions.shopifycdn.com", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: method === "POST" ? (typeof body === "string" ? body : JSON.stringify(body)) : undefined,
    }),
    params: {},
    context: {},
  });

describe("POST /api/promise (checkout session token)", () => {
  beforeAll(async () => {
    await seedPromiseShop(SHOP, new Date());
  });
  afterAll(async () => {
    await closePromiseCache();
    await closeQueues();
  });

  it("401 without a token, with a forged or expired one, and for a shop that has not installed the app", async () => {
    const cart = { lines: [{ variantId: TEE.variantId, quantity: 1 }], address: okc };
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
    const res = await loader({ request: new Request("http://localhost/api/promise", { method: "OPTIONS", headers: { origin: "https://extensions.shopifycdn.com" } }), params: {}, context: {} }).catch((r: Response) => r);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it.each([
    ["not JSON", "{lines:", "body: not JSON"],
    ["no lines", { lines: [], address: okc }, "lines: a cart has at least one line"],
    ["a quantity as text", { lines: [{ variantId: TEE.variantId, quantity: "2" }], address: okc }, "lines.0.quantity: Expected number, received string"],
    ["a numeric variant id", { lines: [{ variantId: 123, quantity: 1 }], address: okc }, "lines.0.variantId: Expected string, received number"],
    ["a bad country", { lines: [{ variantId: TEE.variantId, quantity: 1 }], address: { countryCode: "USA" } }, "address.countryCode: must be an ISO country code"],
    ["an unknown field", { lines: [{ variantId: TEE.variantId, quantity: 1 }], address: okc, coupon: "X" }, "body: Unrecognized key(s) in object: 'coupon'"],
  ])("400 with the reason for %s", async (_, body, reason) => {
    const res = await ask(body);
    expect(res.status).toBe(400);
    expect((await res.json()).reasons).toContain(reason);
  });

  it("200: the promise for the cart, cached until the cart's stock changes", async () => {
    const cart = { lines: [{ variantId: TEE.variantId, quantity: 1 }, { variantId: MUG.variantId, quantity: 1 }], address: okc };
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

    // Edison sells out of mugs: the answer changes at once (the stock fingerprint is in the key).
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
