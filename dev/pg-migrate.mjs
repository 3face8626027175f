// Applies the committed PostgreSQL migrations (prisma/postgres/migrations) to DATABASE_URL, offline,
// and records them in `_prisma_migrations` exactly as `prisma migrate deploy` does (same table, same
// checksum: sha256 of migration.sql; started_at, finished_at, applied_steps_count), so Prisma's own
// deploy, where its native engine can run, sees them as applied and carries on from there. Prisma's
// WASM schema engine, the only one available offline, cannot deploy to PostgreSQL (docs/postgres.md).
//
//   DATABASE_URL=postgresql://…[?schema=name] node dev/pg-migrate.mjs      (`npm run setup` runs it)
//
// Each migration runs in its own transaction (PostgreSQL DDL is transactional), under the advisory
// lock Prisma's deploy takes, so two processes starting at once apply each migration once. A
// migration that fails is recorded as failed (finished_at null, logs), which stops later deploys, as
// Prisma's does (P3009), until it is resolved.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { migrationNames, PENDING_SQL, PG_MIGRATIONS } from "./lib/postgres-schema.mjs";

// The key of Prisma's migrate advisory lock (prisma-engines: sql-schema-connector, postgres flavour).
const PRISMA_MIGRATE_LOCK = 72707369;
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** `postgresql://…?schema=x` → pg connection settings with search_path = x (as createDb does). */
export function pgConnection(url) {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? "public";
  parsed.searchParams.delete("schema");
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new Error(`invalid PostgreSQL schema name ${schema}`);
  return { schema, config: { connectionString: parsed.toString(), options: `-c search_path=${schema}`, connectionTimeoutMillis: 5000 } };
}

/** Drops the schema of a `?schema=` URL (benchmarks' throwaway schemas). */
export async function dropPgSchema(url) {
  const { schema, config } = pgConnection(url);
  if (schema === "public") throw new Error("refusing to drop the public schema");
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export const checksum = (sql) => createHash("sha256").update(sql).digest("hex");

/**
 * Applies the migrations not yet applied; returns their names. With `pending: true` (tests only) it
 * then also applies prisma/postgres/pending.sql, the part of the schema no migration has yet (not
 * recorded), so a branch whose SQLite migration the coordinator has not mirrored yet still runs.
 */
export async function applyPgMigrations(url, { pending = false, log = () => {} } = {}) {
  const { schema, config } = pgConnection(url);
  const client = new pg.Client(config);
  await client.connect();
  const applied = [];
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(MIGRATIONS_TABLE);
      const { rows } = await client.query(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`);
      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed)
        throw new Error(
          `migration ${failed.migration_name} failed earlier (see _prisma_migrations.logs); fix it and mark it rolled back before deploying again (Prisma: P3009)`,
        );
      const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
      for (const name of migrationNames(PG_MIGRATIONS)) {
        const sql = readFileSync(path.join(PG_MIGRATIONS, name, "migration.sql"), "utf8");
        if (done.has(name)) {
          if (done.get(name) !== checksum(sql)) log(`warning: ${name} was modified after it was applied (checksum differs)`);
          continue;
        }
        const id = randomUUID();
        await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`, [
          id,
          checksum(sql),
          name,
        ]);
        try {
          await client.query("BEGIN");
          await client.query(sql);
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK").catch(() => {});
          await client.query(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, String(e instanceof Error ? e.message : e)]);
          throw new Error(`PostgreSQL migration ${name} failed: ${e instanceof Error ? e.message : e}`);
        }
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1`, [id]);
        applied.push(name);
        log(`applied ${name}`);
      }
      if (pending) {
        const extra = readFileSync(PENDING_SQL, "utf8");
        if (extra.trim()) {
          await client.query(extra);
          log("applied prisma/postgres/pending.sql (schema changes without a PostgreSQL migration yet)");
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]).catch(() => {});
    }
  } finally {
    await client.end();
  }
  return applied;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL ?? "";
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("DATABASE_URL is not a PostgreSQL URL");
  const applied = await applyPgMigrations(url, { log: (m) => console.log(m) });
  console.log(applied.length ? `${applied.length} PostgreSQL migration(s) applied` : "No pending PostgreSQL migrations to apply.");
}
