// Builds extensions/customer-returns with esbuild the way Shopify CLI bundles a UI extension (ESM,
// minified, Preact's automatic JSX), one file per target and one for the whole extension, and
// reports their gzip sizes (Shopify's limit: 64 KB compressed), as build-delivery-promise.ts does.
// The app URL is set at build time (the extension calls the app by absolute URL).
//   node --import tsx dev/extension/build-customer-returns.ts [appUrl]
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { repoRoot } from "../lib/processes";
import { BUNDLE_LIMIT_BYTES, type Built } from "./build-delivery-promise";

export { BUNDLE_LIMIT_BYTES };
export const EXTENSION_DIR = path.join(repoRoot, "extensions/customer-returns");
export const TARGETS = { MenuItem: "customer-account.order.action.menu-item.render", ReturnAction: "customer-account.order.action.render" } as const;

export async function buildCustomerReturns(opts: { appUrl: string; outdir?: string }): Promise<{ targets: Record<keyof typeof TARGETS, Built>; whole: Built }> {
  const outdir = opts.outdir ?? path.join(EXTENSION_DIR, "dist");
  mkdirSync(outdir, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    format: "esm" as const,
    target: "es2020",
    jsx: "automatic" as const,
    jsxImportSource: "preact",
    define: { __APP_URL__: JSON.stringify(opts.appUrl), "process.env.NODE_ENV": '"production"' },
    nodePaths: [path.join(repoRoot, "node_modules")],
    logLevel: "silent" as const,
  };
  const sizes = (file: string): Built => {
    const buf = readFileSync(file);
    return { file, bytes: buf.length, gzipBytes: gzipSync(buf, { level: 9 }).length };
  };
  const targets = {} as Record<keyof typeof TARGETS, Built>;
  for (const name of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
    const file = path.join(outdir, `${name}.js`);
    await build({ ...common, entryPoints: [path.join(EXTENSION_DIR, `src/${name}.tsx`)], outfile: file });
    targets[name] = sizes(file);
  }
  // Shopify counts the extension as one bundle: every target's module together.
  const entry = path.join(outdir, "_all.ts");
  writeFileSync(
    entry,
    Object.keys(TARGETS)
      .map((n) => `export { default as ${n} } from ${JSON.stringify(path.join(EXTENSION_DIR, `src/${n}.tsx`))};`)
      .join("\n"),
  );
  const file = path.join(outdir, "customer-returns.js");
  await build({ ...common, entryPoints: [entry], outfile: file });
  return { targets, whole: sizes(file) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await buildCustomerReturns({ appUrl: process.argv[2] ?? "http://localhost:3000" });
  for (const [n, b] of Object.entries({ ...r.targets, whole: r.whole }))
    console.log(`${n.padEnd(12)} ${(b.bytes / 1024).toFixed(1)} KB, ${(b.gzipBytes / 1024).toFixed(1)} KB gzip`);
}
