// The app's webhook endpoint on a real port, running the same route action as server.ts: what the
// dev shop's webhook dispatcher delivers to in end-to-end tests.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { action as webhookAction } from "~/routes/webhooks";
import { createWebhookDispatcher } from "../../dev/shopify-local/webhook-dispatcher";
import { processors } from "../../jobs/processors";
import { APP_SECRET, devShop } from "./dev-shop";

export async function appServer() {
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const response = await webhookAction({ request: new Request(`http://localhost${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }), params: {}, context: {} });
    res.writeHead(response.status);
    res.end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The whole loop in one process: the dev shop delivering signed webhooks (with the given faults)
 * to the app's route on a real port, and the worker's processors running. `close` stops it all.
 */
export async function connectedDevShop(shop: string, faults: { duplicateRate?: number }, tweak?: Parameters<typeof devShop>[1] extends infer O ? (O extends { tweak?: infer T } ? T : never) : never) {
  const app = await appServer();
  const dispatcher = createWebhookDispatcher({ appUrl: app.url, apiSecret: APP_SECRET, retryScheduleMs: [200, 400, 800], faults });
  const { standIn, post } = await devShop(shop, { webhookSink: dispatcher, tweak });
  startProcessing(processors);
  const close = async () => {
    dispatcher.close();
    await closeQueues();
    await standIn.close();
    await app.close();
  };
  return { standIn, post, dispatcher, close };
}
