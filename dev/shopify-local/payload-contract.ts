// Validates webhook payloads against the JSON Schemas of Shopify's 2026-04 webhook topics
// (dev/contracts/shopify/webhooks/_source-gadget-inc-shopify-webhook-schemas/schemas/2026-04).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";

const schemaRoot = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  "../contracts/shopify/webhooks/_source-gadget-inc-shopify-webhook-schemas/schemas/2026-04",
);

// The schemas are generated from Shopify's examples and use no custom keywords; strict mode would
// only object to annotation keywords, so it is off.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/**
 * The schemas are generated from one example each, so a field the example happened to fill is typed
 * as always present. These fields are documented by Shopify as nullable; null is accepted for them.
 */
const DOCUMENTED_NULLABLE: Record<string, string[]> = {
  "fulfillment_orders/placed_on_hold": ["/remaining_fulfillment_order"],
  // A POS sale without a customer or shipping, fulfilled at the counter without tracking.
  "orders/create": ["/shipping_address", "/billing_address", "/customer", "/fulfillments/0/tracking_url"],
};

/**
 * Fields whose example value was null or an empty list, so the generated schema allows only that;
 * Shopify documents them as carrying values (a refund's shipping lines, a reverse delivery's label
 * and tracking). Any value is accepted at or below these paths.
 */
const UNTYPED_IN_EXAMPLE: Record<string, string[]> = {
  "refunds/create": ["/refund_shipping_lines/"],
  "reverse_deliveries/attach_deliverable": ["/shipping_deliverable/label/", "/shipping_deliverable/tracking/"],
};

export function validateWebhookPayload(topic: string, payload: unknown): { valid: boolean; errors: string[] } {
  let validate = compiled.get(topic);
  if (!validate) {
    const file = path.join(schemaRoot, `${topic}.json`);
    if (!existsSync(file)) return { valid: false, errors: [`no JSON Schema for topic ${topic}`] };
    validate = ajv.compile(JSON.parse(readFileSync(file, "utf8")));
    compiled.set(topic, validate);
  }
  validate(payload);
  const nullable = DOCUMENTED_NULLABLE[topic] ?? [];
  const untyped = UNTYPED_IN_EXAMPLE[topic] ?? [];
  const errors = (validate.errors ?? []).filter(
    (e) => !(nullable.includes(e.instancePath) && valueAt(payload, e.instancePath) === null) && !untyped.some((p) => e.instancePath.startsWith(p)),
  );
  return { valid: errors.length === 0, errors: errors.map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`.trim()) };
}

function valueAt(root: unknown, pointer: string): unknown {
  return pointer
    .split("/")
    .slice(1)
    .reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), root);
}
