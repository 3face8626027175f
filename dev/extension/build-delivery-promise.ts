// Builds extensions/delivery-promise (build-ui-extension.ts: one file per target and one for the whole
// extension, gzip sizes against Shopify's 64 KB limit). The app URL is set at build time (a checkout
// extension must call the app by absolute URL).
//   node --import tsx dev/extension/build-delivery-promise.ts [appUrl]
import path from "node:path";
import { repoRoot } from "../lib/processes";
import { BUNDLE_LIMIT_BYTES, buildUiExtension, printSizes, type Built } from "./build-ui-extension";

export { BUNDLE_LIMIT_BYTES, type Built };
export const EXTENSION_DIR = path.join(repoRoot, "extensions/delivery-promise");
export const TARGETS = {
  Shipping: "purchase.checkout.shipping-option-list.render-after",
  ThankYou: "purchase.thank-you.block.render",
  OrderStatus: "customer-account.order-status.block.render",
} as const;

export function buildDeliveryPromise(opts: { appUrl: string; outdir?: string }) {
  return buildUiExtension({ extensionDir: EXTENSION_DIR, name: "delivery-promise", targets: Object.keys(TARGETS) as (keyof typeof TARGETS)[], ...opts });
}

if (import.meta.url === `file://${process.argv[1]}`) printSizes(await buildDeliveryPromise({ appUrl: process.argv[2] ?? "http://localhost:3000" }));
