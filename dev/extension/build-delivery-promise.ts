// Builds extensions/delivery-promise with esbuild the way Shopify CLI bundles a UI extension
// (ESM, minified, Preact's automatic JSX), one file per target and one for the whole extension,
// and reports their gzip sizes (Shopify's limit: 64 KB compressed). The app URL is set at build
// time (a checkout extension must call the app by absolute URL).
//   node --import tsx dev/extension/build-delivery-promise.ts [appUrl]
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { repoRoot } from "../lib/processes";

export const EXTENSION_DIR = path.join(repoRoot, "extensions/delivery-promise");
export const TARGETS = {
  Shipping: "purchase.checkout.shipping-option-list.render-after",
  ThankYou: "purchase.thank-you.block.render",
  OrderStatus: "customer-account.order-status.block.render",
} as const;
export const BUNDLE_LIMIT_BYTES = 64 * 1024;

export type Built = { file: string; bytes: number; gzipBytes: number };

export async function buildDeliveryPromise(opts: { appUrl: string; outdir?: string }): Promise<{ targets: Record<keyof typeof TARGETS, Built>; whole: Built }> {
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
  const file = path.join(outdir, "delivery-promise.js");
  await build({ ...common, entryPoints: [entry], outfile: file });
  return { targets, whole: sizes(file) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await buildDeliveryPromise({ appUrl: process.argv[2] ?? "http://localhost:3000" });
  for (const [n, b] of Object.entries({ ...r.targets, whole: r.whole }))
    console.log(`${n.padEnd(12)} ${(b.bytes / 1024).toFixed(1)} KB, ${(b.gzipBytes / 1024).toFixed(1)} KB gzip`);
}
