// A fresh PostgreSQL schema for a test run, on the machine's shared PostgreSQL (docs/postgres.md).
// The server persists between runs and is shared, so every run gets its own schema and drops it.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { applyPgMigrations } from "../../dev/pg-migrate.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The server and database the tests create their schemas in. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const PREFIX = "oms_test_";
// A run killed before its cleanup leaves its schema behind; the next run drops it once it is this old.
const STALE_MS = 6 * 60 * 60 * 1000;

// Prisma's PostgreSQL driver adapter as a plain SQL client (`pg` itself has no types installed).
// search_path, when given, is set as the connection starts, so every statement of a script sees it.
async function withAdmin<T>(fn: (admin: SqlDriverAdapter) => Promise<T>, searchPath?: string): Promise<T> {
  const admin = await new PrismaPg({
    connectionString: POSTGRES_URL,
    connectionTimeoutMillis: 3000,
    max: 1,
    ...(searchPath ? { options: `-c search_path=${searchPath}` } : {}),
  }).connect();
  try {
    return await fn(admin);
  } finally {
    await admin.dispose();
  }
}

const sql = (text: string, args: unknown[] = []) => ({
  sql: text,
  args,
  argTypes: args.map(() => ({ scalarType: "string" as const, arity: "scalar" as const })),
});

/** Rows of one query on the test server (text parameters $1…), as arrays of column values. */
export async function pgRows(text: string, args: string[] = []): Promise<unknown[][]> {
  return withAdmin(async (admin) => (await admin.queryRaw(sql(text, args))).rows);
}

/** Null when PostgreSQL answers; otherwise the reason the PostgreSQL tests are skipped. */
export async function postgresUnavailable(): Promise<string | null> {
  try {
    await withAdmin((admin) => admin.queryRaw(sql("SELECT 1")));
    return null;
  } catch (e) {
    return `PostgreSQL does not answer at ${POSTGRES_URL} (${(e as Error).message}); set TEST_POSTGRES_URL to run these tests`;
  }
}

export type PgTestSchema = { schema: string; url: string; drop: () => Promise<void> };

/**
 * Creates `oms_test_<time>_<random>` with the committed PostgreSQL migrations applied (as `npm run
 * setup` applies them), plus prisma/postgres/pending.sql when a schema change has no PostgreSQL
 * migration yet (test/migrations.test.ts is what fails then); `drop()` removes it.
 */
export async function createPgTestSchema(opts: { pending?: boolean; sql?: string } = {}): Promise<PgTestSchema> {
  // Run directly (`npx vitest run …`) after a schema change, the PostgreSQL client and pending SQL
  // could be older than prisma/schema.prisma; this regenerates them then, and is a no-op otherwise.
  execFileSync(process.execPath, [path.join(root, "dev/prisma-postgres.mjs")], { cwd: root, stdio: "pipe" });
  const schema = `${PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const drop = () => withAdmin((admin) => admin.executeRaw(sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))).then(() => undefined);
  await withAdmin(dropStale);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set("schema", schema);
  try {
    // `sql` instead of the migrations: a schema built another way (test/migrations.test.ts compares them).
    if (opts.sql !== undefined) await withAdmin((admin) => admin.executeScript(`CREATE SCHEMA ${schema};\n${opts.sql}`), schema);
    else await applyPgMigrations(url.toString(), { pending: opts.pending ?? true });
  } catch (e) {
    await drop();
    throw e;
  }
  return { schema, url: url.toString(), drop };
}

async function dropStale(admin: SqlDriverAdapter) {
  const { rows } = await admin.queryRaw(sql(`SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname, '${PREFIX}')`));
  for (const [name] of rows as [string][]) {
    const created = parseInt(name.slice(PREFIX.length).split("_")[0] ?? "", 36);
    if (Number.isFinite(created) && Date.now() - created > STALE_MS) await admin.executeRaw(sql(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
  }
}
