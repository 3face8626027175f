import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { CUSTOMER_REASONS } from "~/schemas/customer-returns-api";
import { repoRoot } from "../lib/processes";
import { buildCustomerReturns, BUNDLE_LIMIT_BYTES, EXTENSION_DIR, TARGETS } from "./build-customer-returns";

describe("extensions/customer-returns", () => {
  it("is laid out as Shopify CLI expects: API 2026-04, the order action menu item and its action, network access declared here and in shopify.app.toml, English and French with every reason", () => {
    const toml = parse(readFileSync(path.join(EXTENSION_DIR, "shopify.extension.toml"), "utf8")) as {
      api_version: string;
      extensions: { type: string; handle: string; targeting: { module: string; target: string }[]; capabilities: { network_access: boolean } }[];
    };
    expect(toml.api_version).toBe("2026-04");
    const ext = toml.extensions[0]!;
    expect(ext).toMatchObject({ type: "ui_extension", handle: "customer-returns" });
    expect(ext.targeting.map((t) => t.target).sort()).toEqual(Object.values(TARGETS).sort());
    for (const t of ext.targeting) expect(readFileSync(path.join(EXTENSION_DIR, t.module), "utf8")).toContain("export default");
    expect(ext.capabilities.network_access).toBe(true);
    const app = parse(readFileSync(path.join(repoRoot, "shopify.app.toml"), "utf8")) as {
      application_url: string;
      network_access: { allowed_sources: string[] };
    };
    expect(app.network_access.allowed_sources).toContain(app.application_url);
    const en = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales/en.default.json"), "utf8")) as Record<string, string>;
    const fr = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales/fr.json"), "utf8")) as Record<string, string>;
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const r of CUSTOMER_REASONS) expect(en[`reason_${r}`] && fr[`reason_${r}`]).toBeTruthy();
    // The extension offers exactly the reasons the route accepts.
    expect(readFileSync(path.join(EXTENSION_DIR, "src/returns.ts"), "utf8")).toContain(
      `export const REASONS = [${CUSTOMER_REASONS.map((r) => `"${r}"`).join(", ")}] as const;`,
    );
  });

  it("builds, and the compiled bundle stays within Shopify's 64 KB compressed", async () => {
    const r = await buildCustomerReturns({ appUrl: "https://oms.example.com", outdir: path.join(repoRoot, ".tmp/customer-returns-bundle-test") });
    expect(r.whole.gzipBytes).toBeGreaterThan(1_000); // it built something real (Preact and the targets)
    expect(r.whole.gzipBytes).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
    for (const t of Object.values(r.targets)) expect(t.gzipBytes).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
    const js = readFileSync(r.whole.file, "utf8");
    expect(js).toContain("https://oms.example.com"); // the app URL compiled in
    expect(js).toContain("/api/customer-returns");
    expect(js).toContain("s-customer-account-action");
  });
});
