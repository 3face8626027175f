// The delivery-promise extension in Chromium, in the local checkout harness the dev admin serves:
// the built bundle runs with the `shopify` API it uses, calls the app's /api/promise with a checkout
// session token the stand-in signs; changing the address changes the date; placing the order sends
// the promise as a cart attribute, and the OMS stores the same promise on its order.
import { existsSync, mkdirSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { markInstalled } from "~/.server/db/shops";
import { closePromiseCache } from "~/.server/services/promise/promise-cache";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { startDevAdmin } from "../dev/demo/dev-admin";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SHOP = "checkout-harness.myshopify.com";
export const SCREENSHOTS = ".tmp/screenshots";

/** /api/promise on a real port (the route module's loader and action, as the Remix server runs them). */
async function servePromiseRoute() {
  const route = await import("~/routes/api.promise");
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : Buffer.concat(chunks),
    });
    const args = { request, params: {}, context: {} };
    const response = await (req.method === "GET" ? route.loader(args) : route.action(args));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.skipIf(!existsSync(CHROMIUM))("checkout harness: the delivery-promise extension in Chromium", { timeout: 90_000 }, () => {
  let shop: Awaited<ReturnType<typeof connectedDevShop>>;
  let api: Awaited<ReturnType<typeof servePromiseRoute>>;
  let admin: { url: string; close(): Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    shop = await connectedDevShop(SHOP, {});
    await reconcileStock(SHOP, new Date());
    await markInstalled(SHOP, new Date()); // what the app's afterAuth records on install
    api = await servePromiseRoute();
    admin = await startDevAdmin({
      port: 0,
      appUrl: api.url,
      shops: [SHOP],
      nodeEnv: "test",
      tokens: { sessionToken: async () => "unused" },
      checkout: { appUrl: api.url, standInUrl: shop.standIn.url },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await admin?.close();
    await api?.close();
    await shop?.close();
    await closePromiseCache();
  });

  it("shows the dates, changes them with the address, and the placed order carries the same promise into the OMS", async () => {
    // shopify-app-remix answers self-identified bots (HeadlessChrome) with 410: present a browser's User-Agent.
    const userAgent = (await browser.newBrowserCDPSession().then((s) => s.send("Browser.getVersion"))).userAgent.replace("HeadlessChrome", "Chrome");
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, userAgent });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
    await page.goto(`${admin.url}/checkout?shop=${SHOP}&lines=TEE-L:1,SHELL-M:1`);
    const ext = page.frameLocator("#shipping");
    const standard = ext.locator("s-text[data-method=standard]");
    await standard.waitFor({ timeout: 30_000 }).catch(async (e) => {
      await page.screenshot({ path: `${SCREENSHOTS}/checkout-harness-failed.png`, fullPage: true });
      throw new Error(
        `${e}\n${problems.join("\n")}\n${await page
          .frameLocator("#shipping")
          .locator("body")
          .innerHTML()
          .catch(() => "")}`,
      );
    });
    const okc = await standard.textContent();
    expect(okc).toMatch(/^Standard: Arrives \w{3}, \w{3} \d+ – \w{3}, \w{3} \d+$/);
    // The shell is only at Seattle, the large tee only at Dallas: two parcels, each with its dates.
    await expect.poll(() => ext.locator("s-text[data-parcel]").count()).toBe(2);
    await page.screenshot({ path: `${SCREENSHOTS}/checkout-harness-okc.png`, fullPage: true });

    await page.selectOption("#address", "nyc");
    await expect.poll(() => standard.textContent(), { timeout: 20_000 }).not.toBe(okc);
    await page.check("input[value=exp]");
    await expect.poll(async () => (await page.locator("#attrs").textContent()) ?? "", { timeout: 10_000 }).toContain('\\"m\\":\\"express\\"');
    await page.screenshot({ path: `${SCREENSHOTS}/checkout-harness-nyc-express.png`, fullPage: true });

    const attr = JSON.parse(JSON.parse((await page.locator("#attrs").textContent())!)[0].value) as { id: string; m: string; e: string; l: string };
    await page.click("#place");
    await page.locator("#placed", { hasText: "Placed" }).waitFor({ timeout: 20_000 });
    const placed = (await page.evaluate(() => (window as unknown as { placedOrder: { orderId: string } }).placedOrder)).orderId;
    // The thank-you target shows the promise the order carries.
    await page.frameLocator("#thankyou").locator("s-text[data-promise-id]").waitFor({ timeout: 20_000 });
    expect(await page.frameLocator("#thankyou").locator("s-text[data-promise-id]").getAttribute("data-promise-id")).toBe(attr.id);
    await page.screenshot({ path: `${SCREENSHOTS}/checkout-harness-placed.png`, fullPage: true });

    const stored = await waitFor(
      async () => {
        const order = await db().order.findFirst({ where: { shop: SHOP, sourceId: placed } });
        return order ? ((await db().orderPromise.findUnique({ where: { orderId: order.id } })) ?? undefined) : undefined;
      },
      30_000,
      "the order's promise in the OMS",
    );
    expect(stored).toMatchObject({ promiseId: attr.id, methodCode: "express", earliest: attr.e, latest: attr.l, source: "verified", destinationZone: "US-NY" });
    expect(problems).toEqual([]);

    // French: the same extension, localised.
    const fr = await browser.newPage({ viewport: { width: 1200, height: 700 }, userAgent });
    await fr.goto(`${admin.url}/checkout?shop=${SHOP}&lines=TEE-M:2&locale=fr`);
    const frText = fr.frameLocator("#shipping").locator("s-text[data-method=standard]");
    await frText.waitFor({ timeout: 30_000 });
    expect(await frText.textContent()).toMatch(/^Standard: Livraison (entre le|le) /);
    await fr.screenshot({ path: `${SCREENSHOTS}/checkout-harness-fr.png`, fullPage: true });
  });
});
