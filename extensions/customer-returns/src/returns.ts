// What the two targets share: the app's /api/customer-returns, called with the customer account
// session token, and the texts in the customer's language. No imports from the app: its own bundle.
declare const __APP_URL__: string | undefined;
/** The app's absolute URL (an extension may not fetch its own origin); set at build time. */
export const APP_URL = typeof __APP_URL__ === "string" ? __APP_URL__ : "https://oms.example.com";

export const REASONS = ["size_too_small", "size_too_large", "unwanted", "not_as_described", "wrong_item", "defective", "other"] as const;
export type Reason = (typeof REASONS)[number];
export type Returnable = { orderName: string; lines: { fulfillmentLineItemId: string; title: string; sku: string | null; returnable: number }[] };
export type Outcome = { kind: "requested"; name: string | null } | { kind: "refused"; message: string } | { kind: "in_progress" } | { kind: "unavailable" };

type Api = {
  i18n: { translate(key: string, o?: Record<string, unknown>): string };
  sessionToken: { get(): Promise<string> };
  orderId: string;
  close?: () => void;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const api = () => (globalThis as any).shopify as Api;
export const t = (key: string, o?: Record<string, unknown>) => api().i18n.translate(key, o);

async function call(method: "GET" | "POST", query: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> } | null> {
  try {
    const token = await api().sessionToken.get();
    const res = await fetch(`${APP_URL}/api/customer-returns${query}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  } catch {
    return null;
  }
}

/** What this customer may still return on the order (null: the app could not say). */
export async function loadReturnable(orderId: string): Promise<Returnable | null> {
  const r = await call("GET", `?orderId=${encodeURIComponent(orderId)}`);
  return r?.status === 200 && !r.json.error ? (r.json as unknown as Returnable) : null;
}

/** A key per form opening: a retried or double-tapped submit is the same request. */
export const newRequestKey = () => `ca-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export async function requestReturn(body: {
  requestKey: string;
  orderId: string;
  lines: { fulfillmentLineItemId: string; quantity: number }[];
  reason: Reason;
  note: string | null;
}): Promise<Outcome> {
  const r = await call("POST", "", body);
  if (!r || r.json.error === "unavailable") return { kind: "unavailable" };
  if (r.status === 200) return { kind: "requested", name: typeof r.json.returnName === "string" ? r.json.returnName : null };
  if (r.status === 409) return { kind: "in_progress" };
  return { kind: "refused", message: typeof r.json.message === "string" ? r.json.message : String(r.json.error ?? r.status) };
}
