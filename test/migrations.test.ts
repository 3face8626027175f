// The committed migrations produce exactly the schema, on both databases (docs/postgres.md,
// "Migrations"): a database built by applying them and one built straight from prisma/schema.prisma
// (`prisma migrate diff --from-empty`) have the same tables, columns (type, nullability, default),
// indexes, primary keys and foreign keys, read back from the databases' own catalogs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { CURRENT_SCHEMA, diffSchemas, MIGRATED_SCHEMA, PENDING_SQL, root, SOURCE, unmirroredSqliteMigrations } from "../dev/lib/postgres-schema.mjs";
import { createPgTestSchema, pgRows, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";

const onPostgresRun = process.env.OMS_TEST_DATABASE === "postgres";
const PRISMA = [path.join(root, "node_modules/prisma/build/index.js")];

function sqliteCatalog(file: string) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const all = <T>(q: string) => db.prepare(q).all() as T[];
    const tables = all<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('_prisma_migrations', 'sqlite_sequence') ORDER BY name`,
    ).map((t) => t.name);
    return tables.map((table) => ({
      table,
      columns: all<Record<string, unknown>>(`PRAGMA table_info("${table}")`)
        .map(({ cid: _cid, ...c }) => c)
        .sort((a, b) => String(a.name).localeCompare(String(b.name))),
      indexes: all<{ name: string; unique: number; origin: string; partial: number }>(`PRAGMA index_list("${table}")`)
        .map((i) => ({
          name: i.name,
          unique: i.unique,
          origin: i.origin,
          partial: i.partial,
          columns: all<{ name: string }>(`PRAGMA index_info("${i.name}")`).map((c) => c.name),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      foreignKeys: all<Record<string, unknown>>(`PRAGMA foreign_key_list("${table}")`)
        .map(({ id: _id, seq: _seq, ...f }) => f)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    }));
  } finally {
    db.close();
  }
}

async function pgCatalog(schema: string) {
  const unqualify = (v: unknown) => (typeof v === "string" ? v.replaceAll(`${schema}.`, "") : v);
  const rows = async (q: string) => (await pgRows(q, [schema])).map((r) => r.map(unqualify));
  return {
    columns: await rows(
      `SELECT table_name::text, column_name::text, data_type::text, udt_name::text, is_nullable::text, column_default::text, character_maximum_length, numeric_precision, datetime_precision
         FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_prisma_migrations' ORDER BY 1, 2`,
    ),
    indexes: await rows(
      `SELECT tablename::text, indexname::text, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
    ),
    constraints: await rows(
      `SELECT c.relname::text, con.conname::text, con.contype::text, pg_get_constraintdef(con.oid)
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname <> '_prisma_migrations' ORDER BY 1, 2`,
    ),
    types: await rows(
      `SELECT t.typname::text, t.typtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype IN ('e', 'd') ORDER BY 1`,
    ),
  };
}

describe("SQLite migrations", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-migrations-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("applied in order (prisma migrate deploy), produce exactly prisma/schema.prisma", { timeout: 60_000 }, async () => {
    // Given a database built by the committed migrations, and one built from the schema itself
    const migrated = path.join(dir, "migrated.sqlite");
    execFileSync(process.execPath, [...PRISMA, "migrate", "deploy"], { cwd: root, env: { ...process.env, DATABASE_URL: `file:${migrated}` }, stdio: "pipe" });
    const fromSchema = path.join(dir, "from-schema.sqlite");
    const ddl = await diffSchemas(null, SOURCE);
    const db = new DatabaseSync(fromSchema);
    db.exec(ddl);
    db.close();
    // Then their catalogs are the same
    const a = sqliteCatalog(migrated);
    expect(a.length).toBeGreaterThan(10);
    expect(a, "prisma/migrations does not produce prisma/schema.prisma: write the migration with `bash dev/new-migration.sh <name> <base-rev>`").toEqual(
      sqliteCatalog(fromSchema),
    );
  });
});

const pgUnavailable = await postgresUnavailable();
if (pgUnavailable && !onPostgresRun) console.warn(`migrations.test (PostgreSQL part) skipped: ${pgUnavailable}`);
const unmirrored = unmirroredSqliteMigrations();
// On a branch that added a SQLite migration, the PostgreSQL one is written when it is merged
// (dev/pg-migration.mjs); `npm test` says so, `npm run test:pg` (CI) fails until it exists.
const behind = unmirrored.length > 0 || readFileSync(MIGRATED_SCHEMA, "utf8") !== readFileSync(CURRENT_SCHEMA, "utf8");
if (behind && !onPostgresRun)
  console.warn(
    `PostgreSQL migrations are behind prisma/schema.prisma (not mirrored: ${unmirrored.join(", ") || "schema edits"}); \`node dev/pg-migration.mjs\` writes them; npm run test:pg fails until then`,
  );

describe.skipIf(!onPostgresRun && (pgUnavailable || behind))("PostgreSQL migrations", () => {
  const schemas: PgTestSchema[] = [];
  afterAll(async () => {
    for (const s of schemas) await s.drop();
  });

  it("mirror every SQLite migration, and prisma/postgres/schema.prisma is the PostgreSQL copy of prisma/schema.prisma", () => {
    const fix = "run `node dev/pg-migration.mjs` and commit prisma/postgres/ (docs/postgres.md, Migrations)";
    expect(unmirrored, `SQLite migrations without a PostgreSQL counterpart: ${fix}`).toEqual([]);
    expect(
      readFileSync(MIGRATED_SCHEMA, "utf8") === readFileSync(CURRENT_SCHEMA, "utf8"),
      `prisma/postgres/schema.prisma is not the PostgreSQL copy of prisma/schema.prisma: ${fix}`,
    ).toBe(true);
    expect(readFileSync(PENDING_SQL, "utf8"), `schema changes without a PostgreSQL migration: ${fix}`).toBe("");
  });

  it("applied in order (dev/pg-migrate.mjs), produce exactly prisma/schema.prisma", { timeout: 60_000 }, async () => {
    // Given a schema built by the committed migrations only, and one built from the datamodel itself
    const migrated = await createPgTestSchema({ pending: false });
    schemas.push(migrated);
    const fromSchema = await createPgTestSchema({ sql: await diffSchemas(null, CURRENT_SCHEMA) });
    schemas.push(fromSchema);
    // Then their catalogs are the same
    const a = await pgCatalog(migrated.schema);
    expect(a.columns.length).toBeGreaterThan(50);
    expect(a, "prisma/postgres/migrations do not produce prisma/schema.prisma: run `node dev/pg-migration.mjs`").toEqual(await pgCatalog(fromSchema.schema));
  });

  it("are recorded in _prisma_migrations as prisma migrate deploy records them", async () => {
    const migrated = await createPgTestSchema({ pending: false });
    schemas.push(migrated);
    const rows = await pgRows(
      `SELECT migration_name::text, checksum::text, (finished_at IS NOT NULL)::text, applied_steps_count::text, (rolled_back_at IS NULL)::text FROM ${migrated.schema}."_prisma_migrations" ORDER BY migration_name`,
    );
    const { migrationNames, PG_MIGRATIONS } = await import("../dev/lib/postgres-schema.mjs");
    const { checksum } = await import("../dev/pg-migrate.mjs");
    expect(rows).toEqual(
      migrationNames(PG_MIGRATIONS).map((name) => [name, checksum(readFileSync(path.join(PG_MIGRATIONS, name, "migration.sql"), "utf8")), "true", "1", "true"]),
    );
  });
});
