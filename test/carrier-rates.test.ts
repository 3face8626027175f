// Carrier-calculated rates: the stand-in registers the app's callback through carrierServiceCreate
// (validated against the 2026-04 schema), calls it at checkout signed with the app's HMAC, and the
// rate's dates are the delivery promise; the order brings the promise back through its shipping code.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { markInstalled } from "~/.server/db/shops";
import { closePromiseCache } from "~/.server/services/promise/promise-cache";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { adminFor } from "~/.server/shopify/admin";
import { createCarrierService } from "~/.server/shopify/carrier-service";
import { signBody } from "~/.server/shopify/hmac";
import { action } from "~/routes/carrier.rates";
import { connectedDevShop } from "./helpers/app-server";
import { APP_SECRET } from "./helpers/dev-shop";
import { shape, viaServer } from "./helpers/lean-path";
import { waitFor } from "./helpers/wait";

const SHOP = "carrier-rates.myshopify.com";

async function serveRates() {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await action({
      request: new Request(`http://localhost${req.url}`, { method: "POST", headers, body: Buffer.concat(chunks) }),
      params: {},
      context: {},
    });
    res.writeHead(response.status, { "content-type": "application/json" });
    res.end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const rateBody = (variantId: string, country = "US") =>
  `{"rate":{"origin":{"country":"US","postal_code":"75201","province":"TX"},"destination":{"country":"${country}","postal_code":"10118","province":"NY","city":"New York","latitude":null,"longitude":null},"items":[{"name":"Tee","sku":"TEE-M","quantity":1,"grams":500,"price":2400,"vendor":"","requires_shipping":true,"taxable":true,"fulfillment_service":"manual","product_id":1,"variant_id":${variantId}}],"currency":"USD","locale":"en"}}`;
const rateRequest = (body: string, o: { secret?: string; shop?: string } = {}) =>
  new Request("http://localhost/carrier/rates", {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-hmac-sha256": signBody(body, o.secret ?? APP_SECRET), "x-shopify-shop-domain": o.shop ?? SHOP },
    body,
  });
const post = (body: string, o: { secret?: string; shop?: string } = {}) => action({ request: rateRequest(body, o), params: {}, context: {} });

describe("carrier-calculated rates carry the promise", { timeout: 60_000 }, () => {
  let shop: Awaited<ReturnType<typeof connectedDevShop>>;
  let rates: Awaited<ReturnType<typeof serveRates>>;
  let tee = "";

  beforeAll(async () => {
    shop = await connectedDevShop(SHOP, {});
    await reconcileStock(SHOP, new Date());
    await markInstalled(SHOP, new Date());
    rates = await serveRates();
    tee = (await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-M" } })).variantId!.split("/").pop()!;
  });
  afterAll(async () => {
    await rates?.close();
    await shop?.close();
    await closePromiseCache();
  });

  it("401 for a forged HMAC or an unknown shop, 400 for a malformed request, 200 with dated rates otherwise", async () => {
    expect((await post(rateBody(tee), { secret: "wrong" })).status).toBe(401);
    expect((await post(rateBody(tee), { shop: "nobody.myshopify.com" })).status).toBe(401);
    expect((await post('{"rate":{}}')).status).toBe(400);
    const ok = await post(rateBody(tee));
    expect(ok.status).toBe(200);
    const { rates: list } = (await ok.json()) as {
      rates: { service_code: string; min_delivery_date: string; max_delivery_date: string; total_price: string }[];
    };
    expect(list.map((r) => r.service_code.split(".")[0])).toEqual(["standard", "express"]);
    for (const r of list) expect(r.min_delivery_date <= r.max_delivery_date).toBe(true);
    // An id beyond 2^53 survives (read as a string), and an unknown variant gets no rate: no date rather than a wrong one.
    const unknown = await post(rateBody("18446744073709551615"));
    expect(await unknown.json()).toEqual({ rates: [] });
  });

  it("the server answers a repeated rate request from the lean path, exactly as the route does; a forged HMAC is refused there too", async () => {
    await post(rateBody(tee)); // the process knows the shop, the cart is cached
    const lean = await viaServer(rateRequest(rateBody(tee)));
    expect(lean.lean).toBe(true);
    expect(await shape(lean.res)).toEqual(await shape(await post(rateBody(tee))));
    expect(((await lean.res.json()) as { rates: unknown[] }).rates).toHaveLength(2);
    const forged = await viaServer(rateRequest(rateBody(tee), { secret: "wrong" }));
    expect(forged.lean).toBe(true);
    expect(await shape(forged.res)).toEqual(await shape(await post(rateBody(tee), { secret: "wrong" })));
    // A malformed request and a cart not cached yet are answered there too, as the route answers them.
    const malformed = await viaServer(rateRequest('{"rate":{}}'));
    expect(malformed.lean).toBe(true);
    expect(await shape(malformed.res)).toEqual(await shape(await post('{"rate":{}}')));
    const three = rateBody(tee).replace('"quantity":1', '"quantity":3');
    const miss = await viaServer(rateRequest(three));
    expect(miss.lean).toBe(true);
    expect(await shape(miss.res)).toEqual(await shape(await post(three)));
    expect(((await miss.res.json()) as { rates: unknown[] }).rates).toHaveLength(2);
    // A shop this process has not read yet goes to the route (which reads whether it has the app).
    expect((await viaServer(rateRequest(rateBody(tee), { shop: `unseen-${Date.now()}.myshopify.com` }))).lean).toBe(false);
  });

  it("the stand-in registers the callback, calls it at checkout, and the order brings the promise to the OMS", async () => {
    const bad = await createCarrierService(await adminFor(SHOP), "Delivery promise (OMS)", "not a url");
    expect(bad).toEqual({ ok: false, message: "Callback url is not a valid URL" });
    const created = await createCarrierService(await adminFor(SHOP), "Delivery promise (OMS)", `${rates.url}/carrier/rates`);
    expect(created.ok).toBe(true);
    const again = await createCarrierService(await adminFor(SHOP), "Delivery promise (OMS)", `${rates.url}/carrier/rates`);
    expect(again.ok).toBe(false);

    const placed = (await (
      await shop.post(`/_dev/shops/${SHOP}/checkout`, {
        lines: [{ sku: "TEE-M", quantity: 1 }],
        shippingAddress: { firstName: "Ada", lastName: "L", address1: "350 5th Ave", city: "New York", provinceCode: "NY", countryCode: "US", zip: "10118" },
        email: "ada@example.com",
        shippingMethod: "Express",
      })
    ).json()) as { orderId: string; shippingRate: { code: string; dates: string } };
    expect(placed.shippingRate.code).toMatch(/^express\.dp_[0-9a-f]{20}$/);
    const [min, max] = placed.shippingRate.dates.split(" – ").map((d) => d.slice(0, 10));
    const stored = await waitFor(
      async () => {
        const o = await db().order.findFirst({ where: { shop: SHOP, sourceId: placed.orderId } });
        return o ? ((await db().orderPromise.findUnique({ where: { orderId: o.id } })) ?? undefined) : undefined;
      },
      20_000,
      "the promise on the OMS order",
    );
    expect(stored).toMatchObject({ promiseId: placed.shippingRate.code.split(".")[1], methodCode: "express", earliest: min, latest: max, source: "verified" });
  });
});
