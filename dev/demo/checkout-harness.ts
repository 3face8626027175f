// A local checkout for the delivery-promise extension (development only), served by the dev admin:
//   GET  /checkout?shop=…&lines=SKU:qty,…[&locale=fr]  the checkout page: cart, address, delivery
//        options, "Place order"; the extension's shipping target runs in a frame with the `shopify`
//        API surface it uses (below); after the order, its thank-you target shows what it carries
//   GET  /checkout/frame?target=Shipping|ThankYou        the sandbox a target renders in
//   GET  /checkout/ext/<Target>.js                       the extension, built by esbuild on first use
//   GET  /checkout/locales/<lang>.json                   its translations
//   GET  /checkout/token?shop=…                          a checkout session token (the stand-in signs it)
//   POST /checkout/place?shop=…                          places the order in the stand-in, with the cart attributes
// The `shopify` object offered to the extension: sessionToken.get(), shippingAddress, lines,
// deliveryGroups, attributes (signals with .value and .subscribe), applyAttributeChange(), i18n
// (translate, formatDate) and extension.target — the parts of Shopify's checkout API it calls.
import { readFileSync } from "node:fs";
import type http from "node:http";
import path from "node:path";
import { buildDeliveryPromise, EXTENSION_DIR } from "../extension/build-delivery-promise";
import { repoRoot } from "../lib/processes";

export interface CheckoutHarnessOptions {
  /** The app (its /api/promise), compiled into the extension as Shopify CLI would. */
  appUrl: string;
  /** The stand-in's base URL: checkout tokens, variants, orders. */
  standInUrl: string;
}

const ADDRESSES = {
  okc: {
    label: "Oklahoma City, OK",
    firstName: "Ada",
    lastName: "Lovelace",
    address1: "100 N Broadway Ave",
    city: "Oklahoma City",
    provinceCode: "OK",
    countryCode: "US",
    zip: "73102",
  },
  nyc: {
    label: "New York, NY",
    firstName: "Ada",
    lastName: "Lovelace",
    address1: "350 5th Ave",
    city: "New York",
    provinceCode: "NY",
    countryCode: "US",
    zip: "10118",
  },
  la: {
    label: "Los Angeles, CA",
    firstName: "Ada",
    lastName: "Lovelace",
    address1: "200 N Spring St",
    city: "Los Angeles",
    provinceCode: "CA",
    countryCode: "US",
    zip: "90012",
  },
  mtl: {
    label: "Montréal, QC",
    firstName: "Ada",
    lastName: "Lovelace",
    address1: "275 Rue Notre-Dame E",
    city: "Montréal",
    provinceCode: "QC",
    countryCode: "CA",
    zip: "H2Y 1C6",
  },
};

