// Shopify Flow's side of flowTriggerReceive: the app's trigger extensions (read from extensions/*,
// as Shopify knows them once deployed) and the calls received, kept for /_dev/shops/:shop/flow-triggers.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import type { StandIn } from "./standin";
import type { ShopState } from "./store";

type Field = { type: string; key?: string };
const REFERENCE_KEYS: Record<string, string> = { order_reference: "order_id", customer_reference: "customer_id", product_reference: "product_id" };
/** Flow refuses payloads above 50 KB. */
const MAX_PAYLOAD_BYTES = 50_000;

let cached: Map<string, Set<string>> | undefined;

/** Each flow_trigger extension's handle and the payload keys its fields declare. */
export function flowTriggerExtensions(dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions")): Map<string, Set<string>> {
  if (cached) return cached;
  const out = new Map<string, Set<string>>();
  for (const name of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)) {
    let toml: string;
    try {
      toml = readFileSync(path.join(dir, name, "shopify.extension.toml"), "utf8");
    } catch {
      continue;
    }
    const doc = parse(toml) as { extensions?: { type?: string; handle?: string }[]; settings?: { fields?: Field[] } };
    for (const ext of doc.extensions ?? []) {
      if (ext.type !== "flow_trigger" || !ext.handle) continue;
      out.set(ext.handle, new Set((doc.settings?.fields ?? []).map((f) => REFERENCE_KEYS[f.type] ?? f.key ?? "").filter(Boolean)));
    }
  }
  cached = out;
  return out;
}

const userError = (message: string, field: string[]) => ({ field, message });

export function flowMutations(ctx: { standIn: StandIn; shop: ShopState; now: Date }) {
  return {
    flowTriggerReceive: ({ handle, payload, body }: { handle?: string | null; payload?: unknown; body?: string | null }) => {
      if (body !== undefined && body !== null && !handle)
        return { userErrors: [userError("The body argument is deprecated: send handle and payload.", ["body"])] };
      const keys = handle ? flowTriggerExtensions().get(handle) : undefined;
      if (!handle || !keys) return { userErrors: [userError(`Invalid handle: no trigger extension '${handle ?? ""}' is deployed for this app.`, ["handle"])] };
      if (!payload || typeof payload !== "object" || Array.isArray(payload)) return { userErrors: [userError("Payload must be an object.", ["payload"])] };
      if (Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) return { userErrors: [userError("Payload exceeds the 50 KB limit.", ["payload"])] };
      const unknown = Object.keys(payload).filter((k) => !keys.has(k));
      if (unknown.length) return { userErrors: [userError(`Payload has fields the trigger does not define: ${unknown.join(", ")}`, ["payload"])] };
      const missing = [...keys].filter((k) => !(k in payload));
      if (missing.length) return { userErrors: [userError(`Payload is missing fields: ${missing.join(", ")}`, ["payload"])] };
      const calls = ctx.standIn.flowTriggerCalls.get(ctx.shop.domain) ?? [];
      calls.push({ handle, payload, at: ctx.now.toISOString() });
      ctx.standIn.flowTriggerCalls.set(ctx.shop.domain, calls);
      return { userErrors: [] };
    },
  };
}
