import { describe, expect, it } from "vitest";
import { redirectShopifyOrigin } from "./admin-origin";

describe("the Shopify stand-in redirect", () => {
  it("cannot be switched on in production", () => {
    expect(() => redirectShopifyOrigin("http://127.0.0.1:4100", "production")).toThrow(/cannot be used in production/);
  });
});
