import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { markInstalled, markUninstalled } from "~/.server/db/shops";
import { deliveriesView } from "~/.server/services/order-views";
import { replayDelivery } from "~/.server/services/replay-delivery";
import { action } from "~/routes/webhooks";
import { processors } from "../jobs/processors";
import { samplePayload, webhookRequest } from "./helpers/webhook";
import { installApp } from "./helpers/install";
import { waitFor } from "./helpers/wait";

const post = (req: Request) => action({ request: req, params: {}, context: {} });
const deliveriesOf = (shop: string) => db().webhookDelivery.findMany({ where: { shop } });

describe("POST /webhooks (persist-first intake)", () => {
  beforeAll(() => {
    startProcessing(processors);
  });
  afterAll(async () => {
    await closeQueues();
  });

  it("given a real app/uninstalled payload with a correct HMAC, stores it, answers 200 and the worker uninstalls the shop", async () => {
    const shop = "uninstall-me.myshopify.com";
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
    const shop = "forged.myshopify.com";
    const body = samplePayload("app/uninstalled");
    const forged = await post(webhookRequest("app/uninstalled", body, { shop, secret: "not-the-app-secret" }));
    const missing = await post(webhookRequest("app/uninstalled", body, { shop, omit: ["x-shopify-hmac-sha256"] }));
    const tampered = webhookRequest("app/uninstalled", body, { shop });
    const tamperedRes = await post(new Request(tampered, { body: body.replace("Super Toys", "Evil Toys") }));

    expect([forged.status, missing.status, tamperedRes.status]).toEqual([401, 401, 401]);
    expect(await deliveriesOf(shop)).toHaveLength(0);
  });

  it("given the same delivery three times, stores and processes it once", async () => {
    const shop = "dupes.myshopify.com";
    const body = samplePayload("app/uninstalled");
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(webhookRequest("app/uninstalled", body, { shop, webhookId: "same-id" }))).status);

    expect(statuses).toEqual([200, 200, 200]);
    expect(await deliveriesOf(shop)).toHaveLength(1);
  });

  it("given a signed body that is not JSON, answers 422 and keeps the raw body as a rejected delivery", async () => {
    const shop = "malformed.myshopify.com";
    const res = await post(webhookRequest("orders/create", '{"id": 1, "line_items": [', { shop }));

    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: "body is not valid JSON" });
    const [stored] = await deliveriesOf(shop);
    expect(stored).toMatchObject({ status: "rejected", body: '{"id": 1, "line_items": [', error: "body is not valid JSON" });
  });

  it("given a signed compliance payload missing required fields, rejects it with the reason and keeps it", async () => {
    const shop = "bad-redact.myshopify.com";
    const res = await post(webhookRequest("customers/redact", JSON.stringify({ shop_domain: shop }), { shop }));

    expect(res.status).toBe(422);
    const [stored] = await deliveriesOf(shop);
    expect(stored?.status).toBe("rejected");
    expect(stored?.error).toMatch(/customers\/redact.*shop_id/);
  });

  it("given signed but missing Shopify headers, answers 400 and stores nothing", async () => {
    const body = samplePayload("app/uninstalled");
    const res = await post(webhookRequest("app/uninstalled", body, { shop: "noheaders.myshopify.com", omit: ["x-shopify-webhook-id"] }));

    expect(res.status).toBe(400);
    expect(await deliveriesOf("noheaders.myshopify.com")).toHaveLength(0);
  });

  it("a signed order webhook for a shop that never installed the app, or uninstalled it, is acknowledged and kept, flagged, and creates nothing; after an install its replay is processed", async () => {
    const never = "never-installed.myshopify.com";
    const gone = "uninstalled.myshopify.com";
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
    const shop = "unknown-topic.myshopify.com";
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
    const shop = "redact-me.myshopify.com";
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
