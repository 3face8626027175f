import { isKnownTopic, payloadSchemas } from "~/schemas/webhook-payloads";
import { parseJsonExact } from "~/schemas/json";
import { readWebhookHeaders, type HeaderReader } from "~/schemas/webhook-headers";
import { insertDelivery } from "../db/webhook-deliveries";
import { env } from "../env";
import { enqueue } from "../queue/queues";
import { verifyHmac } from "../shopify/hmac";
import { requestInventoryDeliveryBatch } from "./inventory-webhooks";
import { BATCHED_FO_TOPICS, requestFulfillmentOrderEventBatch, requestOrderCreationBatch } from "./order-webhooks";

export type RecordOutcome =
  | { kind: "accepted"; deliveryId: string }
  | { kind: "duplicate" }
  | { kind: "rejected"; deliveryId: string | null; reason: string }
  | { kind: "unauthorized" }
  | { kind: "bad-headers"; reason: string };

/**
 * The acknowledgement path: verify, store, enqueue. No Admin API call and no business logic here,
 * so Shopify gets its 200 well inside its 5-second timeout.
 */
export async function recordWebhook(headers: HeaderReader, rawBody: string): Promise<RecordOutcome> {
  if (!verifyHmac(rawBody, headers.get("x-shopify-hmac-sha256"), env().SHOPIFY_API_SECRET)) {
    return { kind: "unauthorized" };
  }
  const h = readWebhookHeaders(headers);
  if (!h.success) {
    return { kind: "bad-headers", reason: h.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  }
  const { topic, shop, webhookId, eventId, apiVersion, triggeredAt } = h.data;
  const problem = validateBody(topic, rawBody);
  const stored = await insertDelivery({
    shop,
    topic,
    webhookId,
    eventId,
    apiVersion,
    triggeredAt,
    headers: shopifyHeaders(headers),
    body: rawBody,
    status: problem ? "rejected" : "received",
    error: problem,
  });
  if (!stored) return { kind: "duplicate" };
  if (problem) return { kind: "rejected", deliveryId: stored.id, reason: problem };
  // Stored is what matters, so the acknowledgement does not wait for Redis: a delivery that never
  // reaches the queue (Redis down, process killed) is picked up by the requeue sweep.
  // New orders, level changes (about two per order, and every push's echo) and status-only
  // fulfilment-order events (about 1.5 per order) are handled in batches per shop and window (a
  // Redis call per window, not per delivery); everything else one by one.
  (batchOf(topic)?.(shop) ?? enqueue("processWebhook", { deliveryId: stored.id, shop })).catch((e: unknown) =>
    console.error(`webhook ${stored.id} stored but not queued:`, e instanceof Error ? e.message : e),
  );
  return { kind: "accepted", deliveryId: stored.id };
}

/** The request for its shop's batch job, for a topic handled in batches (undefined: one by one). */
export function batchOf(topic: string): ((shop: string) => Promise<void>) | undefined {
  if (topic === "orders/create") return requestOrderCreationBatch;
  if (topic === "inventory_levels/update") return requestInventoryDeliveryBatch;
  if (BATCHED_FO_TOPICS.includes(topic)) return requestFulfillmentOrderEventBatch;
  return undefined;
}

/** Why a body cannot be processed for its topic, or null when it can (unknown topics are kept, not rejected). */
export function validateBody(topic: string, rawBody: string): string | null {
  let json: unknown;
  try {
    json = parseJsonExact(rawBody);
  } catch {
    return "body is not valid JSON";
  }
  if (!isKnownTopic(topic)) return null; // stored and flagged by the processor, not rejected
  const parsed = payloadSchemas[topic].safeParse(json);
  return parsed.success ? null : `payload does not match ${topic}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message}`).join("; ")}`;
}

function shopifyHeaders(headers: HeaderReader): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (key.startsWith("x-shopify-")) out[key] = value;
  });
  return out;
}

const statusFor = {
  accepted: 200,
  duplicate: 200,
  rejected: 422,
  unauthorized: 401,
  "bad-headers": 400,
} as const satisfies Record<RecordOutcome["kind"], number>;

/** The answer to Shopify for an outcome: 200 for stored (or already stored), else why not. */
export function webhookAnswer(outcome: RecordOutcome): { status: number; json: object | null } {
  const status = statusFor[outcome.kind];
  if (outcome.kind === "rejected") return { status, json: { error: outcome.reason, deliveryId: outcome.deliveryId } };
  if (outcome.kind === "bad-headers") return { status, json: { error: outcome.reason } };
  return { status, json: null };
}
