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
    const prod = { NODE_ENV: "production", SHOPIFY_API_KEY: "k", SHOPIFY_API_SECRET: "s", METRICS_TOKEN: "a-long-metrics-token" };
    expect(() => parseEnv(prod)).not.toThrow();
    expect(() => parseEnv({ ...prod, SHOPIFY_ADMIN_ORIGIN: "http://127.0.0.1:4100" })).toThrow(/SHOPIFY_ADMIN_ORIGIN/);
    expect(() => parseEnv({ ...prod, APP_BRIDGE_URL: "http://127.0.0.1:4200/app-bridge.js" })).toThrow(/APP_BRIDGE_URL/);
  });

  it("takes a metrics token of at least 16 characters", () => {
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(parseEnv({}).METRICS_TOKEN).toBeUndefined();
  });
});
