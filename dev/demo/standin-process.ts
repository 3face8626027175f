// Starts the Shopify stand-in (dev/shopify-local/server.ts) with the webhook dispatcher
// (dev/shopify-local/webhooks/dispatcher.ts) as its sink, per their agreed contracts. The modules are
// loaded at run time so the demo's other parts build and test while they are being written.

interface StandInHandle {
  url: string;
  close(): Promise<void> | void;
}

type StartStandIn = (options: { port: number; apiKey: string; apiSecret: string; webhookSink: unknown }) => Promise<StandInHandle> | StandInHandle;
type CreateDispatcher = (options: { appUrl: string; apiSecret: string }) => unknown;

const SERVER_MODULE = "../shopify-local/server.ts";
const DISPATCHER_MODULE = "../shopify-local/webhooks/dispatcher.ts";

async function load<T>(specifier: string, name: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ new URL(specifier, import.meta.url).href)) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`cannot load ${specifier.replace("../", "dev/")}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const fn = mod[name];
  if (typeof fn !== "function") throw new Error(`${specifier.replace("../", "dev/")} does not export ${name}()`);
  return fn as T;
}

export async function startStandInWithDispatcher(options: { port: number; appUrl: string; apiKey: string; apiSecret: string }): Promise<{ url: string; close(): Promise<void> }> {
  const startShopifyStandIn = await load<StartStandIn>(SERVER_MODULE, "startShopifyStandIn");
  const createWebhookDispatcher = await load<CreateDispatcher>(DISPATCHER_MODULE, "createWebhookDispatcher");
  const webhookSink = createWebhookDispatcher({ appUrl: options.appUrl, apiSecret: options.apiSecret });
  const handle = await startShopifyStandIn({ port: options.port, apiKey: options.apiKey, apiSecret: options.apiSecret, webhookSink });
  return { url: handle.url, close: async () => void (await handle.close()) };
}
