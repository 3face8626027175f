// The App Bridge stand-in in a real browser (skipped when Chromium is not installed): a tiny "app"
// server loads the script from the dev admin, as the app's embedded layout does.
import { existsSync } from "node:fs";
import http from "node:http";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevAdmin } from "./dev-admin";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOP = "demo-oms.myshopify.com";
const HOST = Buffer.from("admin.shopify.com/store/demo-oms").toString("base64");

describe.skipIf(!existsSync(CHROMIUM))("App Bridge stand-in (Chromium)", () => {
  let browser: Browser;
  let admin: { url: string; close(): Promise<void> };
  let app: http.Server;
  let appUrl = "";
  let minted = 0;
  const seen: { path: string; auth: string | undefined }[] = [];

  beforeAll(async () => {
    app = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://app.invalid");
      seen.push({ path: url.pathname + url.search, auth: req.headers.authorization });
      const page = (body: string) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<!doctype html><html><body><script src="${admin.url}/app-bridge.js" data-api-key="k"></script>${body}</body></html>`);
      };
      if (url.pathname === "/data") {
        // Like shopify-app-remix: an unacceptable token gets 401 + the retry header once.
        const retry = req.headers.authorization === "Bearer token-1";
        res.writeHead(retry ? 401 : 200, retry ? { "x-shopify-retry-invalid-session-request": "1" } : { "content-type": "application/json" });
        return res.end(retry ? "" : JSON.stringify({ ok: true }));
      }
      return page(`<p id="where">${url.pathname}</p>`);
    });
    await new Promise<void>((r) => app.listen(0, r));
    const address = app.address();
    appUrl = `http://localhost:${typeof address === "object" && address ? address.port : 0}`;
    admin = await startDevAdmin({ port: 0, appUrl, shops: [SHOP], nodeEnv: "test", tokens: { sessionToken: async () => `token-${++minted}` } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });
  });
  afterAll(async () => {
    await browser?.close();
    await admin?.close();
    await new Promise((r) => app?.close(r));
  });

  it("adds a Bearer token to the app's own requests and retries once on X-Shopify-Retry-Invalid-Session-Request", async () => {
    const page = await browser.newPage();
    await page.goto(`${appUrl}/app?shop=${SHOP}&host=${encodeURIComponent(HOST)}&embedded=1`);
    const result = await page.evaluate(async () => {
      const res = await fetch("/data");
      const w = window as unknown as { shopify: { config: { shop: string } } };
      return { status: res.status, shop: w.shopify.config.shop };
    });
    expect(result).toEqual({ status: 200, shop: SHOP });
    const data = seen.filter((s) => s.path === "/data").map((s) => s.auth);
    expect(data).toEqual(["Bearer token-1", "Bearer token-2"]);
    await page.close();
  });

  it("on the bounce page, reloads the shopify-reload URL with a fresh id_token", async () => {
    const page = await browser.newPage();
    const reload = `${appUrl}/app/orders?shop=${SHOP}&host=${encodeURIComponent(HOST)}&embedded=1`;
    await page.goto(`${appUrl}/auth/session-token?shop=${SHOP}&host=${encodeURIComponent(HOST)}&embedded=1&shopify-reload=${encodeURIComponent(reload)}`);
    await page.waitForURL(/\/app\/orders\?.*id_token=/);
    const url = new URL(page.url());
    expect(url.searchParams.get("id_token")).toMatch(/^token-\d+$/);
    expect(url.searchParams.get("shop")).toBe(SHOP);
    expect(await page.locator("#where").textContent()).toBe("/app/orders");
    await page.close();
  });

  it("does not add the token to other origins", async () => {
    const page = await browser.newPage();
    await page.goto(`${appUrl}/app?shop=${SHOP}&host=${encodeURIComponent(HOST)}&embedded=1`);
    const before = minted;
    await page.evaluate(async (adminUrl) => {
      await fetch(`${adminUrl}/`).catch(() => undefined);
    }, admin.url);
    expect(minted).toBe(before);
    await page.close();
  });
});
