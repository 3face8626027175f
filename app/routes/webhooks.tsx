import type { ActionFunctionArgs } from "@remix-run/node";
import { webhookAck } from "~/.server/metrics";
import { recordWebhook, webhookAnswer } from "~/.server/services/record-webhook";

/**
 * Every Shopify webhook topic, including the compliance ones, is delivered here (shopify.app.toml).
 * The web process (server.ts) answers POSTs before Remix with the same outcome (leanWebhook in
 * app/.server/services/lean-webhook.ts); this action is the route as Remix serves it.
 */
/** GET (or HEAD) goes to a loader in Remix, never to the action: refused with the method to use. */
export const loader = () => new Response("POST Shopify webhooks here", { status: 405, headers: { allow: "POST" } });

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response(null, { status: 405, headers: { allow: "POST" } });
  const end = webhookAck.startTimer();
  const { status, json } = webhookAnswer(await recordWebhook(request.headers, await request.text()));
  end({ status: String(status) });
  return json ? Response.json(json, { status }) : new Response(null, { status });
}
