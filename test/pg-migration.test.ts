// dev/pg-migration.mjs, the step the coordinator runs after merging branches that added SQLite
// migrations only (docs/postgres.md, "Migrations"), on a copy of prisma/ (OMS_PRISMA_DIR).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { postgresSchema } from "../dev/lib/postgres-schema.mjs";
import { createPgTestSchema, pgRows, postgresUnavailable, type PgTestSchema } from "./helpers/postgres";

const root = path.resolve(__dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "oms-pg-migration-"));
const script = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(root, "dev/pg-migration.mjs"), ...args], {
    cwd: root,
    env: { ...process.env, OMS_PRISMA_DIR: dir, ...env },
    encoding: "utf8",
  });
const pgMigrations = () =>
  readdirSync(path.join(dir, "postgres/migrations"))
    .filter((n) => /^\d{14}_/.test(n))
    .sort();
const pgUnavailable = await postgresUnavailable();

describe("mirroring a SQLite migration into a PostgreSQL one", () => {
  const schemas: PgTestSchema[] = [];
  afterAll(async () => {
    for (const s of schemas) await s.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "given a branch's schema change with only its SQLite migration, writes the PostgreSQL migration, the schema it reaches and the mirrored list; then has nothing left to do",
    { timeout: 60_000 },
    () => {
      // Given prisma/ as committed, plus a new column and index and the SQLite migration for them
      for (const p of ["schema.prisma", "migrations", "postgres/schema.prisma", "postgres/migrations", "postgres/mirrored-sqlite-migrations.txt"])
        cpSync(path.join(root, "prisma", p), path.join(dir, p), { recursive: true });
      const schema = readFileSync(path.join(dir, "schema.prisma"), "utf8").replace(
        /model Shop \{\n/,
        "model Shop {\n  mirrorProbe String?\n  @@index([mirrorProbe])\n",
      );
      writeFileSync(path.join(dir, "schema.prisma"), schema);
      mkdirSync(path.join(dir, "migrations/29991231000000_mirror_probe"));
      writeFileSync(
        path.join(dir, "migrations/29991231000000_mirror_probe/migration.sql"),
        'ALTER TABLE "Shop" ADD COLUMN "mirrorProbe" TEXT;\nCREATE INDEX "Shop_mirrorProbe_idx" ON "Shop"("mirrorProbe");\n',
      );
      const before = pgMigrations();

      // Then --check says what is missing
      const check = script(["--check"]);
      expect(check.status).toBe(1);
      expect(check.stderr).toContain("29991231000000_mirror_probe");

      // When the coordinator runs the script
      const run = script([]);
      expect(run.status, run.stderr).toBe(0);

      // Then one new PostgreSQL migration, after the others, adds exactly the column and index
      const after = pgMigrations();
      expect(after.slice(0, -1)).toEqual(before);
      const added = after.at(-1)!;
      expect(added > before.at(-1)!).toBe(true);
      expect(added).toMatch(/^\d{14}_mirror_probe$/);
      const sql = readFileSync(path.join(dir, "postgres/migrations", added, "migration.sql"), "utf8");
      expect(sql).toContain("prisma/migrations/29991231000000_mirror_probe");
      expect(
        sql
          .replace(/--[^\n]*\n/g, "")
          .replace(/\s+/g, " ")
          .trim(),
      ).toBe('ALTER TABLE "Shop" ADD COLUMN "mirrorProbe" TEXT; CREATE INDEX "Shop_mirrorProbe_idx" ON "Shop"("mirrorProbe");');
      // (the client's output path is relative to where the copy lives)
      const sansOutput = (text: string) => text.replace(/\n\s*output\s*=[^\n]*/, "");
      expect(sansOutput(readFileSync(path.join(dir, "postgres/schema.prisma"), "utf8"))).toBe(sansOutput(postgresSchema(schema)));
      expect(readFileSync(path.join(dir, "postgres/mirrored-sqlite-migrations.txt"), "utf8")).toMatch(/\n29991231000000_mirror_probe\n$/);

      // And a second run finds nothing to do
      expect(script(["--check"]).status).toBe(0);
      expect(script([]).stdout).toContain("up to date");
      expect(pgMigrations()).toEqual(after);
    },
  );

  it.skipIf(pgUnavailable)("the written migrations apply in order on PostgreSQL (npm run setup's dev/pg-migrate.mjs)", { timeout: 60_000 }, async () => {
    const target = await createPgTestSchema({ sql: "" });
    schemas.push(target);
    execFileSync(process.execPath, [path.join(root, "dev/pg-migrate.mjs")], {
      cwd: root,
      env: { ...process.env, OMS_PRISMA_DIR: dir, DATABASE_URL: target.url },
      stdio: "pipe",
    });
    const columns = await pgRows(
      `SELECT column_name::text FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'Shop' AND column_name = 'mirrorProbe'`,
      [target.schema],
    );
    expect(columns).toEqual([["mirrorProbe"]]);
    const recorded = await pgRows(`SELECT count(*)::text FROM ${target.schema}."_prisma_migrations" WHERE finished_at IS NOT NULL`);
    expect(recorded).toEqual([[String(pgMigrations().length)]]);
  });
});
