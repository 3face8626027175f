// Writes Shopify's real Admin GraphQL schema (2026-04, from dev/contracts/shopify) where the codegen preset
// looks for it, so `graphql-codegen` never tries to download it. Idempotent and fast when present.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const source = process.env.SHOPIFY_ADMIN_SCHEMA ?? path.resolve(root, "dev/contracts/shopify/admin_2026-04.json.gz");
const target = path.join(root, "app/types/admin-2026-04.schema.json");

if (!existsSync(target)) {
  if (!existsSync(source)) {
    console.error(`Shopify Admin schema not found at ${source}; set SHOPIFY_ADMIN_SCHEMA to the admin_2026-04.json.gz file.`);
    process.exit(1);
  }
  const introspection = JSON.parse(gunzipSync(readFileSync(source)).toString("utf8"));
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(introspection.data ?? introspection));
}
