// Helpers for tests that drive the stand-in over real HTTP.
import { startShopifyStandIn, type WebhookSink } from "./server";

export const DEMO_KEY = "test-api-key";
export const DEMO_SECRET = "test-api-secret";

export const smallShop = (domain: string) => ({
  domain,
  name: "Test Outfitters",
  locations: [
    {
      name: "Edison NJ",
      address: { address1: "10 Mill Rd", city: "Edison", provinceCode: "NJ", countryCode: "US", zip: "08817" },
      latitude: 40.52,
      longitude: -74.41,
    },
    {
      name: "Dallas TX",
      address: { address1: "200 Commerce St", city: "Dallas", provinceCode: "TX", countryCode: "US", zip: "75201" },
      latitude: 32.78,
      longitude: -96.8,
    },
    {
      name: "Seattle WA",
      address: { address1: "500 Pine St", city: "Seattle", provinceCode: "WA", countryCode: "US", zip: "98101" },
      latitude: 47.61,
      longitude: -122.34,
    },
  ],
  products: [
    {
      title: "Trail Tee",
      variants: [
        { sku: "TEE-M", price: "24.00", inventory: { "Edison NJ": 10, "Dallas TX": 10, "Seattle WA": 10 } },
        { sku: "TEE-L", price: "24.00", inventory: { "Edison NJ": 0, "Dallas TX": 3 } },
      ],
    },
    { title: "Rain Shell", variants: [{ sku: "SHELL-M", price: "120.00", inventory: { "Seattle WA": 2 } }] },
  ],
});

export const austin = {
  firstName: "Ada",
  lastName: "Byron",
  address1: "1100 Congress Ave",
  city: "Austin",
  provinceCode: "TX",
  countryCode: "US",
  zip: "78701",
};

export class RecordingSink implements WebhookSink {
  events: { shop: string; topic: string; payload: unknown; eventId?: string }[] = [];
  emit(shop: string, topic: string, payload: unknown, meta?: { eventId?: string }) {
    this.events.push({ shop, topic, payload, eventId: meta?.eventId });
  }
}

export async function standInWithShop(domain: string, opts: { sink?: WebhookSink; now?: () => Date; restoreRatePerSecond?: number } = {}) {
  const s = await startShopifyStandIn({
    apiKey: DEMO_KEY,
    apiSecret: DEMO_SECRET,
    webhookSink: opts.sink,
    now: opts.now,
    restoreRatePerSecond: opts.restoreRatePerSecond,
  });
  const post = async (p: string, body: unknown, headers: Record<string, string> = {}) => {
    const r = await fetch(s.url + p, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    // Tests dig into GraphQL answers of many shapes; they assert on them, so loose typing is safe here.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: r.status, body: (await r.json()) as Record<string, any> };
  };
  const seeded = await post("/_dev/shops", smallShop(domain));
  const token = String((await post(`/_dev/shops/${domain}/install`, {})).body.accessToken);
  const gql = (query: string, variables: Record<string, unknown> = {}, as: { token?: string; shop?: string } = {}) =>
    post("/admin/api/2026-04/graphql.json", { query, variables }, { "x-shopify-access-token": as.token ?? token, "x-forwarded-host": as.shop ?? domain });
  return {
    ...s,
    post,
    gql,
    token,
    seeded: seeded.body as { locations: { id: string; name: string }[]; variants: { id: string; sku: string; inventoryItemId: string }[] },
  };
}
