import { ApiType, shopifyApiProject } from "@shopify/api-codegen-preset";
import { ApiVersion } from "@shopify/shopify-api";

// Types for every `#graphql` document in the app, generated from the real 2026-04 Admin schema
// (dev/prepare-admin-schema.mjs puts it in app/types/ first, so nothing is downloaded).
export default {
  schema: "app/types/admin-2026-04.schema.json",
  projects: {
    default: shopifyApiProject({
      apiType: ApiType.Admin,
      apiVersion: ApiVersion.April26,
      documents: ["./app/**/*.{ts,tsx}", "./app/.server/**/*.{ts,tsx}"],
      outputDir: "./app/types",
    }),
  },
};
