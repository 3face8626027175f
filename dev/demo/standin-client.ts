// A typed client for the Shopify stand-in's control API (JSON over HTTP, /_dev/...).
import type { CheckoutRequest, CheckoutResult, SeededShop, ShopSeed } from "./standin-contract";

export type CheckoutOutcome = { ok: true; order: CheckoutResult } | { ok: false; status: number; error: string };

export class StandInClient {
  constructor(readonly baseUrl: string) {}

  private url(path: string): string {
    return new URL(path, this.baseUrl).href;
  }

  private async post(path: string, body: unknown): Promise<Response> {
    return fetch(this.url(path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  }

  async createShop(seed: ShopSeed): Promise<SeededShop> {
    const res = await this.post("/_dev/shops", seed);
    if (!res.ok) throw new Error(`stand-in: creating ${seed.domain} failed: ${res.status} ${await res.text()}`);
    return (await res.json()) as SeededShop;
  }

  /** A Shopify session token (JWT) for the app, as App Bridge would get it inside admin. */
  async sessionToken(shop: string, userId?: number): Promise<string> {
    const res = await this.post(`/_dev/shops/${encodeURIComponent(shop)}/session-token`, userId === undefined ? {} : { userId });
    if (!res.ok) throw new Error(`stand-in: session token for ${shop} failed: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token?: unknown };
    if (typeof token !== "string") throw new Error("stand-in: session-token response has no token");
    return token;
  }

  /** Warehouse and carrier events: start, ship with tracking, deliver (at a simulated time). */
  async fulfillmentEvent(shop: string, foId: string, event: "start" | "ship" | "deliver", body: Record<string, unknown> = {}): Promise<boolean> {
    const res = await this.post(`/_dev/shops/${encodeURIComponent(shop)}/fulfillment-orders/${encodeURIComponent(foId)}/${event}`, body);
    await res.body?.cancel();
    return res.ok;
  }

  async fulfillmentOrders(shop: string): Promise<{ id: string; orderId: string; location: string; status: string }[]> {
    const res = await fetch(this.url(`/_dev/shops/${encodeURIComponent(shop)}/state`));
    return ((await res.json()) as { fulfillmentOrders: { id: string; orderId: string; location: string; status: string }[] }).fulfillmentOrders;
  }

  /** A checkout UI extension's session token (shopify.sessionToken.get() in checkout). */
  async checkoutToken(shop: string): Promise<string> {
    const res = await this.post(`/_dev/shops/${encodeURIComponent(shop)}/checkout-token`, {});
    if (!res.ok) throw new Error(`stand-in: checkout token for ${shop} failed: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  }

  /** The shop's variants (GID, SKU, title, price). */
  async variants(shop: string): Promise<{ id: string; sku: string; title: string; priceMinor: number }[]> {
    const res = await fetch(this.url(`/_dev/shops/${encodeURIComponent(shop)}/state`));
    if (!res.ok) throw new Error(`stand-in: state of ${shop} failed: ${res.status}`);
    return ((await res.json()) as { variants: { id: string; sku: string; title: string; priceMinor: number }[] }).variants;
  }

  async checkout(shop: string, request: CheckoutRequest): Promise<CheckoutOutcome> {
    const res = await this.post(`/_dev/shops/${encodeURIComponent(shop)}/checkout`, request);
    if (res.ok) return { ok: true, order: (await res.json()) as CheckoutResult };
    const text = await res.text();
    let error = text;
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      if (typeof parsed.error === "string") error = parsed.error;
    } catch {
      // not JSON: keep the text
    }
    return { ok: false, status: res.status, error };
  }

  /** Whether the stand-in already knows the shop (GET /_dev/shops/:shop/state answers 200). */
  async hasShop(shop: string): Promise<boolean> {
    const res = await fetch(this.url(`/_dev/shops/${encodeURIComponent(shop)}/state`));
    await res.body?.cancel();
    return res.ok;
  }
}
