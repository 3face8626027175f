// Delivers the stand-in's webhooks to the app as Shopify does: to the subscriptions declared in
// shopify.app.toml, signed with the app secret, at least once, retried with the original body and
// webhook id on any non-2xx answer or after 5 seconds. Faults can be injected for tests and demos.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import type { WebhookSink } from "./standin";

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

export type FaultConfig = { duplicateRate?: number; dropRate?: number; reorderWindowMs?: number; delayMs?: number };
export type Attempt = { at: string; status?: number; error?: string };
export type DeliveryRecord = {
  webhookId: string;
  eventId: string;
  topic: string;
  shop: string;
  body: string;
  state: "pending" | "delivered" | "failed" | "skipped";
  attempts: Attempt[];
};

/** topic → relative uri, and the API version, from shopify.app.toml. */
export function readSubscriptions(file = path.join(repoRoot, "shopify.app.toml")) {
  const toml = parseToml(readFileSync(file, "utf8")) as {
    webhooks?: { api_version?: string; subscriptions?: { topics?: string[]; compliance_topics?: string[]; uri: string }[] };
  };
  const byTopic = new Map<string, string>();
  for (const s of toml.webhooks?.subscriptions ?? []) for (const t of [...(s.topics ?? []), ...(s.compliance_topics ?? [])]) byTopic.set(t, s.uri);
  return { apiVersion: toml.webhooks?.api_version ?? "2026-04", byTopic };
}

// Shopify: 8 retries over 4 hours with exponential backoff; compressed here so a demo sees them.
const DEFAULT_RETRIES = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000];

export function createWebhookDispatcher(opts: {
  appUrl: string;
  apiSecret: string;
  subscriptionsFile?: string;
  retryScheduleMs?: number[];
  timeoutMs?: number;
  faults?: FaultConfig;
  random?: () => number;
}) {
  const subs = readSubscriptions(opts.subscriptionsFile);
  const retries = opts.retryScheduleMs ?? DEFAULT_RETRIES;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const random = opts.random ?? Math.random;
  let faults: FaultConfig = opts.faults ?? {};
  const log: DeliveryRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let held: DeliveryRecord[] = [];
  let waiters: (() => void)[] = [];
  let closed = false;

  const settle = () => {
    if (inFlight === 0 && timers.size === 0 && held.length === 0) {
      for (const w of waiters) w();
      waiters = [];
    }
  };
  const later = (ms: number, fn: () => void) => {
    if (closed) return;
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
      settle();
    }, ms);
    timers.add(t);
  };

  async function post(d: DeliveryRecord): Promise<number> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const res = await fetch(new URL(subs.byTopic.get(d.topic)!, opts.appUrl), {
        method: "POST",
        redirect: "manual",
        signal: controller.signal,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": d.topic,
          "x-shopify-hmac-sha256": createHmac("sha256", opts.apiSecret).update(d.body).digest("base64"),
          "x-shopify-shop-domain": d.shop,
          "x-shopify-api-version": subs.apiVersion,
          "x-shopify-webhook-id": d.webhookId,
          "x-shopify-event-id": d.eventId,
          "x-shopify-triggered-at": d.attempts[0]?.at ?? new Date().toISOString(),
        },
        body: d.body,
      });
      await res.arrayBuffer();
      return res.status;
    } finally {
      clearTimeout(timer);
    }
  }

  async function attempt(d: DeliveryRecord, retryIndex: number): Promise<void> {
    const at = new Date().toISOString();
    if (retryIndex === 0 && faults.dropRate && random() < faults.dropRate) {
      d.attempts.push({ at, error: "dropped (fault injection)" });
    } else {
      inFlight++;
      try {
        const copies = retryIndex === 0 && faults.duplicateRate && random() < faults.duplicateRate ? 2 : 1;
        for (let i = 0; i < copies; i++) {
          try {
            const status = await post(d);
            d.attempts.push({ at, status });
            if (status >= 200 && status < 300) d.state = "delivered";
          } catch (e) {
            d.attempts.push({ at, error: e instanceof Error && e.name === "AbortError" ? `no answer within ${timeoutMs} ms` : String(e) });
          }
        }
      } finally {
        inFlight--;
      }
    }
    if (d.state === "delivered") return;
    const wait = retries[retryIndex];
    if (wait === undefined) d.state = "failed";
    else later(wait, () => void attempt(d, retryIndex + 1).finally(settle));
  }

  function release(batch: DeliveryRecord[]) {
    for (const d of batch) void attempt(d, 0).finally(settle);
  }

  return {
    emit(shop: string, topic: string, payload: unknown, meta?: { eventId?: string; triggeredAt?: Date }) {
      const record: DeliveryRecord = {
        webhookId: randomUUID(),
        eventId: meta?.eventId ?? randomUUID(),
        topic,
        shop,
        body: JSON.stringify(payload),
        state: "pending",
        attempts: [],
      };
      log.push(record);
      if (!subs.byTopic.has(topic)) {
        record.state = "skipped";
        return;
      }
      if (faults.reorderWindowMs) {
        held.push(record);
        if (held.length === 1) {
          later(faults.reorderWindowMs, () => {
            const batch = held;
            held = [];
            // Fisher–Yates with the injected randomness: deliveries leave in shuffled order.
            for (let i = batch.length - 1; i > 0; i--) {
              const j = Math.floor(random() * (i + 1));
              [batch[i], batch[j]] = [batch[j]!, batch[i]!];
            }
            release(batch);
          });
        }
        return;
      }
      if (faults.delayMs) later(faults.delayMs, () => release([record]));
      else release([record]);
    },
    setFaults(f: FaultConfig) {
      faults = f;
    },
    deliveries: () => log,
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      }),
    close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      settle();
    },
  } satisfies WebhookSink & Record<string, unknown>;
}
