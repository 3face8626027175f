// The local SP-API: Login with Amazon, Orders v2026-01-01 reads, Orders v0 confirmShipment, Listings
// Items fulfillment_availability, the models' static sandbox under /sandbox, and /_dev controls.
// See README.md for the contract.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { StandInClock } from "./clock";
import { coerceParams, describeErrors, findOperation, type Operation } from "./models";
import { error, HANDLERS, type Reply } from "./operations";
import { AmazonStore, MARKETPLACES, PII_ROLES, type FulfillmentStatus, type StoredOrder } from "./store";

type Json = Record<string, unknown>;

const SANDBOX_PLAN = { rate: 5, burst: 15 };

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const h = { "x-amzn-RequestId": randomUUID(), ...headers };
  if (body === undefined) {
    res.writeHead(status, h);
    return res.end();
  }
  res.writeHead(status, { "content-type": "application/json", ...h });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const deepEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The static sandbox: the most specific of the model's examples whose parameters all match. */
function sandboxReply(op: Operation, params: Json): Reply | null {
  let best: { score: number; reply: Reply } | null = null;
  for (const [status, r] of op.responses) {
    for (const c of r.sandbox) {
      let score = 0;
      let ok = true;
      for (const [name, spec] of Object.entries(c.request.parameters)) {
        if (!spec || !("value" in spec)) continue; // `body: {}` matches any body
        // The examples call the body "body" whatever the model names the parameter ("payload").
        const actual = name === "body" ? params[op.params.find((p) => p.in === "body")?.name ?? "body"] : params[name];
        if (!deepEqual(actual, spec.value)) ok = false;
        else score++;
      }
      if (ok && (!best || score > best.score)) best = { score, reply: [status, status === 204 ? undefined : c.response] };
    }
  }
  return best?.reply ?? null;
}

export type AmazonStandIn = Awaited<ReturnType<typeof startAmazonStandIn>>;

