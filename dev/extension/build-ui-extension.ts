// Builds a UI extension in extensions/<name> with esbuild the way Shopify CLI bundles one (ESM,
// minified, Preact's automatic JSX): one file per target (src/<Target>.tsx) and one for the whole
// extension, with their gzip sizes (Shopify's limit: 64 KB compressed). The app URL is compiled in as
// __APP_URL__ (an extension calls the app by absolute URL). Used by build-delivery-promise.ts and
// build-customer-returns.ts.
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { repoRoot } from "../lib/processes";

export const BUNDLE_LIMIT_BYTES = 64 * 1024;

export type Built = { file: string; bytes: number; gzipBytes: number };

export async function buildUiExtension<T extends string>(opts: {
  extensionDir: string;
  /** The whole bundle's file name (without .js). */
  name: string;
  targets: readonly T[];
  appUrl: string;
  outdir?: string;
}): Promise<{ targets: Record<T, Built>; whole: Built }> {
  const outdir = opts.outdir ?? path.join(opts.extensionDir, "dist");
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
  const source = (target: T) => path.join(opts.extensionDir, `src/${target}.tsx`);
  const targets = {} as Record<T, Built>;
  for (const target of opts.targets) {
    const file = path.join(outdir, `${target}.js`);
    await build({ ...common, entryPoints: [source(target)], outfile: file });
    targets[target] = sizes(file);
  }
  // Shopify counts the extension as one bundle: every target's module together.
  const entry = path.join(outdir, "_all.ts");
  writeFileSync(entry, opts.targets.map((t) => `export { default as ${t} } from ${JSON.stringify(source(t))};`).join("\n"));
  const file = path.join(outdir, `${opts.name}.js`);
  await build({ ...common, entryPoints: [entry], outfile: file });
  return { targets, whole: sizes(file) };
}

/** Prints a build's sizes (the scripts' command-line output). */
export function printSizes(r: { targets: Record<string, Built>; whole: Built }) {
  for (const [n, b] of Object.entries({ ...r.targets, whole: r.whole }))
    console.log(`${n.padEnd(12)} ${(b.bytes / 1024).toFixed(1)} KB, ${(b.gzipBytes / 1024).toFixed(1)} KB gzip`);
}