export function checkoutHarness(opts: CheckoutHarnessOptions) {
  let built: Promise<string> | null = null;
  const outdir = path.join(repoRoot, ".tmp/checkout-harness");
  const bundle = () => (built ??= buildDeliveryPromise({ appUrl: opts.appUrl, outdir }).then(() => outdir));
  const send = (res: http.ServerResponse, status: number, type: string, body: string | Buffer) => {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
    res.end(body);
  };
  const standIn = (p: string, init?: RequestInit) => fetch(new URL(p, opts.standInUrl), init);

  /** Handles /checkout…; false when the path is not the harness's. */
  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith("/checkout")) return false;
    const shop = url.searchParams.get("shop") ?? "";
    if (url.pathname === "/checkout" && req.method === "GET") {
      const state = (await (await standIn(`/_dev/shops/${encodeURIComponent(shop)}/state`)).json()) as {
        variants: { id: string; sku: string; title: string; priceMinor: number }[];
      };
      const wanted = (url.searchParams.get("lines") ?? "")
        .split(",")
        .filter(Boolean)
        .map((x) => x.split(":"));
      const lines = (wanted.length ? wanted : [[state.variants[0]!.sku, "1"]]).map(([sku, q]) => {
        const v = state.variants.find((x) => x.sku === sku);
        if (!v) throw new Error(`no variant ${sku}`);
        return {
          id: v.id,
          sku: v.sku,
          title: v.title,
          quantity: Number(q ?? 1),
          cost: { totalAmount: { amount: (v.priceMinor * Number(q ?? 1)) / 100, currencyCode: "USD" } },
          merchandise: { id: v.id, title: v.title },
        };
      });
      send(res, 200, "text/html; charset=utf-8", page(shop, lines, url.searchParams.get("locale") ?? "en"));
      return true;
    }
    if (url.pathname === "/checkout/frame") {
      const target = url.searchParams.get("target") === "ThankYou" ? "ThankYou" : "Shipping";
      send(res, 200, "text/html; charset=utf-8", frame(target));
      return true;
    }
    const ext = /^\/checkout\/ext\/(Shipping|ThankYou|OrderStatus)\.js$/.exec(url.pathname);
    if (ext) {
      send(res, 200, "text/javascript; charset=utf-8", readFileSync(path.join(await bundle(), `${ext[1]}.js`)));
      return true;
    }
    const locale = /^\/checkout\/locales\/(en|fr)\.json$/.exec(url.pathname);
    if (locale) {
      send(res, 200, "application/json", readFileSync(path.join(EXTENSION_DIR, "locales", locale[1] === "en" ? "en.default.json" : "fr.json")));
      return true;
    }
    if (url.pathname === "/checkout/token") {
      const r = await standIn(`/_dev/shops/${encodeURIComponent(shop)}/checkout-token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      send(res, r.status, "application/json", await r.text());
      return true;
    }
    if (url.pathname === "/checkout/place" && req.method === "POST") {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const r = await standIn(`/_dev/shops/${encodeURIComponent(shop)}/checkout`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: Buffer.concat(chunks),
      });
      send(res, r.status, "application/json", await r.text());
      return true;
    }
    send(res, 404, "text/plain", "not found");
    return true;
  };
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(shop: string, lines: unknown[], locale: string): string {
  return `<!doctype html>
<html lang="${esc(locale)}"><head><meta charset="utf-8"><title>Checkout (dev harness)</title><link rel="icon" href="data:,">
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#fafafa;color:#1a1a1a}
header{background:#1a1a1a;color:#fff;padding:12px 24px}
main{display:grid;grid-template-columns:1fr 360px;gap:24px;max-width:1040px;margin:24px auto;padding:0 16px}
section{background:#fff;border:1px solid #e3e3e3;border-radius:10px;padding:16px 20px;margin-bottom:16px}
h2{font-size:16px;margin:0 0 10px}
label{display:block;margin:6px 0}
iframe{width:100%;border:0;min-height:40px}
button{background:#005bd3;color:#fff;border:0;border-radius:8px;padding:10px 18px;font-size:15px;cursor:pointer}
.muted{color:#616161;font-size:13px} code{font-size:12px;word-break:break-all}
</style></head>
<body><header>Checkout — local harness for the delivery-promise extension · ${esc(shop)}</header>
<main><div>
<section><h2>Shipping address</h2>
<select id="address">${Object.entries(ADDRESSES)
    .map(([k, a]) => `<option value="${k}">${esc(a.label)}</option>`)
    .join("")}</select></section>
<section><h2>Delivery method</h2>
<label><input type="radio" name="method" value="std" checked> Standard · $9.95</label>
<label><input type="radio" name="method" value="exp"> Express · $25.00</label>
<div class="muted">purchase.checkout.shipping-option-list.render-after:</div>
<iframe id="shipping" title="delivery promise"></iframe></section>
<section><button id="place">Place order</button> <span id="placed" class="muted"></span>
<iframe id="thankyou" title="thank you" style="display:none"></iframe></section>
</div><aside>
<section><h2>Cart</h2><div id="cart"></div></section>
<section><h2>Cart attributes</h2><code id="attrs">none</code></section>
</aside></main>
<script type="module">
const shop = ${JSON.stringify(shop)};
const locale = ${JSON.stringify(locale)};
const ADDRESSES = ${JSON.stringify(ADDRESSES)};
function signal(v) { const subs = new Set(); return { get value() { return v; }, set value(x) { v = x; subs.forEach((f) => f(x)); }, subscribe(f) { subs.add(f); return () => subs.delete(f); } }; }
const translations = await (await fetch('/checkout/locales/' + locale + '.json')).json();
const lines = ${JSON.stringify(lines)};
const options = [{ handle: 'std', title: 'Standard', code: 'standard' }, { handle: 'exp', title: 'Express', code: 'express' }];
const api = {
  extension: { target: 'purchase.checkout.shipping-option-list.render-after' },
  sessionToken: { get: async () => (await (await fetch('/checkout/token?shop=' + encodeURIComponent(shop), { cache: 'no-store' })).json()).token },
  shippingAddress: signal(ADDRESSES.okc),
  lines: signal(lines),
  deliveryGroups: signal([{ deliveryOptions: options, selectedDeliveryOption: { handle: 'std' } }]),
  attributes: signal([]),
  async applyAttributeChange(change) {
    const rest = api.attributes.value.filter((a) => a.key !== change.key);
    api.attributes.value = change.type === 'updateAttribute' ? [...rest, { key: change.key, value: change.value }] : rest;
    return { type: 'success' };
  },
  i18n: {
    translate: (k, o = {}) => (translations[k] ?? k).replace(/{{(\\w+)}}/g, (_, n) => String(o[n] ?? '')),
    formatDate: (d, o) => new Intl.DateTimeFormat(locale, o).format(d),
  },
  localization: { language: signal({ isoCode: locale }) },
};
window.harness = api;
// The extension's sandbox starts once the API it reads is in place.
document.getElementById('shipping').src = '/checkout/frame?target=Shipping';
document.getElementById('cart').innerHTML = lines.map((l) => '<div>' + l.quantity + ' × ' + l.title + ' <span class="muted">' + l.sku + '</span></div>').join('');
api.attributes.subscribe((a) => { document.getElementById('attrs').textContent = a.length ? JSON.stringify(a) : 'none'; });
document.getElementById('address').addEventListener('change', (e) => { api.shippingAddress.value = ADDRESSES[e.target.value]; });
for (const r of document.querySelectorAll('input[name=method]')) r.addEventListener('change', (e) => { api.deliveryGroups.value = [{ deliveryOptions: options, selectedDeliveryOption: { handle: e.target.value } }]; });
document.getElementById('place').addEventListener('click', async () => {
  const a = api.shippingAddress.value;
  const method = api.deliveryGroups.value[0].selectedDeliveryOption.handle === 'exp' ? 'Express' : 'Standard';
  const res = await fetch('/checkout/place?shop=' + encodeURIComponent(shop), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
    lines: lines.map((l) => ({ variantId: l.id, quantity: l.quantity })),
    shippingAddress: { firstName: a.firstName, lastName: a.lastName, address1: a.address1, city: a.city, provinceCode: a.provinceCode, countryCode: a.countryCode, zip: a.zip },
    email: 'ada@example.com', shippingMethod: method, attributes: api.attributes.value }) });
  const body = await res.json();
  document.getElementById('placed').textContent = res.ok ? 'Placed ' + body.name + ' (' + body.orderId + ')' : 'Refused: ' + (body.error ?? res.status);
  if (res.ok) { window.placedOrder = body; const f = document.getElementById('thankyou'); f.style.display = 'block'; f.src = '/checkout/frame?target=ThankYou'; }
});
</script></body></html>`;
}

function frame(target: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<style>body{margin:0;font:15px/1.5 system-ui,sans-serif}s-stack{display:flex;flex-direction:column;gap:4px}s-text{display:block}
s-text[color=subdued]{color:#616161;font-size:14px}s-heading{display:block;font-weight:600}
s-banner{display:block;background:#eaf4ff;border-radius:8px;padding:8px 12px}</style></head>
<body><script type="module">
window.shopify = parent.harness;
const resize = () => { const f = parent.document.getElementById(${JSON.stringify(target === "Shipping" ? "shipping" : "thankyou")}); if (f) f.style.height = (document.body.scrollHeight + 8) + 'px'; };
new MutationObserver(resize).observe(document.body, { childList: true, subtree: true, characterData: true });
const mod = await import('/checkout/ext/${target}.js');
await mod.default();
resize();
</script></body></html>`;
}
