// Screenshot of the app as a merchant sees it through the dev admin:
//   node --import tsx dev/demo/screenshot.ts [out.png] [--orders] [--inventory] [--sourcing] [--ops] [--returns] [--changes] [--promise[=<order name>]]   (default /tmp/oms-admin.png)
// With --orders it also follows the in-app navigation to the orders list and the newest order,
// saving <out>-orders.png and <out>-order.png; with --inventory, to the inventory page, saving
// <out>-inventory.png; with --sourcing, to the sourcing page, saving <out>-sourcing.png; with --ops,
// to the exception queue, a runbook and the dashboard, saving <out>-queue/-runbook/-dashboard.png;
// with --returns, the Returns pages and the finance reconciliation; with
// --changes, to the Changes page (<out>-changes.png) and to each order named in CHANGES_ORDERS
// (comma-separated names such as #1003), saving <out>-change-1003.png; CHANGES_PREVIEW=<location
// name> also previews that location going offline (<out>-changes-preview.png) and CHANGES_CANCEL=<order
// name> clicks "Cancel order" there (<out>-cancelled.png).
// Needs the demo running (npm run demo) and Chromium at /usr/bin/chromium (CHROMIUM_PATH overrides).
import { chromium } from "playwright-core";

const out = process.argv[2] ?? "/tmp/oms-admin.png";
const adminUrl = process.env.DEV_ADMIN_URL ?? `http://localhost:${process.env.DEV_ADMIN_PORT ?? 4200}`;
const shop = process.env.DEMO_SHOP ?? "demo-oms.myshopify.com";
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const browser = await chromium.launch({
  executablePath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  // Headless Chromium says "HeadlessChrome" in its User-Agent, and shopify-app-remix answers bots with
  // 410 Gone; present the User-Agent of the same Chromium with a window.
  const userAgent = (await browser.newBrowserCDPSession().then((s) => s.send("Browser.getVersion"))).userAgent.replace("HeadlessChrome", "Chrome");
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, userAgent });
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Shopify's CDN is unreachable offline; fail those requests at once instead of waiting for a timeout.
  await page.route(/^https:\/\/cdn\.shopify\.com\//, (route) => route.abort());
  await page.goto(`${adminUrl}/apps/oms?shop=${encodeURIComponent(shop)}`, { waitUntil: "load" });
  try {
    await page.locator(".Polaris-Page").first().waitFor({ state: "visible", timeout: 20_000 });
  } catch (e) {
    console.error(`no Polaris page at ${page.url()}\n${problems.join("\n")}`);
    await page.screenshot({ path: out, fullPage: true });
    throw e;
  }
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out} (${page.url().replace(/id_token=[^&]+/, "id_token=…")})`);
  if (process.argv.includes("--orders")) {
    // Client-side navigation: the data requests carry App Bridge's session token, as in admin.
    await page.getByRole("link", { name: "Orders", exact: true }).first().click();
    await page.locator("[data-testid=order-link]").first().waitFor({ state: "visible", timeout: 20_000 });
    const listShot = out.replace(/\.png$/, "-orders.png");
    await page.screenshot({ path: listShot, fullPage: true });
    console.log(`saved ${listShot}`);
    await page.locator("[data-testid=order-link]").first().click();
    await page.locator("[data-testid=timeline-entry]").first().waitFor({ state: "visible", timeout: 20_000 });
    const orderShot = out.replace(/\.png$/, "-order.png");
    await page.screenshot({ path: orderShot, fullPage: true });
    console.log(`saved ${orderShot}`);
  }
  // --promise[=<order name>]: the Delivery promise page (kept %, transit times), then that order's page (its promise card).
  const promiseArg = process.argv.find((a) => a.startsWith("--promise"));
  if (promiseArg) {
    await page.getByRole("link", { name: "Delivery promise", exact: true }).first().click();
    await page
      .getByRole("heading", { name: /Promised vs actual/ })
      .first()
      .waitFor({ state: "visible", timeout: 20_000 });
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const promiseShot = out.replace(/\.png$/, "-promise.png");
    await page.screenshot({ path: promiseShot, fullPage: true });
    console.log(`saved ${promiseShot}`);
    const name = promiseArg.split("=")[1];
    if (name) {
      await page.getByRole("link", { name: "Orders", exact: true }).first().click();
      await page.locator("[data-testid=order-link]", { hasText: name }).first().click({ timeout: 20_000 });
      await page.getByRole("heading", { name: "Delivery promise" }).first().waitFor({ state: "visible", timeout: 20_000 });
      await page.waitForLoadState("networkidle").catch(() => undefined);
      const orderShot = out.replace(/\.png$/, "-promise-order.png");
      await page.screenshot({ path: orderShot, fullPage: true });
      console.log(`saved ${orderShot}`);
    }
  }
  if (process.argv.includes("--inventory")) {
    await page.getByRole("link", { name: "Inventory", exact: true }).first().click();
    await page.locator("[data-testid=inventory-levels]").first().waitFor({ state: "visible", timeout: 20_000 });
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const inventoryShot = out.replace(/\.png$/, "-inventory.png");
    await page.screenshot({ path: inventoryShot, fullPage: true });
    console.log(`saved ${inventoryShot}`);
  }
  if (process.argv.includes("--sourcing")) {
    await page.getByRole("link", { name: "Sourcing", exact: true }).first().click();
    await page.getByRole("heading", { name: "Sourcing", exact: true }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const sourcingShot = out.replace(/\.png$/, "-sourcing.png");
    await page.screenshot({ path: sourcingShot, fullPage: true });
    console.log(`saved ${sourcingShot}`);
  }
  const shot = async (suffix: string) => {
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const file = out.replace(/\.png$/, `-${suffix}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`saved ${file}`);
  };
  if (process.argv.includes("--ops")) {
    // The exception queue, the runbook of its oldest item's kind, and the KPI dashboard (issue 18).
    await page.getByRole("link", { name: "Exceptions", exact: true }).first().click();
    await page.getByRole("heading", { name: "Exception queue", exact: true }).first().waitFor({ state: "visible", timeout: 20_000 });
    await shot("queue");
    const runbook = page.locator('a[href^="/app/runbooks/"]').first();
    if (await runbook.count()) await runbook.click();
    else await page.goto(page.url().replace(/\/app\/exceptions.*/, "/app/runbooks/stuck_before_allocation"));
    await page.getByRole("heading", { name: "Recovery steps" }).first().waitFor({ state: "visible", timeout: 20_000 });
    await shot("runbook");
    await page.getByRole("link", { name: "Dashboard", exact: true }).first().click();
    // Today only: the demo's data spans minutes, so the hourly view shows it.
    const today = new Date().toISOString().slice(0, 10);
    await page.getByRole("heading", { name: "Operations dashboard", exact: true }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.locator('input[name="from"]').fill(today);
    await page.locator('input[name="to"]').fill(today);
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/from=/, { timeout: 20_000 });
    await page.getByRole("heading", { name: "Operations dashboard", exact: true }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.waitForTimeout(1_500); // the charts measure their containers after hydration
    await shot("dashboard");
  }
  if (process.argv.includes("--returns")) {
    await page.getByRole("link", { name: "Returns", exact: true }).first().click();
    await page.locator("[data-testid=returns-table]").first().waitFor({ state: "visible", timeout: 20_000 });
    await shot("returns");
    await page.locator("[data-testid=tab-awaiting_match]").first().click();
    await page.waitForURL(/tab=awaiting_match/, { timeout: 20_000 });
    await page.locator("[data-testid=returns-table] a[href^='/app/returns/']").first().click();
    await page.locator("[data-testid=return-lines]").first().waitFor({ state: "visible", timeout: 20_000 });
    await shot("parcel");
    await page.goBack();
    await page.locator("[data-testid=tab-received]").first().click();
    await page.waitForURL(/tab=received/, { timeout: 20_000 });
    await page.locator("[data-testid=returns-table] a[href^='/app/returns/']").first().click();
    await page.locator("[data-testid=return-lines]").first().waitFor({ state: "visible", timeout: 20_000 });
    await shot("return");
    await page.getByRole("link", { name: "Returns", exact: true }).first().click();
    await page.locator("[data-testid=returns-table]").first().waitFor({ state: "visible", timeout: 20_000 });
    await page.getByRole("link", { name: "Finance reconciliation" }).first().click();
    await page.locator("[data-testid=totals]").first().waitFor({ state: "visible", timeout: 20_000 });
    await shot("finance");
  }
  if (process.argv.includes("--changes")) await changesShots(page, out);
  if (problems.length) console.log(`browser reported:\n${problems.join("\n")}`);
} finally {
  await browser.close();
}

