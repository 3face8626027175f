import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWebhookDispatcher } from "./webhook-dispatcher";

type Arrival = { topic: string; webhookId: string; eventId: string; hmacOk: boolean; headers: http.IncomingHttpHeaders; body: string };
const SECRET = "dispatch-secret";

async function receiver(answer: (n: number, a: Arrival) => number | "hang") {
  const arrivals: Arrival[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const a: Arrival = {
      topic: String(req.headers["x-shopify-topic"]),
      webhookId: String(req.headers["x-shopify-webhook-id"]),
      eventId: String(req.headers["x-shopify-event-id"]),
      hmacOk: createHmac("sha256", SECRET).update(body).digest("base64") === req.headers["x-shopify-hmac-sha256"],
      headers: req.headers,
      body,
    };
    arrivals.push(a);
    const status = answer(arrivals.length, a);
    if (status === "hang") return; // never answers: the dispatcher's timeout must fire
    res.writeHead(status);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});

async function setup(answer: (n: number, a: Arrival) => number | "hang", opts: Partial<Parameters<typeof createWebhookDispatcher>[0]> = {}) {
  const app = await receiver(answer);
  const dispatcher = createWebhookDispatcher({ appUrl: app.url, apiSecret: SECRET, retryScheduleMs: [20, 20, 20], timeoutMs: 300, ...opts });
  cleanups.push(
    () => dispatcher.close(),
    () => app.close(),
  );
  return { app, dispatcher };
}

describe("webhook dispatcher (Shopify's delivery behaviour)", () => {
  it("signs the raw body with the app secret and sends every X-Shopify header to the subscribed uri", async () => {
    const { app, dispatcher } = await setup(() => 200);
    dispatcher.emit("s.myshopify.com", "orders/create", { id: 1 }, { eventId: "evt-1" });
    await dispatcher.idle();
    expect(app.arrivals).toHaveLength(1);
    const [a] = app.arrivals;
    expect(a).toMatchObject({ topic: "orders/create", eventId: "evt-1", hmacOk: true, body: '{"id":1}' });
    expect(a!.headers).toMatchObject({ "x-shopify-shop-domain": "s.myshopify.com", "x-shopify-api-version": "2026-04", "content-type": "application/json" });
    expect(a!.headers["x-shopify-triggered-at"]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("retries a non-2xx answer with the same webhook id and body until it succeeds", async () => {
    const { app, dispatcher } = await setup((n) => (n < 3 ? 500 : 200));
    dispatcher.emit("s.myshopify.com", "orders/updated", { id: 2 });
    await dispatcher.idle();
    expect(app.arrivals.map((a) => a.webhookId)).toEqual(Array(3).fill(app.arrivals[0]!.webhookId));
    expect(dispatcher.deliveries()[0]).toMatchObject({ state: "delivered", attempts: [{ status: 500 }, { status: 500 }, { status: 200 }] });
  });

  it("gives up after the retry schedule, and counts a receiver slower than the timeout as a failure", async () => {
    const { dispatcher } = await setup(() => "hang", { retryScheduleMs: [10], timeoutMs: 100 });
    dispatcher.emit("s.myshopify.com", "orders/updated", { id: 3 });
    await dispatcher.idle();
    const [d] = dispatcher.deliveries();
    expect(d!.state).toBe("failed");
    expect(d!.attempts.map((a) => a.error)).toEqual(["no answer within 100 ms", "no answer within 100 ms"]);
  });

  it("injects faults: duplicates share a webhook id, a dropped first attempt is delivered by a retry", async () => {
    const { app, dispatcher } = await setup(() => 200, { faults: { duplicateRate: 1 } });
    dispatcher.emit("s.myshopify.com", "orders/create", { id: 4 });
    await dispatcher.idle();
    expect(app.arrivals).toHaveLength(2);
    expect(app.arrivals[0]!.webhookId).toBe(app.arrivals[1]!.webhookId);

    dispatcher.setFaults({ dropRate: 1 });
    dispatcher.emit("s.myshopify.com", "orders/create", { id: 5 });
    await dispatcher.idle();
    const dropped = dispatcher.deliveries()[1]!;
    expect(dropped.attempts[0]!.error).toBe("dropped (fault injection)");
    expect(dropped.state).toBe("delivered");
    expect(app.arrivals.filter((a) => a.body === '{"id":5}')).toHaveLength(1);
  });

  it("reorders deliveries held within a window, and skips topics the app does not subscribe to", async () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const { app, dispatcher } = await setup(() => 200, { faults: { reorderWindowMs: 50 }, random });
    for (let i = 0; i < 6; i++) dispatcher.emit("s.myshopify.com", "orders/updated", { id: i });
    dispatcher.emit("s.myshopify.com", "products/create", { id: 99 });
    await dispatcher.idle();
    const order = app.arrivals.map((a) => JSON.parse(a.body).id);
    expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(order).not.toEqual([0, 1, 2, 3, 4, 5]);
    expect(dispatcher.deliveries().find((d) => d.topic === "products/create")?.state).toBe("skipped");
  });
});
