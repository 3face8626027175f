// The local Shopify: Admin GraphQL, OAuth token exchange, and the /_dev controls tests and the demo
// drive it with. See README.md for the contract.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import { gid, idOf } from "./gid";
import { runGraphql } from "./graphql";
import { adjustOnHand, checkout, fulfill, markDelivered, startFulfillmentOrder } from "./operations";
import { orderChangeControls } from "./order-change-controls";
import { appUninstalledPayload } from "./payloads";
import { onHandOf, StandInError, type FulfillmentOrder, type ShopState } from "./store";
import { seededSummary, seedShop, shopSeedSchema } from "./seed";
import { mintCheckoutToken, mintSessionToken, verifySessionToken } from "./session-token";
import { carrierServicesOf, fetchRates, rateRequest } from "./carrier-service";
import { StandIn, type StandInOptions, type WebhookSink } from "./standin";
import { associatedUser, setStaffUsers, staffUsersSchema } from "./staff";
import { captureAtGateway, checkoutExtrasSchema, markPaid, openScheduled, posSale, posSaleSchema } from "./payments";

export type { WebhookSink };
export { mintSessionToken };

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const API_VERSION = "2026-04";

function appScopes(): string {
  const toml = parseToml(readFileSync(path.join(repoRoot, "shopify.app.toml"), "utf8")) as { access_scopes?: { scopes?: string } };
  return toml.access_scopes?.scopes ?? "";
}

