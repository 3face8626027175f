// Derives the PostgreSQL side of the database seam from prisma/schema.prisma (docs/postgres.md):
//   prisma/postgres/current.prisma   the same models with provider "postgresql"   (generated)
//   node_modules/.prisma/client-pg   its client (loaded by createDb for postgres:// URLs)
//   prisma/postgres/pending.sql      what the committed PostgreSQL migrations lack to reach it
//                                    (empty when they are up to date; else dev/pg-migration.mjs)   (generated)
// A Prisma schema has exactly one provider, so PostgreSQL needs this derived copy. The generated
// files are gitignored and never edited: the SQLite schema is the only one anybody changes. What is
// committed is prisma/postgres/migrations/ and prisma/postgres/schema.prisma, the schema they reach.
// `npm run setup` runs this before every test run, so when nothing changed it does nothing.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  CLIENT,
  CURRENT_SCHEMA,
  currentPostgresSchema,
  diffSchemas,
  MIGRATED_SCHEMA,
  OUT_DIR,
  PENDING_SQL,
  prisma,
  root,
  writeAtomically,
} from "./lib/postgres-schema.mjs";

const STAMP = path.join(OUT_DIR, ".stamp");

/**
 * A client generated to a custom output loads its own copy of Prisma's runtime, so its errors would
 * be other classes than @prisma/client's and `e instanceof Prisma.PrismaClientKnownRequestError`
 * (isUniqueViolation) would be false on PostgreSQL. The copy is the same file as @prisma/client's
 * runtime: point the Node entry at the original, so both clients share one runtime.
 */
function shareRuntime() {
  const entry = path.join(CLIENT, "index.js");
  const code = readFileSync(entry, "utf8");
  const shared = code.replaceAll("require('./runtime/client.js')", "require('@prisma/client/runtime/client.js')");
  if (shared === code) throw new Error(`${entry}: no require('./runtime/client.js') to point at @prisma/client (did Prisma change its layout?)`);
  writeFileSync(entry, shared);
}

/** Regenerates the schema copy, client and pending SQL unless they already match the current schema. */
export async function ensurePostgres() {
  const schema = currentPostgresSchema();
  const migrated = existsSync(MIGRATED_SCHEMA) ? readFileSync(MIGRATED_SCHEMA, "utf8") : "";
  const prismaVersion = JSON.parse(readFileSync(path.join(root, "node_modules/prisma/package.json"), "utf8")).version;
  // Anything that changes the output: the schema, the schema the migrations reach, Prisma, and these scripts.
  const scripts = [fileURLToPath(import.meta.url), path.join(root, "dev/lib/postgres-schema.mjs")].map((f) => readFileSync(f, "utf8")).join("\n");
  const stamp = createHash("sha256").update(`${prismaVersion}\n${schema}\n${migrated}\n${scripts}`).digest("hex");
  const fresh = existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp && existsSync(path.join(CLIENT, "index.js")) && existsSync(PENDING_SQL);
  if (fresh) return { generated: false, pending: readFileSync(PENDING_SQL, "utf8") };

  mkdirSync(OUT_DIR, { recursive: true });
  writeAtomically(CURRENT_SCHEMA, schema);
  // Independent CLI runs (~1 s each): in parallel.
  const [, pending] = await Promise.all([
    prisma(["generate", "--no-hints", "--schema", CURRENT_SCHEMA]),
    migrated === schema ? Promise.resolve("") : diffSchemas(existsSync(MIGRATED_SCHEMA) ? MIGRATED_SCHEMA : null, CURRENT_SCHEMA),
  ]);
  shareRuntime();
  // The stamp last: a run interrupted before it leaves none, so the next run starts over.
  writeAtomically(PENDING_SQL, pending);
  writeAtomically(STAMP, stamp);
  return { generated: true, pending };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { generated, pending } = await ensurePostgres();
  if (generated) console.log("generated the PostgreSQL schema and client (prisma/postgres/current.prisma, node_modules/.prisma/client-pg)");
  if (pending)
    console.warn(
      "note: prisma/postgres/migrations are behind prisma/schema.prisma; `node dev/pg-migration.mjs` writes the PostgreSQL migration (docs/postgres.md)",
    );
}
