import { z } from "zod";

// Development defaults let the app run on a fresh clone with no configuration. They are refused in
// production, where every secret must come from the environment.
const DEV_API_KEY = "oms-dev-api-key";
const DEV_API_SECRET = "oms-dev-api-secret-not-for-production";
// 32 bytes, base64: encrypts marketplace credentials at rest in development only.
export const DEV_SECRETS_KEY = "b21zLWRldi1zZWNyZXRzLWtleS1ub3QtZm9yLXByb2Q=";

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().positive().default(3000),
    SHOPIFY_API_KEY: z.string().min(1).default(DEV_API_KEY),
    SHOPIFY_API_SECRET: z.string().min(1).default(DEV_API_SECRET),
    SHOPIFY_APP_URL: z.string().url().default("http://localhost:3000"),
    SCOPES: z
      .string()
      .default(
        "read_orders,write_orders,read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders,read_inventory,write_inventory,read_locations,read_returns,write_returns,read_products,write_shipping",
      ),
    DATABASE_URL: z.string().default("file:./prisma/dev.sqlite"),
    // The worker's own GET /health (jobs/health-server.ts); off when unset.
    WORKER_HEALTH_PORT: z.coerce.number().int().positive().optional(),
    // SQLite WAL pages before a write checkpoints inline; the web server sets 0 and the worker
    // checkpoints in the background, keeping the fsync off the webhook acknowledgement path.
    SQLITE_WAL_AUTOCHECKPOINT: z.coerce.number().int().nonnegative().default(1000),
    REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
    // Above this many orders a backfill reads ids with one Shopify bulk operation instead of pages.
    BACKFILL_BULK_THRESHOLD: z.coerce.number().int().nonnegative().default(2_500),
    // How long a paid order's captures wait for the shop's money sweep (seconds): the window's new
    // paid orders are read in one bulk operation instead of an order read each (finance/money-sweep.ts).
    MONEY_SWEEP_SECONDS: z.coerce.number().positive().default(10),
    // How often every level is re-read from Shopify, pushed and reconciled (minutes).
    INVENTORY_RECONCILE_MINUTES: z.coerce.number().int().positive().default(10),
    // Retention (days): processed webhook bodies, resolved drift, job records (dead letters, finished
    // backfills, resolved exceptions), and timelines of closed orders. Open work is never pruned.
    RETENTION_WEBHOOK_DAYS: z.coerce.number().int().positive().default(30),
    RETENTION_DRIFT_DAYS: z.coerce.number().int().positive().default(90),
    RETENTION_JOB_DAYS: z.coerce.number().int().positive().default(90),
    RETENTION_TIMELINE_DAYS: z.coerce.number().int().positive().default(730),
    // Every bull key starts with this; tests set a fresh prefix per run.
    QUEUE_PREFIX: z.string().default("oms"),
    // A worker holds a lock on its active job, renewed every half of this; a job whose lock lapsed
    // (its worker was killed) is found by another worker within about this long and run again.
    QUEUE_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
    // Development and test only: where Admin API and OAuth calls go instead of https://<shop>.
    SHOPIFY_ADMIN_ORIGIN: z.string().url().optional(),
    // Development and test only: where App Bridge loads from instead of Shopify's CDN (unreachable
    // offline). The name is the one @shopify/shopify-app-remix's node adapter reads for its bounce page.
    APP_BRIDGE_URL: z.string().url().optional(),
    // Operations (issue 18): how often the monitors run (seconds); where alert e-mails go out
    // (smtp://host:port; unset: e-mail alerts are not sent) and from whom; the bearer token /metrics
    // requires (in production /metrics answers 401 to everyone until it is set; open in development
    // when unset); log level (pino).
    OPS_MONITOR_SECONDS: z.coerce.number().int().positive().default(60),
    SMTP_URL: z.string().url().optional(),
    ALERT_FROM: z.string().default("Order Management <oms-alerts@localhost>"),
    METRICS_TOKEN: z.string().min(16).optional(),
    // The worker's own /metrics port (its job latencies live in its memory); unset: not served.
    WORKER_METRICS_PORT: z.coerce.number().int().positive().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // AES-256-GCM key (32 bytes, base64) for marketplace credentials at rest (app/.server/secrets.ts).
    OMS_SECRETS_KEY: z
      .string()
      .default(DEV_SECRETS_KEY)
      .refine((k) => Buffer.from(k, "base64").length === 32, "must be 32 bytes, base64-encoded"),
    // Login with Amazon's token endpoint.
    AMAZON_LWA_URL: z.string().url().default("https://api.amazon.com/auth/o2/token"),
    // Development and test only: where SP-API calls go instead of Amazon's regional hosts.
    AMAZON_SPAPI_ORIGIN: z.string().url().optional(),
    // How often each Amazon account is polled (searchOrders allows one call per 180 s on average),
    // and how far each window reaches back before the last one's bound (late-indexed orders).
    AMAZON_POLL_SECONDS: z.coerce.number().positive().default(180),
    AMAZON_OVERLAP_SECONDS: z.coerce.number().nonnegative().default(120),
    // How long a sync holds its account (renewed after each page): a killed worker's hold lapses after it.
    AMAZON_SYNC_LEASE_SECONDS: z.coerce.number().positive().default(60),
    // searchOrders page size (Amazon allows 1–100).
    AMAZON_PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(100),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    if (env.SHOPIFY_API_SECRET === DEV_API_SECRET || env.SHOPIFY_API_KEY === DEV_API_KEY) {
      ctx.addIssue({ code: "custom", message: "SHOPIFY_API_KEY and SHOPIFY_API_SECRET must be set in production" });
    }
    if (env.SHOPIFY_ADMIN_ORIGIN) {
      ctx.addIssue({ code: "custom", path: ["SHOPIFY_ADMIN_ORIGIN"], message: "the Shopify stand-in cannot be used in production" });
    }
    if (env.OMS_SECRETS_KEY === DEV_SECRETS_KEY) {
      ctx.addIssue({ code: "custom", path: ["OMS_SECRETS_KEY"], message: "OMS_SECRETS_KEY must be set in production (32 random bytes, base64)" });
    }
    if (env.AMAZON_SPAPI_ORIGIN) {
      ctx.addIssue({ code: "custom", path: ["AMAZON_SPAPI_ORIGIN"], message: "the SP-API stand-in cannot be used in production" });
    }
    if (env.APP_BRIDGE_URL) {
      ctx.addIssue({ code: "custom", path: ["APP_BRIDGE_URL"], message: "the App Bridge stand-in cannot be used in production" });
    }
  });

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "env"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