type Json = Record<string, unknown>;
const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
};

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startShopifyStandIn(opts: StandInOptions & { port?: number; host?: string }) {
  const standIn = new StandIn(opts);
  const scopes = appScopes();
  const server = http.createServer((req, res) => {
    handle(standIn, scopes, req, res).catch((e) => {
      if (e instanceof StandInError) return send(res, 422, { error: e.message, code: e.code });
      if (e instanceof z.ZodError) return send(res, 400, { error: "invalid request", issues: e.issues });
      console.error("stand-in error", e);
      send(res, 500, { errors: "Internal error" });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  standIn.baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}`,
    standIn,
    store: standIn.shops,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(standIn: StandIn, scopes: string, req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://stand-in");
  const raw = req.method === "POST" ? await readBody(req) : "";
  const json = (): Json => (raw ? (JSON.parse(raw) as Json) : {});
  const shopHost = String(req.headers["x-forwarded-host"] ?? req.headers.host ?? "").split(":")[0] ?? "";

  const graphql = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
  if (graphql && req.method === "POST") {
    if (graphql[1] !== API_VERSION) return send(res, 404, { errors: "Not Found" });
    const shop = standIn.shop(shopHost);
    const token = req.headers["x-shopify-access-token"];
    if (!shop || !standIn.authorize(typeof token === "string" ? token : null, shopHost)) {
      return send(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    }
    let body: Json;
    try {
      body = json();
    } catch {
      return send(res, 400, { errors: "Invalid JSON in request body" });
    }
    const operation =
      typeof body.operationName === "string"
        ? body.operationName
        : (/(?:query|mutation)\s+(\w+)/.exec(typeof body.query === "string" ? body.query : "")?.[1] ?? "");
    const fault = standIn.takeAdminFault(shop.domain, operation);
    if (fault === "unavailable") return send(res, 503, { errors: "Service Unavailable" });
    const answer = runGraphql(standIn, shop, body);
    if (fault === "lost_answer") return void req.socket.destroy();
    return send(res, answer.status, answer.body);
  }

  const bulk = /^\/_dev\/bulk\/(\d+)\.jsonl$/.exec(url.pathname);
  if (bulk && req.method === "GET") {
    // Stands in for the signed storage URL Shopify returns: readable without a token.
    const b = standIn.bulkOperations.get(Number(bulk[1]));
    if (!b || standIn.now().getTime() < b.readyAt) return send(res, 404, { errors: "Not Found" });
    res.writeHead(200, { "content-type": "application/jsonl" });
    return res.end(b.lines.join("\n") + (b.lines.length ? "\n" : ""));
  }

  if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") return tokenEndpoint(standIn, scopes, shopHost, raw, req, res);

  const dev = /^\/_dev\/shops(?:\/([^/]+))?(\/.*)?$/.exec(url.pathname);
  if (dev) return controls(standIn, scopes, req.method ?? "GET", dev[1], dev[2] ?? "", json, res, url.searchParams);
  send(res, 404, { errors: "Not Found" });
}

/** OAuth token exchange (session token → offline access token) and refresh, as Shopify answers them. */
function tokenEndpoint(standIn: StandIn, scopes: string, shopHost: string, raw: string, req: http.IncomingMessage, res: http.ServerResponse) {
  const form = (req.headers["content-type"] ?? "").includes("json")
    ? (JSON.parse(raw || "{}") as Record<string, string>)
    : Object.fromEntries(new URLSearchParams(raw));
  const { apiKey, apiSecret } = standIn.opts;
  if (form.client_id !== apiKey || form.client_secret !== apiSecret)
    return send(res, 401, { error: "invalid_client", error_description: "Client credentials are invalid" });
  if (!standIn.shop(shopHost)) return send(res, 404, { errors: "Not Found" });
  const expiring = form.expiring === "1";
  const issue = () => {
    const { accessToken } = standIn.issueToken(shopHost, scopes, expiring ? 3600 : null);
    const body: Json = { access_token: accessToken, scope: scopes };
    if (expiring) {
      const refresh = `shprt_${accessToken.slice(6)}`;
      standIn.refreshTokens.set(refresh, { shop: shopHost, scope: scopes });
      Object.assign(body, { expires_in: 3600, refresh_token: refresh, refresh_token_expires_in: 7_776_000 });
    }
    return body;
  };
  if (form.grant_type === "urn:ietf:params:oauth:grant-type:token-exchange") {
    const claims = verifySessionToken(form.subject_token ?? "", apiKey, apiSecret, standIn.now());
    if ("error" in claims) return send(res, 400, { error: "invalid_subject_token", error_description: claims.error });
    if (claims.dest !== `https://${shopHost}`) return send(res, 400, { error: "invalid_subject_token", error_description: "token is for another shop" });
    if (form.requested_token_type === "urn:shopify:params:oauth:token-type:online-access-token") {
      const { accessToken } = standIn.issueToken(shopHost, scopes, 86_400);
      return send(res, 200, {
        access_token: accessToken,
        scope: scopes,
        expires_in: 86_400,
        associated_user_scope: scopes,
        associated_user: associatedUser(standIn.shop(shopHost)!, Number(claims.sub ?? 1)),
      });
    }
    return send(res, 200, issue());
  }
  if (form.grant_type === "refresh_token") {
    const known = standIn.refreshTokens.get(form.refresh_token ?? "");
    if (!known || known.shop !== shopHost) return send(res, 400, { error: "invalid_grant", error_description: "refresh token is invalid" });
    standIn.refreshTokens.delete(form.refresh_token ?? "");
    return send(res, 200, issue());
  }
  return send(res, 400, { error: "unsupported_grant_type" });
}

const checkoutSchema = z.object({
  lines: z.array(z.object({ sku: z.string().optional(), variantId: z.string().optional(), quantity: z.number().int() })).min(1),
  shippingAddress: z.object({
    firstName: z.string(),
    lastName: z.string(),
    address1: z.string(),
    address2: z.string().optional(),
    city: z.string(),
    provinceCode: z.string(),
    countryCode: z.string().length(2),
    zip: z.string(),
    phone: z.string().optional(),
  }),
  email: z.string().email(),
  shippingMethod: z.string().optional(),
  pickupLocation: z.string().optional(),
  // Cart attributes (Shopify limits keys to 255 characters; values are strings).
  attributes: z.array(z.object({ key: z.string().min(1).max(255), value: z.string() })).optional(),
  // Manual capture, risk, payment terms, selling plan (payments.ts).
  extras: checkoutExtrasSchema.optional(),
});

function controls(
  standIn: StandIn,
  scopes: string,
  method: string,
  domain: string | undefined,
  rest: string,
  json: () => Json,
  res: http.ServerResponse,
  query: URLSearchParams = new URLSearchParams(),
) {
  const now = standIn.now();
  if (!domain) {
    if (method !== "POST") return send(res, 405, { error: "POST a shop fixture" });
    const shop = seedShop(standIn, shopSeedSchema.parse(json()), now);
    return send(res, 200, seededSummary(shop));
  }
  const shop = standIn.shop(decodeURIComponent(domain));
  if (!shop) return send(res, 404, { error: `no shop ${domain}` });
  const announce = (events: { topic: string; payload: unknown }[]) => standIn.announce(shop.domain, events);

  if (rest === "/install" && method === "POST") {
    const { accessToken } = standIn.issueToken(shop.domain, scopes, null);
    return send(res, 200, { accessToken, scope: scopes });
  }
  if (rest === "/session-token" && method === "POST") {
    const body = json();
    return send(res, 200, {
      token: mintSessionToken({
        shop: shop.domain,
        apiKey: standIn.opts.apiKey,
        apiSecret: standIn.opts.apiSecret,
        userId: typeof body.userId === "number" ? body.userId : 1,
        now,
      }),
    });
  }
  if (rest === "/checkout-token" && method === "POST") {
    // What a checkout UI extension's shopify.sessionToken.get() returns (mintCheckoutToken).
    return send(res, 200, { token: mintCheckoutToken({ shop: shop.domain, apiKey: standIn.opts.apiKey, apiSecret: standIn.opts.apiSecret, now }) });
  }
  if (rest === "/checkout" && method === "POST") {
    const input = checkoutSchema.parse(json());
    const a = input.shippingAddress;
    const shippingAddress = {
      firstName: a.firstName,
      lastName: a.lastName,
      company: null,
      address1: a.address1,
      address2: a.address2 ?? null,
      city: a.city,
      provinceCode: a.provinceCode,
      zip: a.zip,
      countryCode: a.countryCode,
      phone: a.phone ?? null,
      latitude: null,
      longitude: null,
    };
    // With a carrier service registered, Shopify asks it for rates and the buyer picks one (here:
    // the one named like shippingMethod, else the first); no rates → the shop's own flat rates.
    void (async () => {
      let shippingRate: { title: string; code: string; priceMinor: number; dates: string | null } | null = null;
      if (!input.pickupLocation && carrierServicesOf(shop).size) {
        const lines = input.lines.flatMap((l) => {
          const v = [...shop.variants.values()].find((x) => (l.sku ? x.sku === l.sku : gid("ProductVariant", x.id) === l.variantId));
          return v
            ? [
                {
                  variantId: v.id,
                  sku: v.sku,
                  title: `${shop.products.get(v.productId)?.title ?? ""} - ${v.title}`,
                  quantity: l.quantity,
                  priceMinor: v.priceMinor,
                  productId: v.productId,
                },
              ]
            : [];
        });
        const rates = await fetchRates(shop, standIn.opts.apiSecret, rateRequest(shop, lines, shippingAddress));
        const wanted = (input.shippingMethod ?? "").toLowerCase();
        const r = rates.find((x) => wanted && (x.service_name.toLowerCase().startsWith(wanted) || x.service_code.toLowerCase().startsWith(wanted))) ?? rates[0];
        if (r)
          shippingRate = {
            title: r.service_name,
            code: r.service_code,
            priceMinor: Number(r.total_price),
            dates: r.min_delivery_date ? `${r.min_delivery_date} – ${r.max_delivery_date}` : null,
          };
      }
      const result = checkout(
        standIn,
        shop,
        {
          lines: input.lines,
          email: input.email,
          firstName: a.firstName,
          lastName: a.lastName,
          shippingMethod: input.shippingMethod,
          pickupLocation: input.pickupLocation,
          attributes: input.attributes,
          extras: input.extras,
          shippingRate,
          shippingAddress,
        },
        standIn.now(),
      );
      announce(result.events);
      return send(res, 200, {
        orderId: gid("Order", result.order.id),
        name: result.order.name,
        fulfillmentOrderIds: result.fulfillmentOrders.map((f) => gid("FulfillmentOrder", f.id)),
        shippingRate,
      });
    })().catch((e: unknown) => {
      if (e instanceof StandInError) return send(res, 422, { error: e.message, code: e.code });
      return send(res, 500, { error: e instanceof Error ? e.message : String(e) });
    });
    return;
  }
  const foAction = /^\/fulfillment-orders\/([^/]+)\/(start|ship|deliver)$/.exec(rest);
  if (foAction && method === "POST") {
    const rawId = decodeURIComponent(foAction[1]!);
    const fo = shop.fulfillmentOrders.get(idOf("FulfillmentOrder", rawId) ?? Number(rawId));
    if (!fo) return send(res, 404, { error: "no such fulfillment order" });
    if (foAction[2] === "start") {
      announce(startFulfillmentOrder(shop, fo, now));
      return send(res, 200, { status: fo.status });
    }
    if (foAction[2] === "ship") {
      const body = json();
      const { fulfillment, events } = fulfill(
        standIn,
        shop,
        [{ fo, lines: null }],
        { company: String(body.company ?? "UPS"), number: String(body.number ?? `1Z${fo.id}`), url: typeof body.url === "string" ? body.url : null },
        now,
      );
      announce(events);
      return send(res, 200, { fulfillmentId: gid("Fulfillment", fulfillment.id) });
    }
    const shipments = [...shop.fulfillments.values()].filter((f) => f.orderId === fo.orderId && f.locationId === fo.locationId);
    if (!shipments.length) return send(res, 409, { error: "nothing shipped from this fulfillment order yet" });
    // `at`: the carrier's delivery scan time, for simulations that run days in minutes (default: now).
    const at = typeof json().at === "string" ? new Date(String(json().at)) : now;
    if (Number.isNaN(at.getTime())) return send(res, 400, { error: "at must be an ISO time" });
    for (const f of shipments) announce(markDelivered(shop, f.id, at));
    return send(res, 200, { delivered: shipments.map((f) => gid("Fulfillment", f.id)) });
  }
  // Order edits, cancellations and fulfilment-service answers (order-change-controls.ts).
  const change = orderChangeControls(standIn, shop, method, rest, json, now);
  if (change) return send(res, change.status, change.body);
  if (paymentControls(standIn, shop, method, rest, json, res, announce, now)) return;
  if (rest === "/inventory/adjust" && method === "POST") {
    const body = z
      .object({
        sku: z.string().optional(),
        inventoryItemId: z.string().optional(),
        location: z.string(),
        delta: z.number().int().optional(),
        onHand: z.number().int().optional(),
      })
      .parse(json());
    const variant = [...shop.variants.values()].find((v) => v.sku === body.sku || gid("InventoryItem", v.inventoryItemId) === body.inventoryItemId);
    const location = [...shop.locations.values()].find((l) => l.name === body.location || gid("Location", l.id) === body.location);
    if (!variant || !location) return send(res, 404, { error: "unknown item or location" });
    const lv = shop.levels.get(`${variant.inventoryItemId}:${location.id}`);
    const delta = body.delta ?? (body.onHand !== undefined ? body.onHand - (lv ? onHandOf(lv.q) : 0) : 0);
    const { level, events } = adjustOnHand(shop, variant.inventoryItemId, location.id, delta, now);
    announce(events);
    return send(res, 200, { available: level.q.available, onHand: onHandOf(level.q) });
  }
  if (rest === "/uninstall" && method === "POST") {
    standIn.revokeShop(shop.domain);
    announce([{ topic: "app/uninstalled", payload: appUninstalledPayload(shop) }]);
    return send(res, 200, { uninstalled: true });
  }
  if (rest === "/throttle" && method === "POST") {
    const body = z.object({ restoreRate: z.number().positive() }).parse(json());
    standIn.restoreRate = body.restoreRate;
    return send(res, 200, { restoreRate: standIn.restoreRate });
  }
  if (rest === "/state" && method === "GET") return send(res, 200, dumpState(shop));
  // Shopify Flow: the trigger calls the app made (flowTriggerReceive), oldest first.
  if (rest === "/flow-triggers" && method === "GET") return send(res, 200, { calls: standIn.flowTriggerCalls.get(shop.domain) ?? [] });
  // A fault: the next `count` deliveries of each topic are lost, as when Shopify gives up after its last retry.
  if (rest === "/webhooks/drop" && method === "POST") {
    const body = z.object({ topics: z.array(z.string().min(1)).min(1), count: z.number().int().positive().default(1) }).parse(json());
    const drops = standIn.droppedTopics.get(shop.domain) ?? new Map<string, number>();
    for (const t of body.topics) drops.set(t, (drops.get(t) ?? 0) + body.count);
    standIn.droppedTopics.set(shop.domain, drops);
    return send(res, 200, { dropping: Object.fromEntries(drops) });
  }
  // A fault: the next `count` Admin GraphQL requests naming these operations (any, when none) fail as when Shopify is unreachable.
  if (rest === "/faults/admin" && method === "POST") {
    const body = z
      .object({
        operations: z.array(z.string().min(1)).default([]),
        mode: z.enum(["unavailable", "lost_answer"]).default("unavailable"),
        count: z.number().int().positive().default(1),
      })
      .parse(json());
    const faults = standIn.adminFaults.get(shop.domain) ?? [];
    faults.push({ operations: body.operations, mode: body.mode, remaining: body.count });
    standIn.adminFaults.set(shop.domain, faults);
    return send(res, 200, { faults: faults.filter((f) => f.remaining > 0) });
  }
  // The fulfilment orders of some orders only (?orders=gid,gid): what a poller watching a few orders needs.
  if (rest === "/fulfillment-orders" && method === "GET") {
    const wanted = new Set(
      (query.get("orders") ?? "")
        .split(",")
        .filter(Boolean)
        .map((id) => idOf("Order", id) ?? Number(id)),
    );
    return send(res, 200, {
      fulfillmentOrders: dumpFulfillmentOrders(
        shop,
        [...shop.fulfillmentOrders.values()].filter((f) => wanted.has(f.orderId)),
      ),
    });
  }
  send(res, 404, { error: `unknown control ${method} ${rest}` });
}

function dumpFulfillmentOrders(shop: ShopState, fos: Iterable<FulfillmentOrder>) {
  return [...fos].map((f) => ({
    id: gid("FulfillmentOrder", f.id),
    orderId: gid("Order", f.orderId),
    location: shop.locations.get(f.locationId)?.name,
    status: f.status,
    lines: f.lines.map((l) => ({ lineItemId: gid("LineItem", l.lineItemId), total: l.totalQuantity, remaining: l.remainingQuantity })),
  }));
}

function dumpState(shop: ShopState) {
  const variantOf = new Map([...shop.variants.values()].map((v) => [v.inventoryItemId, v]));
  return {
    shop: shop.domain,
    variants: [...shop.variants.values()].map((v) => ({
      id: gid("ProductVariant", v.id),
      sku: v.sku,
      title: `${shop.products.get(v.productId)?.title ?? ""} - ${v.title}`,
      priceMinor: v.priceMinor,
    })),
    orders: [...shop.orders.values()].map((o) => ({
      id: gid("Order", o.id),
      name: o.name,
      cancelledAt: o.cancelledAt,
      lines: o.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, currentQuantity: l.currentQuantity })),
    })),
    fulfillmentOrders: dumpFulfillmentOrders(shop, shop.fulfillmentOrders.values()),
    inventory: [...shop.levels.values()].map((lv) => {
      const v = variantOf.get(lv.inventoryItemId);
      return { sku: v?.sku, location: shop.locations.get(lv.locationId)?.name, ...lv.q, on_hand: onHandOf(lv.q) };
    }),
  };
}