async function changesShots(page: import("playwright-core").Page, out: string) {
  await page.getByRole("link", { name: "Changes", exact: true }).first().click();
  await page.getByRole("heading", { name: "Cancellation cut-offs" }).first().waitFor({ state: "visible", timeout: 20_000 });
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: out.replace(/\.png$/, "-changes.png"), fullPage: true });
  console.log(`saved ${out.replace(/\.png$/, "-changes.png")}`);
  if (process.env.CHANGES_PREVIEW) {
    const row = page
      .locator("div", { has: page.getByText(process.env.CHANGES_PREVIEW, { exact: true }) })
      .filter({ has: page.getByRole("link", { name: "Preview offline" }) })
      .last();
    await row.getByRole("link", { name: "Preview offline" }).click();
    await page.getByRole("heading", { name: /went offline now/ }).waitFor({ state: "visible", timeout: 20_000 });
    await page.screenshot({ path: out.replace(/\.png$/, "-changes-preview.png"), fullPage: true });
    console.log(`saved ${out.replace(/\.png$/, "-changes-preview.png")}`);
  }
  for (const name of (process.env.CHANGES_ORDERS ?? "").split(",").filter(Boolean)) {
    await page.getByRole("link", { name: "Orders", exact: true }).first().click();
    await page.locator("[data-testid=order-link]").first().waitFor({ state: "visible", timeout: 20_000 });
    await page.getByLabel("Search").fill(name);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator("[data-testid=order-link]", { hasText: name }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.locator("[data-testid=order-link]", { hasText: name }).first().click();
    await page.getByRole("heading", { name: "Changes" }).first().waitFor({ state: "visible", timeout: 20_000 });
    await page.waitForLoadState("networkidle").catch(() => undefined);
    const shot = out.replace(/\.png$/, `-change-${name.replace(/\W/g, "")}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`saved ${shot}`);
    if (process.env.CHANGES_CANCEL === name) {
      await page.getByRole("button", { name: /^(Cancel order|Request cancellation)$/ }).click();
      await page.locator(".Polaris-Banner").first().waitFor({ state: "visible", timeout: 30_000 });
      await page.waitForLoadState("networkidle").catch(() => undefined);
      const done = out.replace(/\.png$/, "-cancelled.png");
      await page.screenshot({ path: done, fullPage: true });
      console.log(`saved ${done}`);
    }
  }
}
