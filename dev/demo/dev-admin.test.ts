import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import path from "node:path";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDevAdmin, hostParam, startDevAdmin, type TokenMinter } from "./dev-admin";

const API_KEY = "oms-dev-api-key";
const API_SECRET = "oms-dev-api-secret-not-for-production";
const SHOP = "demo-oms.myshopify.com";
const APP_URL = "http://localhost:3999";

/** Mints like Shopify admin does (Shopify's own test helper: HS256, iss/dest/aud/sub). */
const shopifyLikeMinter: TokenMinter = {
  sessionToken: async (shop) =>
    (await getJwt(shop.replace(/\.myshopify\.com$/, ""), API_KEY, API_SECRET, { iss: `https://${shop}/admin`, exp: Math.floor(Date.now() / 1000) + 60 })).token,
};

function verifyHs256(token: string, secret: string): Record<string, unknown> {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) throw new Error("not a JWT");
  expect(JSON.parse(Buffer.from(header, "base64url").toString())).toMatchObject({ alg: "HS256" });
  const expected = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
  expect(signature).toBe(expected);
  return JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
}

describe("dev admin", () => {
  let admin: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    admin = await startDevAdmin({ port: 0, tokens: shopifyLikeMinter, appUrl: APP_URL, shops: [SHOP], nodeEnv: "test" });
  });
  afterAll(() => admin.close());

  it("lists the shop with a link that opens the app", async () => {
    const html = await (await fetch(`${admin.url}/`)).text();
    expect(html).toContain(SHOP);
    expect(html).toContain(`<a href="/apps/oms?shop=${encodeURIComponent(SHOP)}">Open Order Management</a>`);
  });

  it("opens the app like admin: shop, host, embedded=1 and a session token the app accepts", async () => {
    const res = await fetch(`${admin.url}/apps/oms?shop=${SHOP}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe(`${APP_URL}/app`);
    expect(location.searchParams.get("shop")).toBe(SHOP);
    expect(location.searchParams.get("embedded")).toBe("1");
    const host = location.searchParams.get("host") ?? "";
    expect(Buffer.from(host, "base64").toString()).toBe("admin.shopify.com/store/demo-oms");
    const token = location.searchParams.get("id_token") ?? "";
    const claims = verifyHs256(token, API_SECRET);
    expect(claims).toMatchObject({ dest: `https://${SHOP}`, aud: API_KEY, iss: `https://${SHOP}/admin` });

    // The app's own verifier (what authenticate.admin calls) accepts it, and sanitizes shop and host.
    const api = shopifyApi({
      apiKey: API_KEY,
      apiSecretKey: API_SECRET,
      apiVersion: ApiVersion.April26,
      isEmbeddedApp: true,
      hostName: "localhost:3999",
      hostScheme: "http",
      scopes: [],
      logger: { level: 0 },
    });
    const payload = await api.session.decodeSessionToken(token);
    expect(new URL(payload.dest).hostname).toBe(SHOP);
    expect(api.utils.sanitizeShop(SHOP)).toBe(SHOP);
    expect(api.utils.sanitizeHost(host)).toBe(host);
  });

  it("hands App Bridge fresh tokens with CORS for the app's origin", async () => {
    const res = await fetch(`${admin.url}/session-token?shop=${SHOP}`, { headers: { origin: APP_URL } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP_URL);
    const { token } = (await res.json()) as { token: string };
    expect(verifyHs256(token, API_SECRET)).toMatchObject({ dest: `https://${SHOP}` });
  });

  it("rejects a shop that is not a myshopify domain", async () => {
    expect((await fetch(`${admin.url}/apps/oms?shop=evil.example.com`, { redirect: "manual" })).status).toBe(400);
  });

  it("serves the App Bridge stand-in as valid JavaScript pointing back at itself", async () => {
    const res = await fetch(`${admin.url}/app-bridge.js`);
    expect(res.headers.get("content-type")).toMatch(/javascript/);
    const script = await res.text();
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain(JSON.stringify(admin.url));
    expect(admin.url).not.toMatch(/:0$/);
    expect(script).toContain("shopify-reload");
  });

  it("builds host as base64 of admin.shopify.com/store/<name>", () => {
    expect(hostParam("acme.myshopify.com")).toBe(Buffer.from("admin.shopify.com/store/acme").toString("base64"));
  });

  it("refuses NODE_ENV=production, in code and as a process", () => {
    expect(() => createDevAdmin({ tokens: shopifyLikeMinter, appUrl: APP_URL, adminOrigin: "http://localhost:1", shops: [], nodeEnv: "production" })).toThrow(
      /production/,
    );
    const root = path.resolve(import.meta.dirname, "../..");
    const run = spawnSync(process.execPath, ["--import", "tsx", "dev/demo/dev-admin-main.ts"], {
      cwd: root,
      env: { ...process.env, NODE_ENV: "production", DEV_ADMIN_PORT: "0" },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refuses to run with NODE_ENV=production/);
  });
});