/** Staff users, POS sales, payments outside the app and pre-order dates (payments.ts, staff.ts). True when handled. */
function paymentControls(
  standIn: StandIn,
  shop: ShopState,
  method: string,
  rest: string,
  json: () => Json,
  res: http.ServerResponse,
  announce: (e: { topic: string; payload: unknown }[]) => void,
  now: Date,
): boolean {
  if (method !== "POST") return false;
  if (rest === "/staff") {
    const { users } = staffUsersSchema.parse(json());
    setStaffUsers(shop, users);
    send(res, 200, { users: users.length });
    return true;
  }
  if (rest === "/pos-sale") {
    const { order, events } = posSale(standIn, shop, posSaleSchema.parse(json()), now);
    announce(events);
    send(res, 200, { orderId: gid("Order", order.id), name: order.name });
    return true;
  }
  const orderControl = /^\/orders\/([^/]+)\/(pay|gateway-capture|risk)$/.exec(rest);
  if (orderControl) {
    const order = shop.orders.get(idOf("Order", decodeURIComponent(orderControl[1]!)) ?? Number(orderControl[1]));
    if (!order) return (send(res, 404, { error: "no such order" }), true);
    if (orderControl[2] === "pay") announce(markPaid(standIn, shop, order, now));
    else if (orderControl[2] === "gateway-capture")
      announce(
        captureAtGateway(standIn, shop, order, z.object({ amountMinor: z.number().int().positive().optional() }).parse(json()).amountMinor ?? null, now),
      );
    else {
      const r = checkoutExtrasSchema.shape.risk.unwrap().parse(json());
      order.risk = {
        level: r.level,
        recommendation: r.recommendation ?? (r.level === "HIGH" ? "CANCEL" : r.level === "MEDIUM" ? "INVESTIGATE" : "ACCEPT"),
        facts: r.facts ?? [],
      };
      order.updatedAt = now.toISOString();
      announce([
        {
          topic: "orders/risk_assessment_changed",
          payload: {
            provider_id: null,
            provider_title: null,
            risk_level: order.risk.level.toLowerCase(),
            created_at: now.toISOString(),
            order_id: order.id,
            admin_graphql_api_order_id: gid("Order", order.id),
          },
        },
      ]);
    }
    send(res, 200, { orderId: gid("Order", order.id), transactions: order.transactions.length });
    return true;
  }
  const open = /^\/fulfillment-orders\/([^/]+)\/open-scheduled$/.exec(rest);
  if (open) {
    const fo = shop.fulfillmentOrders.get(idOf("FulfillmentOrder", decodeURIComponent(open[1]!)) ?? Number(open[1]));
    if (!fo || fo.status !== "SCHEDULED") return (send(res, 409, { error: "not a scheduled fulfillment order" }), true);
    announce(openScheduled(fo, now));
    send(res, 200, { status: fo.status });
    return true;
  }
  return false;
}
