// The SP-API stand-in's own behaviour: LWA, the model's validation, searchOrders' time rules and
// pages, rate limits, the order lifecycle with confirmShipment, and listings quantities.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAmazonStandIn, type AmazonStandIn } from "./server";

let s: AmazonStandIn;
const SELLER = {
  sellerId: "A1SELLER",
  marketplaceIds: ["ATVPDKIKX0DER"],
  clientId: "amzn1.application-oa2-client.x",
  clientSecret: "secret",
  refreshToken: "Atzr|refresh",
};
const post = (p: string, body: unknown) => fetch(s.url + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
let token = "";
const api = (p: string, init: RequestInit = {}) =>
  fetch(s.url + p, { ...init, headers: { "x-amz-access-token": token, "content-type": "application/json", ...(init.headers ?? {}) } });

async function login() {
  const res = await fetch(`${s.url}/auth/o2/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "refresh_token", refresh_token: SELLER.refreshToken, client_id: SELLER.clientId, client_secret: SELLER.clientSecret }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
}

beforeAll(async () => {
  s = await startAmazonStandIn({ start: Date.parse("2026-12-01T10:00:00Z") });
  await post("/_dev/sellers", SELLER);
  await login();
});
afterAll(() => s.close());

describe("Login with Amazon", () => {
  it("exchanges a refresh token sent form-encoded for an access token that expires", async () => {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: SELLER.refreshToken,
      client_id: SELLER.clientId,
      client_secret: SELLER.clientSecret,
    });
    const res = await fetch(`${s.url}/auth/o2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
      body: form.toString(),
    });
    const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 3600 });
    expect(body.access_token).toMatch(/^Atza\|/);
    // an hour later the token is refused with Amazon's 403
    await post("/_dev/time", { advanceMs: 3601_000 });
    const late = await fetch(`${s.url}/orders/2026-01-01/orders/x`, { headers: { "x-amz-access-token": body.access_token } });
    expect(late.status).toBe(403);
    expect(await late.json()).toMatchObject({ errors: [{ code: "Unauthorized" }] });
    const fresh = await fetch(`${s.url}/auth/o2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    token = ((await fresh.json()) as { access_token: string }).access_token;
  });

  it("refuses an unknown refresh token with invalid_grant", async () => {
    const res = await fetch(`${s.url}/auth/o2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=refresh_token&refresh_token=nope&client_id=a&client_secret=b",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "invalid_grant" });
  });
});

