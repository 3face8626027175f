import { createHmac } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closePromiseCache } from "~/.server/services/promise/promise-cache";
import { loader } from "~/routes/proxy.promise";
import { sessionStorage } from "~/shopify.server";
import { APP_SECRET } from "./helpers/dev-shop";
import { seedPromiseShop, TEE } from "./helpers/promise-shop";

const SHOP = `promise-proxy-${Date.now()}.myshopify.com`;

/** The app proxy's signature, as Shopify computes it: HMAC-SHA256 (hex) of the sorted "k=v" pairs, joined with nothing. */
function signed(params: Record<string, string>, secret = APP_SECRET) {
  const all = { shop: SHOP, path_prefix: "/apps/oms", timestamp: String(Math.floor(Date.now() / 1000)), logged_in_customer_id: "", ...params };
  const message = Object.keys(all)
    .sort()
    .map((k) => `${k}=${all[k as keyof typeof all]}`)
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  return `http://localhost/proxy/promise?${new URLSearchParams({ ...all, signature })}`;
}
const get = (url: string) =>
  loader({ request: new Request(url, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0" } }), params: {}, context: {} });

describe("GET /proxy/promise (app proxy, product page)", () => {
  beforeAll(async () => {
    await seedPromiseShop(SHOP, new Date());
    await sessionStorage.storeSession(
      new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" }),
    );
  });
  afterAll(() => closePromiseCache());

  it("401 for a forged signature", async () => {
    expect((await get(signed({ variant: TEE.variantId.split("/").pop()!, country: "US" }, "not-the-secret"))).status).toBe(401);
  });

  it("400 with the reason for bad parameters", async () => {
    const res = await get(signed({ variant: "abc", country: "USA" }));
    expect(res.status).toBe(400);
    expect((await res.json()).reasons).toEqual(["variant: variant must be a numeric variant id", "country: country must be an ISO code"]);
  });

  it("200: the promise for the variant to the buyer's country", async () => {
    const res = await get(signed({ variant: TEE.variantId.split("/").pop()!, country: "us", zip: "73102" }));
    expect(res.status).toBe(200);
    const p = await res.json();
    expect(p.confidence).not.toBe("none");
    expect(p.earliest <= p.latest).toBe(true);
  });
});
