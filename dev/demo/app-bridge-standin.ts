// The browser script that stands in for App Bridge v4 (https://cdn.shopify.com/shopifycloud/app-bridge.js,
// unreachable offline). It does what the real one does for this app outside an admin iframe:
//  - `window.shopify.idToken()` returns a fresh session token (fetched from the dev admin, which
//    mints it through the Shopify stand-in), cached until shortly before it expires;
//  - `window.fetch` adds `Authorization: Bearer <idToken>` to requests for the app's own origin,
//    retries once when the app answers 401 with X-Shopify-Retry-Invalid-Session-Request, and follows
//    X-Shopify-API-Request-Failure-Reauthorize-Url;
//  - on the app's bounce page (`/auth/session-token?shopify-reload=<url>`) it fetches a token and
//    navigates to the shopify-reload URL with `id_token` added (shopify-app-remix's
//    redirect-to-bounce-page.mjs removes id_token and sets shopify-reload to the app URL to reload).
// The shop comes from the `shop` query parameter, else from `host` (base64 "admin.shopify.com/store/<name>"),
// else from this tab's sessionStorage (client-side navigations drop the query string).

export interface AppBridgeScriptOptions {
  /** Origin of the dev admin serving /session-token, e.g. http://localhost:4200. */
  adminOrigin: string;
}

function clientScript(adminOrigin: string): void {
  const STORAGE_KEY = "oms-dev-admin-shop";
  const params = new URLSearchParams(location.search);
  const shopFromHost = (host: string | null): string | null => {
    if (!host) return null;
    try {
      const match = /\/store\/([a-z0-9][a-z0-9-]*)/.exec(atob(host));
      return match ? `${match[1]}.myshopify.com` : null;
    } catch {
      return null;
    }
  };
  const shop = params.get("shop") ?? shopFromHost(params.get("host")) ?? sessionStorage.getItem(STORAGE_KEY);
  if (shop) sessionStorage.setItem(STORAGE_KEY, shop);
  const apiKey = document.currentScript?.getAttribute("data-api-key") ?? "";

  let cached: { token: string; expiresAt: number } | null = null;
  const expiryOf = (token: string): number => {
    try {
      const part = token.split(".")[1] ?? "";
      const payload = JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: number };
      return typeof payload.exp === "number" ? payload.exp * 1000 : Date.now() + 30_000;
    } catch {
      return Date.now();
    }
  };
  const idToken = async (fresh = false): Promise<string> => {
    if (!shop) throw new Error("App Bridge stand-in: no shop (open the app from the dev admin)");
    if (!fresh && cached && cached.expiresAt - 10_000 > Date.now()) return cached.token;
    const res = await realFetch(`${adminOrigin}/session-token?shop=${encodeURIComponent(shop)}`);
    if (!res.ok) throw new Error(`App Bridge stand-in: session token request failed (${res.status})`);
    const { token } = (await res.json()) as { token: string };
    cached = { token, expiresAt: expiryOf(token) };
    return token;
  };

  const realFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== location.origin || request.headers.has("authorization")) return realFetch(request);
    const retry = request.clone();
    request.headers.set("authorization", `Bearer ${await idToken()}`);
    let response = await realFetch(request);
    if (response.status === 401 && response.headers.get("x-shopify-retry-invalid-session-request") === "1") {
      retry.headers.set("authorization", `Bearer ${await idToken(true)}`);
      response = await realFetch(retry);
    }
    const reauthorize = response.headers.get("x-shopify-api-request-failure-reauthorize-url");
    if (reauthorize) window.open(reauthorize, "_top");
    return response;
  };

  const toast = (message: string) => {
    const el = document.createElement("div");
    el.textContent = message;
    el.setAttribute("role", "status");
    el.style.cssText =
      "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);background:#303030;color:#fff;padding:10px 16px;border-radius:8px;font:14px system-ui;z-index:10000";
    document.body.appendChild(el);
    setTimeout(() => el.remove(), 3000);
  };
  const host = params.get("host") ?? (shop ? btoa(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, "")}`) : "");
  Object.assign(window, {
    shopify: {
      config: { apiKey, shop: shop ?? "", host, locale: "en" },
      environment: { embedded: true, mobile: false, pos: false },
      idToken: () => idToken(),
      toast: { show: (message: string) => toast(message), hide: () => undefined },
      loading: () => undefined,
      ready: Promise.resolve(),
    },
  });

  const reload = params.get("shopify-reload");
  if (reload) {
    void idToken(true).then(
      (token) => {
        const target = new URL(reload, location.href);
        if (target.origin !== location.origin) throw new Error("App Bridge stand-in: shopify-reload must stay on the app's origin");
        target.searchParams.set("id_token", token);
        location.replace(target.href);
      },
      (e: unknown) => {
        document.body.textContent = e instanceof Error ? e.message : String(e);
      },
    );
  }
}

/** The script's source: the function above, invoked with the dev admin's origin. */
export function appBridgeScript({ adminOrigin }: AppBridgeScriptOptions): string {
  // tsx/esbuild may wrap named functions in __name(); the browser has no such helper.
  return `/* App Bridge stand-in (development only) */\n(function () {\n  var __name = function (f) { return f; };\n  (${clientScript.toString()})(${JSON.stringify(adminOrigin)});\n})();\n`;
}
