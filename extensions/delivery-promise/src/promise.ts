// What the three targets share: asking the app for the promise, the cart attribute that carries it
// to the order, and the dates in the buyer's language. No imports from the app: its own bundle.
import { useEffect, useState } from "preact/hooks";

declare const __APP_URL__: string | undefined;
/** The app's absolute URL (a checkout extension may not fetch its own origin); set at build time. */
export const APP_URL = typeof __APP_URL__ === "string" ? __APP_URL__ : "https://oms.example.com";
export const ATTRIBUTE_KEY = "_delivery_promise";

export type Window = { method: string; name: string; carrier: string; earliest: string; latest: string };
export type PromiseView = {
  id: string;
  zone: string;
  confidence: "high" | "medium" | "low" | "none";
  windows: Window[];
  parcels: {
    location: string;
    kind: "stock" | "restock";
    shipDate: string | null;
    cutoffAt: string | null;
    windows: { method: string; earliest: string; latest: string }[];
  }[];
  undated: { variantId: string; quantity: number }[];
};
/** What travels on the order: the promise's id, the method chosen and its dates. */
export type Attached = { id: string; m: string; e: string; l: string; z: string };

type Signal<T> = { value: T; subscribe(fn: (v: T) => void): () => void };
type Api = {
  i18n: { translate(key: string, o?: Record<string, unknown>): string; formatDate(d: Date, o?: Intl.DateTimeFormatOptions): string };
  sessionToken: { get(): Promise<string> };
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const api = () => (globalThis as any).shopify as Api & Record<string, any>;

/** A signal's value, re-rendering when it changes. */
export function useSignal<T>(s: Signal<T> | undefined, fallback: T): T {
  const [v, setV] = useState<T>(s ? s.value : fallback);
  useEffect(() => (s ? s.subscribe((x) => setV(x)) : undefined), [s]);
  return v;
}

export const t = (key: string, o?: Record<string, unknown>) => api().i18n.translate(key, o);

/** "Tue 3 Dec" in the buyer's locale; dates are calendar dates, so formatted in UTC. */
export const day = (date: string) =>
  api().i18n.formatDate(new Date(`${date}T12:00:00Z`), { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });

export const arrives = (earliest: string, latest: string) =>
  earliest === latest ? t("arrivesOn", { date: day(earliest) }) : t("arrives", { from: day(earliest), to: day(latest) });

/** "2 h 14 min" until an instant. */
export function untilText(at: string, now: number): string {
  const m = Math.max(0, Math.floor((Date.parse(at) - now) / 60_000));
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
}

export async function fetchPromise(body: unknown, signal?: AbortSignal): Promise<PromiseView | null> {
  try {
    const token = await api().sessionToken.get();
    const res = await fetch(`${APP_URL}/api/promise`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    if (!res.ok) return null;
    return (await res.json()) as PromiseView;
  } catch {
    return null;
  }
}

export function readAttached(attributes: { key: string; value: string }[] | undefined): Attached | null {
  const a = attributes?.find((x) => x.key === ATTRIBUTE_KEY);
  if (!a) return null;
  try {
    const v = JSON.parse(a.value) as Attached;
    return v.id && v.e && v.l ? v : null;
  } catch {
    return null;
  }
}
