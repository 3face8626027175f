// Prisma CLI configuration. Prisma's native engines cannot be downloaded here, so the CLI runs the
// WASM schema engine through the same libsql driver adapter the app uses (see ../shared/FACTS.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";

// Any existing file stops the CLI from trying to download native engines it will never use.
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= path.resolve("package.json");
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("package.json");

const databaseUrl = process.env.DATABASE_URL ?? "file:./prisma/dev.sqlite";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    // With a PostgreSQL DATABASE_URL the schema-only commands (migrate diff, generate) work; the
    // WASM engine cannot `migrate deploy` there: `npm run setup` applies prisma/postgres/migrations
    // with dev/pg-migrate.mjs instead (docs/postgres.md).
    if (/^postgres(ql)?:\/\//.test(databaseUrl)) return new PrismaPg({ connectionString: databaseUrl.replace(/[?&]schema=[^&]*/, "") });
    return new PrismaLibSQL({ url: databaseUrl });
  },
});
