// The stand-in's world: shops, access tokens, rate-limit buckets, idempotency records, and the
// webhook sink every state change is announced through.
import { randomBytes, randomUUID } from "node:crypto";
import type { BulkOperation } from "./bulk";
import { LeakyBucket } from "./cost";
import { Ids, type ShopState } from "./store";

export interface WebhookSink {
  emit(shop: string, topic: string, payload: unknown, meta?: { eventId?: string; triggeredAt?: Date }): void;
}

export type StandInOptions = {
  apiKey: string;
  apiSecret: string;
  webhookSink?: WebhookSink;
  /** Points restored per second (Plus: 1,000); the bucket holds ten seconds' worth. */
  restoreRatePerSecond?: number;
  now?: () => Date;
};

export class StandIn {
  readonly shops = new Map<string, ShopState>();
  readonly ids = new Ids();
  readonly tokens = new Map<string, { shop: string; scope: string; expiresAt: number | null }>();
  readonly refreshTokens = new Map<string, { shop: string; scope: string }>();
  readonly idempotency = new Map<string, { fingerprint: string; result: unknown }>();
  readonly buckets = new Map<string, LeakyBucket>();
  readonly bulkOperations = new Map<number, BulkOperation>();
  restoreRate: number;
  readonly now: () => Date;
  /** Flow trigger calls received (flowTriggerReceive), per shop, in order: shown by /_dev/shops/:shop/flow-triggers. */
  readonly flowTriggerCalls = new Map<string, { handle: string; payload: unknown; at: string }[]>();
  /** A fault for tests and the demo: the next deliveries of these topics are lost (as after Shopify's last retry). */
  readonly droppedTopics = new Map<string, Map<string, number>>();
  /**
   * A fault for tests: the next Admin GraphQL requests of a shop naming one of these operations (or
   * any, when none are named) fail as when Shopify cannot be reached: "unavailable" answers 503 and
   * runs nothing; "lost_answer" runs the request and then drops the connection (the caller never
   * hears that it happened — an @idempotent retry must find it done).
   */
  readonly adminFaults = new Map<string, { operations: string[]; mode: "unavailable" | "lost_answer"; remaining: number }[]>();
  /** This stand-in's own origin (set once it listens), for URLs it hands out such as bulk results. */
  baseUrl = "";

  constructor(readonly opts: StandInOptions) {
    this.restoreRate = opts.restoreRatePerSecond ?? 1000;
    this.now = opts.now ?? (() => new Date());
  }

  bucketFor(shop: string): LeakyBucket {
    let b = this.buckets.get(shop);
    if (!b || b.restoreRate !== this.restoreRate) {
      b = new LeakyBucket(this.restoreRate * 10, this.restoreRate, this.now().getTime());
      this.buckets.set(shop, b);
    }
    return b;
  }

  issueToken(shop: string, scope: string, expiresInSeconds: number | null): { accessToken: string; expiresAt: number | null } {
    const accessToken = `shpat_${randomBytes(16).toString("hex")}`;
    const expiresAt = expiresInSeconds === null ? null : this.now().getTime() + expiresInSeconds * 1000;
    this.tokens.set(accessToken, { shop, scope, expiresAt });
    return { accessToken, expiresAt };
  }

  /** The shop a token may act on, or null if it is unknown, expired or for another shop. */
  authorize(token: string | null, shop: string): boolean {
    if (!token) return false;
    const t = this.tokens.get(token);
    return Boolean(t && t.shop === shop && (t.expiresAt === null || t.expiresAt > this.now().getTime()));
  }

  revokeShop(shop: string): void {
    for (const [token, t] of this.tokens) if (t.shop === shop) this.tokens.delete(token);
    for (const [token, t] of this.refreshTokens) if (t.shop === shop) this.refreshTokens.delete(token);
  }

  /** Announces one merchant action: every topic it produces shares one X-Shopify-Event-Id. */
  announce(shop: string, events: { topic: string; payload: unknown }[]): void {
    const eventId = randomUUID();
    const triggeredAt = this.now();
    const drops = this.droppedTopics.get(shop);
    for (const e of events) {
      const left = drops?.get(e.topic) ?? 0;
      if (left > 0) {
        drops!.set(e.topic, left - 1);
        continue;
      }
      this.opts.webhookSink?.emit(shop, e.topic, e.payload, { eventId, triggeredAt });
    }
  }

  /** The fault the next Admin request of this shop and operation meets (consumed), if any. */
  takeAdminFault(shop: string, operation: string): "unavailable" | "lost_answer" | null {
    const f = this.adminFaults.get(shop)?.find((x) => x.remaining > 0 && (!x.operations.length || x.operations.includes(operation)));
    if (!f) return null;
    f.remaining--;
    return f.mode;
  }

  shop(domain: string): ShopState | undefined {
    return this.shops.get(domain);
  }
}
