// A tiny stand-in for Shopify admin around the embedded app, for an ordinary browser (development
// only; it refuses to start with NODE_ENV=production):
//   GET /                     the shop(s) with a link "Open Order Management"
//   GET /apps/oms?shop=…      mints a session token and opens the app the way admin does:
//                             <appUrl>/app?shop=…&host=<base64 admin.shopify.com/store/<name>>&embedded=1&id_token=…
//   GET /session-token?shop=… {token}: what App Bridge's idToken() asks admin for (CORS for the app)
//   GET /app-bridge.js        the App Bridge stand-in script (see app-bridge-standin.ts)
import http from "node:http";
import { appBridgeScript } from "./app-bridge-standin";
import { checkoutHarness, type CheckoutHarnessOptions } from "./checkout-harness";

export interface TokenMinter {
  /** userId: the staff member signed in to admin (Shopify's user id; the stand-in's default is its owner). */
  sessionToken(shop: string, userId?: number): Promise<string>;
}

export interface DevAdminOptions {
  /** Mints Shopify session tokens for the app (the stand-in's /_dev/shops/:shop/session-token). */
  tokens: TokenMinter;
  /** The app's URL (SHOPIFY_APP_URL), e.g. http://localhost:3000. */
  appUrl: string;
  /** This server's own origin, baked into /app-bridge.js, e.g. http://localhost:4200. */
  adminOrigin: string;
  /** Shops listed on the home page. */
  shops: readonly string[];
  nodeEnv?: string;
  /** The local checkout harness for the delivery-promise extension (/checkout…); off when absent. */
  checkout?: CheckoutHarnessOptions;
}

const SHOP_PATTERN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function assertDevelopment(nodeEnv: string | undefined): void {
  if (nodeEnv === "production") {
    throw new Error("dev-admin is a development stand-in for Shopify admin and refuses to run with NODE_ENV=production");
  }
}

/** The `host` parameter admin gives embedded apps: base64 of "admin.shopify.com/store/<name>". */
export function hostParam(shop: string): string {
  return Buffer.from(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`).toString("base64");
}

export function embeddedAppUrl(appUrl: string, shop: string, idToken: string): string {
  const url = new URL("/app", appUrl);
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", hostParam(shop));
  url.searchParams.set("embedded", "1");
  url.searchParams.set("id_token", idToken);
  return url.href;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function homePage(shops: readonly string[]): string {
  const rows = shops
    .map(
      (shop) =>
        `<li><span class="shop">${escapeHtml(shop)}</span> <a href="/apps/oms?shop=${encodeURIComponent(shop)}">Open Order Management</a> · <a href="/checkout?shop=${encodeURIComponent(shop)}">Checkout (delivery promise)</a></li>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shopify admin (dev stand-in)</title>
<style>body{font:15px/1.5 system-ui,sans-serif;background:#f1f1f1;margin:0}header{background:#1a1a1a;color:#fff;padding:12px 24px}
main{max-width:720px;margin:32px auto;background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 2px rgba(0,0,0,.1)}
li{margin:8px 0}.shop{font-weight:600;margin-right:12px}a{color:#005bd3}</style></head>
<body><header>Shopify admin — development stand-in</header>
<main><h1>Stores</h1><ul>
${rows}
</ul><p>Opening the app mints a session token for it, as Shopify admin does.</p></main></body></html>`;
}

export function createDevAdmin(options: DevAdminOptions): http.Server {
  return http.createServer(devAdminHandler(options));
}

/** The request handler, for a server whose port (and so adminOrigin) is known only after listening. */
export function devAdminHandler(options: DevAdminOptions): http.RequestListener {
  assertDevelopment(options.nodeEnv ?? process.env.NODE_ENV);
  const appOrigin = new URL(options.appUrl).origin;
  const script = appBridgeScript({ adminOrigin: options.adminOrigin });

  const send = (res: http.ServerResponse, status: number, type: string, body: string, headers: http.OutgoingHttpHeaders = {}) => {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
    res.end(body);
  };
  const cors = { "access-control-allow-origin": appOrigin, vary: "Origin" };
  const harness = options.checkout ? checkoutHarness(options.checkout) : null;
  // The staff member signed in per shop (one at a time, like one browser signed in to admin).
  const signedIn = new Map<string, number>();

  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://dev-admin.invalid");
    const shop = url.searchParams.get("shop") ?? "";
    void (async () => {
      if (harness && (await harness(req, res, url))) return;
      if (req.method === "OPTIONS") {
        return send(res, 204, "text/plain", "", { ...cors, "access-control-allow-methods": "GET", "access-control-max-age": "600" });
      }
      if (req.method !== "GET") return send(res, 405, "text/plain", "method not allowed");
      switch (url.pathname) {
        case "/":
          return send(res, 200, "text/html; charset=utf-8", homePage(options.shops));
        case "/app-bridge.js":
          return send(res, 200, "text/javascript; charset=utf-8", script, cors);
        case "/apps/oms": {
          if (!SHOP_PATTERN.test(shop)) return send(res, 400, "text/plain", "shop must be <name>.myshopify.com");
          // ?user=<id>: sign in to admin as that staff member (kept for App Bridge's later token requests).
          const user = Number(url.searchParams.get("user"));
          if (Number.isInteger(user) && user > 0) signedIn.set(shop, user);
          const token = await options.tokens.sessionToken(shop, signedIn.get(shop));
          res.writeHead(302, { location: embeddedAppUrl(options.appUrl, shop, token), "cache-control": "no-store" });
          return res.end();
        }
        case "/session-token": {
          if (!SHOP_PATTERN.test(shop)) return send(res, 400, "application/json", JSON.stringify({ error: "invalid shop" }), cors);
          const token = await options.tokens.sessionToken(shop, signedIn.get(shop));
          return send(res, 200, "application/json", JSON.stringify({ token }), cors);
        }
        default:
          return send(res, 404, "text/plain", "not found");
      }
    })().catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      if (!res.headersSent) send(res, 502, "text/plain", `dev-admin: ${message}`, cors);
      else res.end();
    });
  };
}

export async function startDevAdmin(options: Omit<DevAdminOptions, "adminOrigin"> & { port: number }): Promise<{ url: string; close(): Promise<void> }> {
  assertDevelopment(options.nodeEnv ?? process.env.NODE_ENV);
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const adminOrigin = `http://localhost:${port}`;
  server.on("request", devAdminHandler({ ...options, adminOrigin }));
  return {
    url: adminOrigin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
