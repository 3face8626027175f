import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../lib/processes";
import { buildDeliveryPromise, BUNDLE_LIMIT_BYTES, EXTENSION_DIR, TARGETS } from "./build-delivery-promise";

describe("extensions/delivery-promise", () => {
  it("is laid out as Shopify CLI expects: API 2026-04 or later, the three targets, network access declared here and in shopify.app.toml, English and French", () => {
    const toml = parse(readFileSync(path.join(EXTENSION_DIR, "shopify.extension.toml"), "utf8")) as {
      api_version: string;
      extensions: { type: string; handle: string; targeting: { module: string; target: string }[]; capabilities: { network_access: boolean } }[];
    };
    expect(toml.api_version >= "2026-04").toBe(true);
    const ext = toml.extensions[0]!;
    expect(ext.type).toBe("ui_extension");
    expect(ext.targeting.map((t) => t.target).sort()).toEqual(Object.values(TARGETS).sort());
    expect(ext.capabilities.network_access).toBe(true);
    const app = parse(readFileSync(path.join(repoRoot, "shopify.app.toml"), "utf8")) as {
      application_url: string;
      network_access: { allowed_sources: string[] };
    };
    expect(app.network_access.allowed_sources).toContain(app.application_url);
    const en = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales/en.default.json"), "utf8"));
    const fr = JSON.parse(readFileSync(path.join(EXTENSION_DIR, "locales/fr.json"), "utf8"));
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it("builds, and the compiled bundle stays within Shopify's 64 KB compressed", async () => {
    const r = await buildDeliveryPromise({ appUrl: "https://oms.example.com", outdir: path.join(repoRoot, ".tmp/delivery-promise-bundle-test") });
    expect(r.whole.gzipBytes).toBeGreaterThan(1_000); // it built something real (Preact and the targets)
    expect(r.whole.gzipBytes).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
    for (const t of Object.values(r.targets)) expect(t.gzipBytes).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
    // The app URL was compiled in (the extension must call the app by absolute URL).
    expect(readFileSync(r.whole.file, "utf8")).toContain("https://oms.example.com");
  });
});
