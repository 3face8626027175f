// Builds extensions/customer-returns (build-ui-extension.ts: one file per target and one for the whole
// extension, gzip sizes against Shopify's 64 KB limit). The app URL is set at build time (the extension
// calls the app by absolute URL).
//   node --import tsx dev/extension/build-customer-returns.ts [appUrl]
import path from "node:path";
import { repoRoot } from "../lib/processes";
import { BUNDLE_LIMIT_BYTES, buildUiExtension, printSizes } from "./build-ui-extension";

export { BUNDLE_LIMIT_BYTES };
export const EXTENSION_DIR = path.join(repoRoot, "extensions/customer-returns");
export const TARGETS = { MenuItem: "customer-account.order.action.menu-item.render", ReturnAction: "customer-account.order.action.render" } as const;

export function buildCustomerReturns(opts: { appUrl: string; outdir?: string }) {
  return buildUiExtension({ extensionDir: EXTENSION_DIR, name: "customer-returns", targets: Object.keys(TARGETS) as (keyof typeof TARGETS)[], ...opts });
}

if (import.meta.url === `file://${process.argv[1]}`) printSizes(await buildCustomerReturns({ appUrl: process.argv[2] ?? "http://localhost:3000" }));
