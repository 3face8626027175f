// Screenshots of an order held by a release rule, as the store owner sees it and as a staff member
// without the right to release it:
//   node --import tsx dev/demo/screenshot-staff.ts [out.png]     (default /tmp/oms-held.png)
// Needs the demo running (npm run demo). Places an order Shopify rates high risk in the stand-in
// (STANDIN_URL, default http://localhost:4100), signs in to the dev admin as the owner (user 1),
// assigns user 222 the viewer role on the Staff page, then signs in as user 222. Saves
// <out> (owner: Release enabled) and <out>-denied.png (viewer: buttons disabled with the reason).
import { chromium, type Page } from "playwright-core";

const out = process.argv[2] ?? "/tmp/oms-held.png";
const adminUrl = process.env.DEV_ADMIN_URL ?? `http://localhost:${process.env.DEV_ADMIN_PORT ?? 4200}`;
const standInUrl = process.env.STANDIN_URL ?? `http://localhost:${process.env.STANDIN_PORT ?? 4100}`;
const shop = process.env.DEMO_SHOP ?? "demo-oms.myshopify.com";
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const post = async (path: string, body: unknown) => {
  const r = await fetch(standInUrl + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json() as Promise<Record<string, unknown>>;
};

await post(`/_dev/shops/${shop}/staff`, {
  users: [
    { id: 1, firstName: "Olga", lastName: "Owner", email: "owner@example.com", accountOwner: true },
    { id: 222, firstName: "Sam", lastName: "Temp", email: "sam@example.com" },
  ],
});
const state = (await (await fetch(`${standInUrl}/_dev/shops/${shop}/state`)).json()) as { inventory: { sku: string; available: number }[] };
const sku = state.inventory.find((l) => l.available > 2)?.sku;
if (!sku) throw new Error("no SKU in stock in the demo shop");
const placed = (await post(`/_dev/shops/${shop}/checkout`, {
  lines: [{ sku, quantity: 1 }],
  shippingAddress: { firstName: "Mallory", lastName: "Risk", address1: "1 Main St", city: "Austin", provinceCode: "TX", countryCode: "US", zip: "78701" },
  email: "mallory@example.com",
  extras: { risk: { level: "HIGH", facts: [{ description: "Payment declined 4 times before it succeeded", sentiment: "NEGATIVE" }] } },
})) as { name: string };
console.log(`placed ${placed.name} (Shopify risk: HIGH)`);

const browser = await chromium.launch({
  executablePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const userAgent = (await browser.newBrowserCDPSession().then((s) => s.send("Browser.getVersion"))).userAgent.replace("HeadlessChrome", "Chrome");
  const open = async (user: number): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 }, userAgent });
    await page.route(/^https:\/\/cdn\.shopify\.com\//, (route) => route.abort());
    await page.goto(`${adminUrl}/apps/oms?shop=${encodeURIComponent(shop)}&user=${user}`, { waitUntil: "load" });
    await page.locator(".Polaris-Page").first().waitFor({ state: "visible", timeout: 20_000 });
    return page;
  };
  const heldOrderPage = async (page: Page) => {
    await page.getByRole("link", { name: "Orders", exact: true }).first().click();
    const link = page.locator("[data-testid=order-link]", { hasText: placed.name }).first();
    await link.waitFor({ state: "visible", timeout: 20_000 });
    await link.click();
    await page
      .locator("[data-testid=hold-reason]")
      .first()
      .waitFor({ state: "visible", timeout: 20_000 })
      .catch(async (e: unknown) => {
        await page.screenshot({ path: out.replace(/\.png$/, "-error.png"), fullPage: true });
        throw e;
      });
    await page.waitForLoadState("networkidle").catch(() => undefined);
  };

  const owner = await open(1);
  // The owner gives user 222 the viewer role on the Staff page.
  await owner.getByRole("link", { name: "Staff", exact: true }).first().click();
  await owner.getByLabel("Shopify user id").fill("222");
  await owner.getByLabel("Role", { exact: true }).selectOption("viewer");
  await owner.getByRole("button", { name: "Assign role" }).click();
  await owner.getByText("User 222:").first().waitFor({ state: "visible", timeout: 20_000 });
  await heldOrderPage(owner);
  await owner.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out} (the owner: Release enabled)`);

  const viewer = await open(222);
  await heldOrderPage(viewer);
  await viewer.locator("[data-testid=release-denied]").waitFor({ state: "visible", timeout: 20_000 });
  const denied = out.replace(/\.png$/, "-denied.png");
  await viewer.screenshot({ path: denied, fullPage: true });
  console.log(`saved ${denied} (user 222, viewer: buttons disabled with the reason)`);
} finally {
  await browser.close();
}
