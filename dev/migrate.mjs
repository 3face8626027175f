// `npm run setup`'s last step: brings DATABASE_URL's database up to the schema, offline.
//   file:…         prisma migrate deploy (prisma/migrations, Prisma's WASM engine through libsql)
//   postgres(ql):… dev/pg-migrate.mjs (prisma/postgres/migrations, recorded as Prisma records them);
//                  refused when prisma/postgres/migrations lag behind prisma/schema.prisma.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { applyPgMigrations } from "./pg-migrate.mjs";
import { PENDING_SQL, root, unmirroredSqliteMigrations } from "./lib/postgres-schema.mjs";

const url = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";
if (/^postgres(ql)?:\/\//.test(url)) {
  const behind = readFileSync(PENDING_SQL, "utf8").trim() !== "" || unmirroredSqliteMigrations().length > 0;
  if (behind) {
    console.error(
      "prisma/postgres/migrations are behind prisma/schema.prisma: run `node dev/pg-migration.mjs` and commit prisma/postgres/ (docs/postgres.md).",
    );
    process.exit(1);
  }
  const applied = await applyPgMigrations(url, { log: (m) => console.log(m) });
  if (!applied.length) console.log("No pending PostgreSQL migrations to apply.");
} else {
  const r = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "migrate", "deploy"], { cwd: root, stdio: "inherit" });
  process.exit(r.status ?? 1);
}
