import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { markInstalled, markUninstalled } from "~/.server/db/shops";
import { deliveriesView } from "~/.server/services/order-views";
import { replayDelivery } from "~/.server/services/replay-delivery";
import { leanWebhook } from "~/.server/services/lean-webhook";
import { action, loader } from "~/routes/webhooks";
import { processors } from "../jobs/processors";
import { samplePayload, webhookRequest } from "./helpers/webhook";
import { installApp } from "./helpers/install";
import { waitFor } from "./helpers/wait";

/** A shop's stored deliveries, each with its raw body (kept in a table of its own) as `body`. */
const deliveriesOf = async (shop: string) =>
  (await db().webhookDelivery.findMany({ where: { shop }, include: { payload: true } })).map(({ payload, ...d }) => ({ ...d, body: payload?.body }));

/** The Remix route's action, as Remix serves it. */
const viaRoute = (req: Request) => action({ request: req, params: {}, context: {} });

/** What server.ts does with a POST /webhooks: node's headers and the raw body to the lean path. */
async function viaLean(req: Request): Promise<Response> {
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => (headers[k] = v));
  const out = await leanWebhook({ method: req.method, headers, body: Buffer.from(await req.arrayBuffer()) });
  return new Response(out.body === "" ? null : out.body, { status: out.status, headers: out.headers });
}

beforeAll(() => {
  startProcessing(processors);
});
afterAll(async () => {
  await closeQueues();
});

// Every case runs through both ways in; their shops differ so each run starts with none stored.
describe.each([
  { via: "the route's action", post: viaRoute, s: (name: string) => `${name}.myshopify.com` },
  { via: "server.ts's lean path", post: viaLean, s: (name: string) => `lean-${name}.myshopify.com` },
])("POST /webhooks (persist-first intake), through $via", ({ post, s }) => {
  it("given a real app/uninstalled payload with a correct HMAC, stores it, answers 200 and the worker uninstalls the shop", async () => {
    const shop = s("uninstall-me");
    await db().session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_x", isOnline: false } });

    const res = await post(webhookRequest("app/uninstalled", samplePayload("app/uninstalled"), { shop }));

    expect(res.status).toBe(200);
    expect(await deliveriesOf(shop)).toHaveLength(1);
    const processed = await waitFor(
      async () => (await db().webhookDelivery.findFirst({ where: { shop, status: "processed" } })) ?? undefined,
      10_000,
      "the delivery to be processed",
    );
    expect(processed.processedAt).not.toBeNull();
    expect(await db().session.count({ where: { shop } })).toBe(0);
    expect((await db().shop.findUnique({ where: { domain: shop } }))?.uninstalledAt).toBeInstanceOf(Date);
  });

  it("given a forged signature, answers 401 and stores nothing", async () => {
    const shop = s("forged");
    const body = samplePayload("app/uninstalled");
    const forged = await post(webhookRequest("app/uninstalled", body, { shop, secret: "not-the-app-secret" }));
    const missing = await post(webhookRequest("app/uninstalled", body, { shop, omit: ["x-shopify-hmac-sha256"] }));
    const tampered = webhookRequest("app/uninstalled", body, { shop });
    const tamperedRes = await post(new Request(tampered, { body: body.replace("Super Toys", "Evil Toys") }));

    expect([forged.status, missing.status, tamperedRes.status]).toEqual([401, 401, 401]);
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });

  it("given the same delivery three times, stores and processes it once", async () => {
    const shop = s("dupes");
    const body = samplePayload("app/uninstalled");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(webhookRequest("app/uninstalled", body, { shop, webhookId: "same-id" }))).status);

    expect(statuses).toEqual([200, 200, 200]);
    expect(await deliveriesOf(shop)).toHaveLength(1);
  });

  it("given a signed body that is not JSON, answers 422 and keeps the raw body as a rejected delivery", async () => {
    const shop = s("malformed");
    const res = await post(webhookRequest("orders/create", '{"id": 1, "line_items": [', { shop }));

    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: "body is not valid JSON" });
    const [stored] = await deliveriesOf(shop);
    expect(stored).toMatchObject({ status: "rejected", body: '{"id": 1, "line_items": [', error: "body is not valid JSON" });
    // The deliveries page shows the raw body's beginning, read from its own table.
    expect((await deliveriesView(shop, ["rejected"])).map((d) => d.excerpt)).toEqual(['{"id": 1, "line_items": [']);
  });

  it("given a signed compliance payload missing required fields, rejects it with the reason and keeps it", async () => {
    const shop = s("bad-redact");
    const res = await post(webhookRequest("customers/redact", JSON.stringify({ shop_domain: shop }), { shop }));

    expect(res.status).toBe(422);
    const [stored] = await deliveriesOf(shop);
    expect(stored?.status).toBe("rejected");
    expect(stored?.error).toMatch(/customers\/redact.*shop_id/);
  });

  it("given signed but missing Shopify headers, answers 400 and stores nothing", async () => {
    const body = samplePayload("app/uninstalled");
    const res = await post(webhookRequest("app/uninstalled", body, { shop: s("noheaders"), omit: ["x-shopify-webhook-id"] }));

    expect(res.status).toBe(400);
    expect(await deliveriesOf(s("noheaders"))).toHaveLength(0);
  });

  it("a signed order webhook for a shop that never installed the app, or uninstalled it, is acknowledged and kept, flagged, and creates nothing; after an install its replay is processed", async () => {
    const never = s("never-installed");
    const gone = s("uninstalled");
    await markInstalled(gone, new Date("2026-11-01T00:00:00Z"));
    await markUninstalled(gone, new Date("2026-11-02T00:00:00Z"));
    const order = samplePayload("orders/create");
    for (const shop of [never, gone]) expect((await post(webhookRequest("orders/create", order, { shop }))).status).toBe(200);

    for (const shop of [never, gone]) {
      const flagged = await waitFor(
        async () => (await db().webhookDelivery.findFirst({ where: { shop, status: "not_installed" } })) ?? undefined,
        10_000,
        `the delivery for ${shop} to be flagged`,
      );
      expect(flagged.error).toMatch(/not installed on this shop/);
      expect(await db().order.count({ where: { shop } })).toBe(0);
    }
    // The deliveries page lists it among the problems.
    expect((await deliveriesView(never, ["not_installed"])).map((d) => d.topic)).toEqual(["orders/create"]);

    await installApp(never);
    const [stored] = await deliveriesOf(never);
    expect(await replayDelivery(never, stored!.id)).toEqual({ kind: "queued" });
    await waitFor(async () => (await db().order.count({ where: { shop: never } })) || undefined, 10_000, "the replayed order");
  });

  it("given a topic the OMS has no handler for, stores it and flags it as unhandled", async () => {
    const shop = s("unknown-topic");
    const res = await post(webhookRequest("products/update", samplePayload("products/update"), { shop }));

    expect(res.status).toBe(200);
    const flagged = await waitFor(
      async () => (await db().webhookDelivery.findFirst({ where: { shop, status: "unhandled" } })) ?? undefined,
      10_000,
      "the delivery to be flagged",
    );
    expect(flagged.error).toBe("no handler for topic products/update");
  });

  it("honours the compliance topics: shop/redact removes the shop's sessions and marks it redacted", async () => {
    const shop = s("redact-me");
    await db().session.create({ data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_y" } });
    const body = JSON.stringify({ ...JSON.parse(samplePayload("shop/redact")), shop_domain: shop });

    expect((await post(webhookRequest("shop/redact", body, { shop }))).status).toBe(200);
    const redacted = await waitFor(
      async () => (await db().shop.findUnique({ where: { domain: shop } }))?.redactedAt ?? undefined,
      10_000,
      "the shop to be redacted",
    );
    expect(redacted).toBeInstanceOf(Date);
    expect(await db().session.count({ where: { shop } })).toBe(0);
  });
});