describe("searchOrders", () => {
  it("rejects what the model rejects with Amazon's 400 error list", async () => {
    const now = Date.parse(((await (await fetch(`${s.url}/_dev/time`)).json()) as { now: string }).now);
    const bad = [
      "", // neither createdAfter nor lastUpdatedAfter
      `createdAfter=2026-01-01T00:00:00Z&lastUpdatedAfter=2026-01-01T00:00:00Z`,
      `lastUpdatedAfter=2026-01-01T00:00:00Z&lastUpdatedBefore=${new Date(now - 60_000).toISOString()}`, // < 2 min ago
      `lastUpdatedAfter=not-a-date`,
      `lastUpdatedAfter=2026-01-01T00:00:00Z&fulfillmentStatuses=SOLD`,
      `lastUpdatedAfter=2026-01-01T00:00:00Z&maxResultsPerPage=0`,
    ];
    for (const q of bad) {
      const res = await api(`/orders/2026-01-01/orders?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("0.0056");
      expect(((await res.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe("InvalidInput");
    }
  });

  it("pages with tokens, keeps the window's bound, and shows status only with includedData FULFILLMENT", async () => {
    const since = ((await (await fetch(`${s.url}/_dev/time`)).json()) as { now: string }).now;
    await post(`/_dev/sellers/${SELLER.sellerId}/orders`, {
      orders: Array.from({ length: 5 }, (_, i) => ({ items: [{ sku: `SKU-${i}`, quantity: 1, price: 12.5 }] })),
    });
    await post("/_dev/time", { advanceMs: 1000 });
    const seen: string[] = [];
    let next: string | undefined;
    let bound: string | undefined;
    do {
      const res = await api(
        `/orders/2026-01-01/orders?lastUpdatedAfter=${since}&maxResultsPerPage=2&includedData=FULFILLMENT${next ? `&paginationToken=${encodeURIComponent(next)}` : ""}`,
      );
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        orders: { orderId: string; fulfillment: { fulfillmentStatus: string } }[];
        pagination?: { nextToken: string };
        lastUpdatedBefore: string;
      };
      bound ??= body.lastUpdatedBefore;
      expect(body.lastUpdatedBefore).toBe(bound);
      for (const o of body.orders) expect(o.fulfillment.fulfillmentStatus).toBe("PENDING");
      seen.push(...body.orders.map((o) => o.orderId));
      next = body.pagination?.nextToken;
    } while (next);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });

  it("throttles past the burst with 429 QuotaExceeded and no rate-limit header", async () => {
    await post("/_dev/time", { advanceMs: 3600_000 }); // refill
    await login();
    const since = new Date(Date.parse("2026-12-01T10:00:00Z")).toISOString();
    const statuses: number[] = [];
    let throttled: Response | undefined;
    for (let i = 0; i < 21; i++) {
      const res = await api(`/orders/2026-01-01/orders?createdAfter=${since}`);
      statuses.push(res.status);
      if (res.status === 429) throttled = res;
    }
    expect(statuses.filter((x) => x === 200).length).toBeGreaterThanOrEqual(19);
    expect(throttled).toBeDefined();
    expect(throttled!.headers.get("x-amzn-ratelimit-limit")).toBeNull();
    expect(await throttled!.json()).toEqual({
      errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }],
    });
  });
});

describe("order lifecycle and confirmShipment", () => {
  it("ships an Unshipped order package by package, refuses bad input, and keeps Pending orders unshippable", async () => {
    const o = (await (await post(`/_dev/sellers/${SELLER.sellerId}/orders`, { items: [{ sku: "TEE", quantity: 2, price: 20 }] })).json()) as {
      orderId: string;
      items: { orderItemId: string }[];
    };
    const item = o.items[0]!.orderItemId;
    const confirm = (pkg: Record<string, unknown>) =>
      api(`/orders/v0/orders/${o.orderId}/shipmentConfirmation`, {
        method: "POST",
        body: JSON.stringify({
          marketplaceId: "ATVPDKIKX0DER",
          packageDetail: {
            packageReferenceId: "1",
            carrierCode: "UPS",
            trackingNumber: "1Z1",
            shipDate: "2026-12-01T12:00:00Z",
            orderItems: [{ orderItemId: item, quantity: 1 }],
            ...pkg,
          },
        }),
      });
    expect((await confirm({})).status).toBe(400); // still Pending
    await post(`/_dev/orders/${o.orderId}/status`, { status: "UNSHIPPED" });
    expect((await confirm({ packageReferenceId: 1 })).status).toBe(400); // a number, not a string
    expect((await confirm({ shipDate: "02/21/2022" })).status).toBe(400);
    expect((await confirm({ carrierCode: "Pigeon" })).status).toBe(400);
    expect((await confirm({ orderItems: [{ orderItemId: "999", quantity: 1 }] })).status).toBe(400);
    expect((await confirm({})).status).toBe(204);
    expect((await confirm({})).status).toBe(204); // same package again: an edit, not a second shipment
    let view = (await (await api(`/orders/2026-01-01/orders/${o.orderId}?includedData=FULFILLMENT,PACKAGES`)).json()) as {
      order: { fulfillment: { fulfillmentStatus: string }; packages: unknown[] };
    };
    expect(view.order.fulfillment.fulfillmentStatus).toBe("PARTIALLY_SHIPPED");
    expect(view.order.packages).toHaveLength(1);
    expect((await confirm({ packageReferenceId: "2", trackingNumber: "1Z2" })).status).toBe(204);
    view = (await (await api(`/orders/2026-01-01/orders/${o.orderId}?includedData=FULFILLMENT,PACKAGES`)).json()) as typeof view;
    expect(view.order.fulfillment.fulfillmentStatus).toBe("SHIPPED");
    expect((await post(`/_dev/orders/${o.orderId}/cancel`, {})).status).toBe(409);
  });
});

describe("listings fulfillment_availability", () => {
  it("sets and reads a SKU's quantity", async () => {
    await post(`/_dev/sellers/${SELLER.sellerId}/listings`, { sku: "TEE-M", quantity: 3 });
    const patch = await api(`/listings/2021-08-01/items/${SELLER.sellerId}/TEE-M?marketplaceIds=ATVPDKIKX0DER`, {
      method: "PATCH",
      body: JSON.stringify({
        productType: "PRODUCT",
        patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 7 }] }],
      }),
    });
    expect(await patch.json()).toMatchObject({ sku: "TEE-M", status: "ACCEPTED" });
    const get = await api(`/listings/2021-08-01/items/${SELLER.sellerId}/TEE-M?marketplaceIds=ATVPDKIKX0DER&includedData=fulfillmentAvailability`);
    expect(await get.json()).toEqual({ sku: "TEE-M", fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: 7 }] });
    const noMarketplace = await api(`/listings/2021-08-01/items/${SELLER.sellerId}/TEE-M`);
    expect(noMarketplace.status).toBe(400);
  });
});

describe("restricted roles (v2026-01-01: role-gated PII, no RDT)", () => {
  it("gives buyer and address PII only for the roles the app holds; without them the attributes are absent, not an error", async () => {
    const order = (await (
      await post(`/_dev/sellers/${SELLER.sellerId}/orders`, {
        items: [{ sku: "ROLE-1", quantity: 1 }],
        status: "UNSHIPPED",
        buyer: { buyerName: "Rosa Role", buyerEmail: "rosa@marketplace.amazon.com" },
      })
    ).json()) as { orderId: string };
    const read = async () => {
      const res = await api(`/orders/2026-01-01/orders/${order.orderId}?includedData=BUYER,RECIPIENT`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { order: { buyer?: Record<string, string>; recipient?: { deliveryAddress: Record<string, string> } } }).order;
    };
    // No restricted role (the default): no buyer at all, the address without its personal parts.
    await post(`/_dev/sellers/${SELLER.sellerId}/roles`, { roles: [] });
    const none = await read();
    expect(none.buyer).toBeUndefined();
    expect(none.recipient?.deliveryAddress).toEqual({ city: "Austin", stateOrRegion: "TX", countryCode: "US", addressType: "RESIDENTIAL" });
    // Direct-to-Consumer Delivery: the address and the buyer's email, not the name.
    await post(`/_dev/sellers/${SELLER.sellerId}/roles`, { roles: ["DIRECT_TO_CONSUMER_DELIVERY"] });
    const delivery = await read();
    expect(delivery.buyer).toEqual({ buyerEmail: "rosa@marketplace.amazon.com" });
    expect(delivery.recipient?.deliveryAddress).toMatchObject({ name: "Jane Buyer", addressLine1: "100 Congress Ave", postalCode: "78701" });
    // A tax role: the buyer's name.
    await post(`/_dev/sellers/${SELLER.sellerId}/roles`, { roles: ["TAX_REMITTANCE", "NOT_A_ROLE"] });
    const tax = await read();
    expect(tax.buyer).toEqual({ buyerName: "Rosa Role" });
    expect(tax.recipient?.deliveryAddress.addressLine1).toBeUndefined();
    // Every role, but a Pending order: no PII whatever the roles (Amazon's rule).
    await post(`/_dev/sellers/${SELLER.sellerId}/roles`, { roles: ["DIRECT_TO_CONSUMER_DELIVERY", "TAX_INVOICING"] });
    const pending = (await (await post(`/_dev/sellers/${SELLER.sellerId}/orders`, { items: [{ sku: "ROLE-1", quantity: 1 }] })).json()) as { orderId: string };
    const p = ((await (await api(`/orders/2026-01-01/orders/${pending.orderId}?includedData=BUYER,RECIPIENT`)).json()) as { order: Record<string, unknown> })
      .order;
    expect(p.buyer).toBeUndefined();
    expect(p.recipient).toBeUndefined();
    await post(`/_dev/sellers/${SELLER.sellerId}/roles`, { roles: [] });
  });
});
