import type { HeaderReader } from "~/schemas/webhook-headers";
import { webhookAck } from "../metrics";
import type { LeanRequest, LeanResponse } from "./promise/lean-promise";
import { recordWebhook, webhookAnswer } from "./record-webhook";

/**
 * POST /webhooks before Remix (server.ts): the acknowledgement is the hottest path (hundreds of
 * deliveries a second, Shopify's 5-second timeout), and a fetch Request with its body stream cost
 * about as much as storing the delivery. Same outcome, status and body as the route's action
 * (app/routes/webhooks.tsx); test/webhooks-route.test.ts runs its cases through both.
 */
export async function leanWebhook(r: LeanRequest): Promise<LeanResponse> {
  if (r.method !== "POST") return { status: 405, headers: { allow: "POST" }, body: "" };
  const end = webhookAck.startTimer();
  const { status, json } = webhookAnswer(await recordWebhook(new NodeHeaders(r.headers), r.body.toString("utf8")));
  end({ status: String(status) });
  return json ? { status, headers: { "content-type": "application/json" }, body: JSON.stringify(json) } : { status, headers: {}, body: "" };
}

/** Node's parsed request headers (names lower-cased, repeats as arrays) read as fetch Headers would. */
class NodeHeaders implements HeaderReader {
  constructor(private readonly raw: LeanRequest["headers"]) {}
  get(name: string): string | null {
    const v = this.raw[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }
  forEach(cb: (value: string, key: string, parent: Headers) => void): void {
    for (const key of Object.keys(this.raw).sort()) {
      const v = this.get(key);
      if (v !== null) cb(v, key, this as unknown as Headers);
    }
  }
}
