import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

let cached: GraphQLSchema | undefined;

/** Shopify's real Admin API schema, version 2026-04 (dev/contracts/shopify/admin_2026-04.json.gz). */
export function adminSchema(): GraphQLSchema {
  if (!cached) {
    const file = process.env.SHOPIFY_ADMIN_SCHEMA ?? path.resolve(repoRoot, "dev/contracts/shopify/admin_2026-04.json.gz");
    const json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { data: IntrospectionQuery };
    cached = buildClientSchema(json.data);
  }
  return cached;
}
