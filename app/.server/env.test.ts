import { describe, expect, it } from "vitest";
import { parseEnv } from "./env";

describe("environment", () => {
  it("runs on development defaults with nothing configured", () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe("development");
    expect(env.DATABASE_URL).toBe("file:./prisma/dev.sqlite");
  });

  it("refuses the development secrets in production", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SHOPIFY_API_KEY and SHOPIFY_API_SECRET must be set/);
  });

  it("refuses the Shopify and App Bridge stand-ins in production", () => {
    const prod = {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      METRICS_TOKEN: "a-long-metrics-token",
      OMS_SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
    };
    expect(() => parseEnv(prod)).not.toThrow();
    expect(() => parseEnv({ ...prod, SHOPIFY_ADMIN_ORIGIN: "http://127.0.0.1:4100" })).toThrow(/SHOPIFY_ADMIN_ORIGIN/);
    expect(() => parseEnv({ ...prod, APP_BRIDGE_URL: "http://127.0.0.1:4200/app-bridge.js" })).toThrow(/APP_BRIDGE_URL/);
  });

  it("takes a metrics token of at least 16 characters", () => {
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
  });

  it("refuses to start in production without its own key for marketplace credentials, or with the SP-API stand-in", () => {
    const prod = { NODE_ENV: "production", SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s" };
    expect(() => parseEnv(prod)).toThrow(/OMS_SECRETS_KEY must be set in production/);
    expect(() => parseEnv({ ...prod, OMS_SECRETS_KEY: "c2hvcnQ=" })).toThrow(/32 bytes/);
    const keyed = { ...prod, OMS_SECRETS_KEY: Buffer.alloc(32, 7).toString("base64") };
    expect(() => parseEnv(keyed)).not.toThrow();
    expect(() => parseEnv({ ...keyed, AMAZON_SPAPI_ORIGIN: "http://127.0.0.1:4300" })).toThrow(/AMAZON_SPAPI_ORIGIN/);
  });
});
