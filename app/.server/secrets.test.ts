import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secrets";

describe("secrets at rest", () => {
  it("seals with AES-256-GCM: opaque, different every time, and opened only in its own context", () => {
    const a = sealSecret("Atzr|refresh-token", "shop-a|A1SELLER");
    const b = sealSecret("Atzr|refresh-token", "shop-a|A1SELLER");
    expect(a).not.toContain("Atzr");
    expect(a).not.toBe(b);
    expect(openSecret(a, "shop-a|A1SELLER")).toBe("Atzr|refresh-token");
    expect(() => openSecret(a, "shop-b|A1SELLER")).toThrow();
  });

  it("refuses a tampered value", () => {
    const sealed = sealSecret("secret", "ctx").split(".");
    sealed[3] = Buffer.from("tampered").toString("base64");
    expect(() => openSecret(sealed.join("."), "ctx")).toThrow();
  });
});