export async function startAmazonStandIn(opts: { port?: number; host?: string; speed?: number; start?: number } = {}) {
  const store = new AmazonStore(new StandInClock(opts.start ?? Date.now(), opts.speed ?? 1));

  /** Validates the response against the model before it leaves: a stand-in bug must not look like Amazon. */
  function reply(res: http.ServerResponse, op: Operation, [status, body]: Reply, plan: { rate: number } | null) {
    const spec = op.responses.get(status);
    if (!spec) throw new Error(`${op.operationId}: the model has no ${status} response`);
    if (spec.schema && body !== undefined && !spec.schema(body))
      throw new Error(`${op.operationId} ${status}: response does not match the model: ${describeErrors(spec.schema)}`);
    if (status >= 400) store.count(store.stats.rejected, op.operationId);
    // x-amzn-RateLimit-Limit is returned on 20x, 400 and 404 only (never on 429/403).
    const withLimit = plan && (status < 300 || status === 400 || status === 404) && spec.headers.includes("x-amzn-RateLimit-Limit");
    // The rate per second of the wall: with a compressed clock the plan runs that much faster.
    send(res, status, body, withLimit ? { "x-amzn-RateLimit-Limit": String(Number((plan.rate * store.clock.speed).toPrecision(6))) } : {});
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, sandbox: boolean) {
    const pathname = sandbox ? url.pathname.slice("/sandbox".length) : url.pathname;
    const found = findOperation(req.method ?? "GET", pathname);
    if (!found) return send(res, 404, { errors: [{ code: "NotFound", message: "Resource not found." }] });
    const { op, pathValues } = found;
    const token = req.headers["x-amz-access-token"];
    const held = typeof token === "string" ? store.accessTokens.get(token) : undefined;
    if (!held)
      return send(res, 403, {
        errors: [
          {
            code: "Unauthorized",
            message: "Access to requested resource is denied.",
            details: "The access token you provided is revoked, malformed or invalid.",
          },
        ],
      });
    if (held.expiresAt <= store.now())
      return send(res, 403, {
        errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }],
      });
    const seller = store.sellers.get(held.sellerId)!;
    const params = coerceParams(op, url.searchParams, pathValues);
    const raw = await readBody(req);
    const bodyParam = op.params.find((p) => p.in === "body");
    if (bodyParam) {
      if (!raw) return reply(res, op, error(400, "InvalidInput", "The request body is missing."), null);
      try {
        params[bodyParam.name] = JSON.parse(raw);
      } catch {
        return reply(res, op, error(400, "InvalidInput", "The request body is not valid JSON."), null);
      }
    }
    store.count(store.stats.calls, op.operationId);
    const slow = store.slow.get(op.operationId);
    const isSlow = !sandbox && slow !== undefined && slow.remaining > 0 && (!slow.paged || url.searchParams.has("paginationToken"));
    if (isSlow) slow.remaining--;
    store.calls.push({ operationId: op.operationId, at: store.now(), query: Object.fromEntries(url.searchParams), slow: isSlow });
    if (store.calls.length > 1000) store.calls.splice(0, store.calls.length - 1000);
    const plan = sandbox ? SANDBOX_PLAN : (seller.plans[op.operationId] ?? { rate: op.rate, burst: op.burst });
    // Rate limiting comes first, then faults, then validation: a throttled call costs nothing.
    const fault = store.faults.get(op.operationId);
    if (fault && fault.remaining > 0) {
      fault.remaining--;
      if (fault.status === 429) store.count(store.stats.throttled, op.operationId);
      return reply(
        res,
        op,
        fault.status === 429
          ? error(429, "QuotaExceeded", "You exceeded your quota for the requested resource.", "")
          : fault.status === 400
            ? error(400, "InvalidInput", "Invalid Input")
            : error(fault.status, fault.status === 503 ? "ServiceUnavailable" : "InternalFailure", "We encountered an internal error. Please try again."),
        null,
      );
    }
    if (!store.take(`${sandbox ? "sandbox:" : ""}${seller.sellerId}`, op.operationId, plan)) {
      store.count(store.stats.throttled, op.operationId);
      return reply(res, op, error(429, "QuotaExceeded", "You exceeded your quota for the requested resource.", ""), null);
    }
    if (sandbox) {
      const r = sandboxReply(op, params);
      if (!r) return reply(res, op, error(400, "InvalidInput", "No sandbox example matches this request."), plan);
      return reply(res, op, r, plan);
    }
    if (!op.validateQuery(Object.fromEntries(Object.entries(params).filter(([k]) => k !== bodyParam?.name))))
      return reply(res, op, error(400, "InvalidInput", describeErrors(op.validateQuery)), plan);
    if (bodyParam && op.validateBody && !op.validateBody(params[bodyParam.name]))
      return reply(res, op, error(400, "InvalidInput", `Please check the fields with invalid type or value: ${describeErrors(op.validateBody)}`), plan);
    if (isSlow) {
      // A slow answer (the caller may be killed while it waits): computed after the wait.
      await new Promise((r) => setTimeout(r, slow.delayMs));
      if (res.destroyed) return;
    }
    const handler = HANDLERS[`${op.model}.${op.operationId}`];
    if (!handler) return reply(res, op, error(400, "InvalidInput", `${op.operationId} is not served by the local stand-in.`), plan);
    return reply(res, op, handler(store, seller.sellerId, bodyParam ? { ...params, body: params[bodyParam.name] } : params), plan);
  }

  /** Login with Amazon: refresh-token grant, form-encoded or JSON. */
  async function lwa(req: http.IncomingMessage, res: http.ServerResponse) {
    const raw = await readBody(req);
    const type = String(req.headers["content-type"] ?? "");
    let f: Record<string, string>;
    try {
      f = type.includes("application/json") ? (JSON.parse(raw) as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
    } catch {
      return send(res, 400, { error: "invalid_request", error_description: "Malformed request body" });
    }
    const noStore = { "cache-control": "no-store", pragma: "no-cache" };
    if (f.grant_type !== "refresh_token")
      return send(res, 400, { error: "unsupported_grant_type", error_description: "The grant type is not supported" }, noStore);
    if (!f.refresh_token || !f.client_id || !f.client_secret)
      return send(res, 400, { error: "invalid_request", error_description: "The request is missing a required parameter" }, noStore);
    const seller = [...store.sellers.values()].find((s) => s.refreshToken === f.refresh_token);
    if (!seller || seller.clientId !== f.client_id || seller.clientSecret !== f.client_secret) {
      if (seller && seller.clientId === f.client_id)
        return send(res, 401, { error: "invalid_client", error_description: "Client authentication failed" }, noStore);
      return send(res, 400, { error: "invalid_grant", error_description: "The request has an invalid grant parameter : refresh_token" }, noStore);
    }
    if (seller.revoked)
      return send(
        res,
        400,
        {
          error: "invalid_grant",
          error_description: "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
        },
        noStore,
      );
    const { token, expiresIn } = store.mintAccessToken(seller.sellerId);
    send(res, 200, { access_token: token, token_type: "bearer", expires_in: expiresIn, refresh_token: seller.refreshToken }, noStore);
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const parts = url.pathname.split("/").filter(Boolean).slice(1); // after "_dev"
    const body = req.method === "POST" ? ((JSON.parse((await readBody(req)) || "{}") as Json) ?? {}) : {};
    const [a, b, c, d] = parts;
    if (a === "time" && req.method === "GET") return send(res, 200, { now: new Date(store.now()).toISOString(), speed: store.clock.speed });
    if (a === "time") {
      if (typeof body.advanceMs === "number") store.clock.advance(body.advanceMs);
      if (typeof body.speed === "number") store.clock.setSpeed(body.speed);
      return send(res, 200, { now: new Date(store.now()).toISOString(), speed: store.clock.speed });
    }
    if (a === "settings") {
      if (typeof body.tokenLifetimeSeconds === "number") store.tokenLifetimeSeconds = body.tokenLifetimeSeconds;
      if (typeof body.visibilityDelayMs === "number") store.visibilityDelayMs = body.visibilityDelayMs;
      return send(res, 200, { tokenLifetimeSeconds: store.tokenLifetimeSeconds, visibilityDelayMs: store.visibilityDelayMs });
    }
    if (a === "slow") {
      store.slow.set(String(body.operationId), { delayMs: Number(body.delayMs ?? 30_000), remaining: Number(body.count ?? 1), paged: body.paged === true });
      return send(res, 200, { ok: true });
    }
    if (a === "calls") {
      const opId = url.searchParams.get("operationId");
      return send(
        res,
        200,
        store.calls.filter((x) => !opId || x.operationId === opId).map((x) => ({ ...x, at: new Date(x.at).toISOString() })),
      );
    }
    if (a === "faults") {
      store.faults.set(String(body.operationId), { status: Number(body.status), remaining: Number(body.count ?? 1) });
      return send(res, 200, { ok: true });
    }
    if (a === "stats") {
      const obj = (m: Map<string, number>) => Object.fromEntries(m);
      return send(res, 200, {
        calls: obj(store.stats.calls),
        throttled: obj(store.stats.throttled),
        rejected: obj(store.stats.rejected),
        orders: store.orders.size,
      });
    }
    if (a === "sellers" && !b) {
      const sellerId = String(body.sellerId);
      store.sellers.set(sellerId, {
        sellerId,
        marketplaceIds: (body.marketplaceIds as string[]) ?? ["ATVPDKIKX0DER"],
        clientId: String(body.clientId),
        clientSecret: String(body.clientSecret),
        refreshToken: String(body.refreshToken),
        revoked: false,
        plans: (body.plans as Record<string, { rate: number; burst: number }>) ?? {},
        roles: ((body.roles as string[] | undefined) ?? []).filter((r) => PII_ROLES.includes(r)),
      });
      return send(res, 201, { sellerId });
    }
    const seller = b ? store.sellers.get(b) : undefined;
    if (a === "sellers" && !seller) return send(res, 404, { error: `no seller ${b}` });
    if (a === "sellers" && seller && c === "revoke") {
      seller.revoked = true;
      return send(res, 200, { ok: true });
    }
    if (a === "sellers" && seller && c === "roles") {
      seller.roles = ((body.roles as string[] | undefined) ?? []).filter((r) => PII_ROLES.includes(r));
      return send(res, 200, { roles: seller.roles });
    }
    if (a === "sellers" && seller && c === "plans") {
      seller.plans[String(body.operationId)] = { rate: Number(body.rate), burst: Number(body.burst) };
      return send(res, 200, seller.plans);
    }
    if (a === "sellers" && seller && c === "listings" && req.method === "POST") {
      const now = store.now();
      for (const l of (body.listings as Json[]) ?? [body]) {
        const sku = String(l.sku);
        store.listings.set(`${seller.sellerId}|${sku}`, {
          sellerId: seller.sellerId,
          sku,
          asin: String(l.asin ?? `B0${sku.replace(/\W/g, "").slice(0, 8).toUpperCase().padEnd(8, "X")}`),
          title: String(l.title ?? sku),
          quantity: Number(l.quantity ?? 0),
          marketplaceIds: seller.marketplaceIds,
          createdTime: now,
          lastUpdatedTime: now,
          patches: 0,
        });
      }
      return send(res, 201, { ok: true });
    }
    if (a === "sellers" && seller && c === "listings")
      return send(
        res,
        200,
        [...store.listings.values()].filter((l) => l.sellerId === seller.sellerId),
      );
    if (a === "sellers" && seller && c === "orders" && req.method === "POST") {
      const created = ((body.orders as Json[]) ?? [body]).map((o) => createOrder(seller.sellerId, o));
      return send(res, 201, Array.isArray(body.orders) ? created : created[0]);
    }
    if (a === "sellers" && seller && c === "orders")
      return send(
        res,
        200,
        [...store.orders.values()].filter((o) => o.sellerId === seller.sellerId),
      );
    if (a === "orders" && b) {
      const o = store.orders.get(b);
      if (!o) return send(res, 404, { error: `no order ${b}` });
      if (c === undefined) return send(res, 200, o);
      const fail = (message: string) => send(res, 409, { error: message });
      if (c === "status") {
        const to = String(body.status) as FulfillmentStatus;
        const allowed: Record<string, FulfillmentStatus[]> = {
          PENDING_AVAILABILITY: ["PENDING", "CANCELLED"],
          PENDING: ["UNSHIPPED", "CANCELLED"],
          UNSHIPPED: ["CANCELLED"],
        };
        if (!allowed[o.status]?.includes(to)) return fail(`${o.status} → ${to} is not a transition Amazon makes`);
        o.status = to;
        if (to === "CANCELLED") o.cancelReason = String(body.reason ?? "SellerCanceled");
      } else if (c === "cancel") {
        if (o.status === "SHIPPED" || o.status === "PARTIALLY_SHIPPED") {
          if (!body.force) return fail("a shipped order cannot be cancelled (pass force to model Amazon cancelling it anyway)");
        } else if (o.status === "CANCELLED") return send(res, 200, o);
        o.status = "CANCELLED";
        o.cancelReason = String(body.reason ?? "BuyerCanceled");
      } else if (c === "buyer-cancel-request") {
        if (o.status === "CANCELLED") return fail("the order is cancelled");
        for (const i of o.items) i.cancelRequest = { reason: String(body.reason ?? "Buyer no longer needs the item") };
      } else if (c === "touch") {
        // A change Amazon makes that the seller does not see as a status (e.g. a delivery window).
      } else return send(res, 404, { error: `unknown control ${d ?? c}` });
      store.touch(o);
      return send(res, 200, o);
    }
    if (a === "reset") {
      store.orders.clear();
      store.listings.clear();
      store.buckets.clear();
      store.faults.clear();
      store.slow.clear();
      store.calls.length = 0;
      return send(res, 200, { ok: true });
    }
    return send(res, 404, { error: `unknown control ${url.pathname}` });
  }

  function createOrder(sellerId: string, o: Json): StoredOrder {
    const now = store.now();
    const seller = store.sellers.get(sellerId)!;
    const marketplaceId = String(o.marketplaceId ?? seller.marketplaceIds[0]);
    const mp = MARKETPLACES[marketplaceId];
    const order: StoredOrder = {
      orderId: String(o.orderId ?? store.nextOrderId()),
      sellerId,
      marketplaceId,
      currency: mp?.currency ?? "USD",
      createdTime: now,
      lastUpdatedTime: now,
      visibleAt: now + store.visibilityDelayMs,
      status: (o.status as FulfillmentStatus) ?? "PENDING",
      fulfilledBy: o.fulfilledBy === "AMAZON" ? "AMAZON" : "MERCHANT",
      serviceLevel: String(o.serviceLevel ?? "Std US D2D Dom"),
      items: ((o.items as Json[]) ?? []).map((i) => ({
        orderItemId: String(i.orderItemId ?? store.nextItemId()),
        sku: String(i.sku),
        asin: String(i.asin ?? "B000000000"),
        title: String(i.title ?? i.sku),
        quantity: Number(i.quantity ?? 1),
        unitPrice: Number(i.price ?? 10).toFixed(2),
        shipped: 0,
        cancelRequest: null,
      })),
      buyer: {
        buyerName: String((o.buyer as Json | undefined)?.buyerName ?? "Jane Buyer"),
        buyerEmail: String((o.buyer as Json | undefined)?.buyerEmail ?? `${randomUUID().slice(0, 12)}@marketplace.amazon.com`),
      },
      address: (o.address as StoredOrder["address"]) ?? {
        name: "Jane Buyer",
        addressLine1: "100 Congress Ave",
        city: "Austin",
        stateOrRegion: "TX",
        postalCode: "78701",
        countryCode: mp?.country ?? "US",
        phone: "+1 512 555 0100",
      },
      packages: [],
      cancelReason: null,
    };
    if (order.items.length === 0) throw new Error("an order needs items");
    store.orders.set(order.orderId, order);
    return order;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const work =
      url.pathname === "/auth/o2/token" && req.method === "POST"
        ? lwa(req, res)
        : url.pathname.startsWith("/_dev/")
          ? control(req, res, url)
          : api(req, res, url, url.pathname.startsWith("/sandbox/"));
    work.catch((e: unknown) => {
      console.error("amazon stand-in error", e);
      if (!res.headersSent) send(res, 500, { errors: [{ code: "InternalFailure", message: e instanceof Error ? e.message : String(e) }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return { url, store, createOrder, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