describe("POST /webhooks: server.ts's lean path answers as the route does", () => {
  const shape = async (res: Response) => {
    const headers: [string, string][] = [];
    res.headers.forEach((v, k) => headers.push([k, v]));
    const body = await res.text();
    // A rejected delivery's answer names its stored id, which differs between the two stores.
    return { status: res.status, headers: headers.sort(), body: body.replace(/"deliveryId":"[^"]+"/, '"deliveryId":"…"') };
  };
  it.each([
    ["forged signature (401)", (shop: string) => webhookRequest("app/uninstalled", samplePayload("app/uninstalled"), { shop, secret: "wrong" })],
    ["missing headers (400)", (shop: string) => webhookRequest("app/uninstalled", samplePayload("app/uninstalled"), { shop, omit: ["x-shopify-topic"] })],
    ["not JSON (422)", (shop: string) => webhookRequest("orders/create", "{", { shop })],
    ["not the topic's payload (422)", (shop: string) => webhookRequest("orders/create", JSON.stringify({ id: 1 }), { shop })],
    ["accepted (200)", (shop: string) => webhookRequest("products/update", samplePayload("products/update"), { shop })],
  ])("%s", async (_name, request) => {
    const route = await shape(await viaRoute(request("same-answer.myshopify.com")));
    const lean = await shape(await viaLean(request("lean-same-answer.myshopify.com")));
    expect(lean).toEqual(route);
    expect(route.status).toBe(Number(/\((\d+)\)/.exec(_name)![1]));
  });

  it("a method other than POST is refused by both", async () => {
    const put = new Request("http://localhost/webhooks", { method: "PUT" });
    expect((await viaRoute(put)).status).toBe(405);
    expect((await viaLean(put)).status).toBe(405);
    // A GET is Remix's loader's, not the action's: 405 saying what to use, not Remix's "no loader" error.
    const get = loader();
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(await get.text()).toBe("POST Shopify webhooks here");
  });
});
