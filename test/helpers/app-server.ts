// The app's webhook endpoint on a real port, running the same route action as server.ts: what the
// dev shop's webhook dispatcher delivers to in end-to-end tests.
import { closeQueues } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { serveWebhookRoute } from "../../dev/lib/webhook-endpoint";
import { createWebhookDispatcher } from "../../dev/shopify-local/webhook-dispatcher";
import { processors } from "../../jobs/processors";
import { APP_SECRET, devShop } from "./dev-shop";

export const appServer = serveWebhookRoute;

/**
 * The whole loop in one process: the dev shop delivering signed webhooks (with the given faults)
 * to the app's route on a real port, and the worker's processors running. `close` stops it all.
 */
export async function connectedDevShop(
  shop: string,
  faults: { duplicateRate?: number },
  tweak?: Parameters<typeof devShop>[1] extends infer O ? (O extends { tweak?: infer T } ? T : never) : never,
) {
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
