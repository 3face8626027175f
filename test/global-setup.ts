// One isolated world per test run: a fresh database with every migration applied, and a Redis key
// prefix nobody else uses. Both are removed afterwards. Test files inherit them through env.
//   npm test      a fresh SQLite file (prisma migrate deploy of prisma/migrations)
//   npm run test:pg (OMS_TEST_DATABASE=postgres)  a fresh PostgreSQL schema oms_test_<time>_<random>
//                 on TEST_POSTGRES_URL with prisma/postgres/migrations applied (docs/postgres.md)
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deleteKeysWithPrefix } from "../dev/lib/redis";
import { createPgTestSchema, POSTGRES_URL, postgresUnavailable } from "./helpers/postgres";

export default async function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-test-"));
  const runId = path.basename(dir).replace("oms-test-", "");
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `oms-test-${runId}`;
  const onPostgres = process.env.OMS_TEST_DATABASE === "postgres";

  let databaseUrl: string;
  let dropDatabase = async () => {};
  if (onPostgres) {
    const unavailable = await postgresUnavailable();
    if (unavailable) throw new Error(`npm run test:pg needs PostgreSQL: ${unavailable}`);
    const pg = await createPgTestSchema();
    databaseUrl = pg.url;
    dropDatabase = pg.drop;
    console.log(`test:pg: the suite runs on PostgreSQL ${POSTGRES_URL.replace(/\/\/[^@]*@/, "//")}, schema ${pg.schema} (dropped afterwards)`);
  } else {
    databaseUrl = `file:${path.join(dir, "test.sqlite")}`;
    execFileSync("prisma", ["migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: "pipe",
    });
  }
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    OMS_TEST_DIR: dir,
    // A paid order's captures wait this long for the money sweep (10 s in production): tests wait less.
    MONEY_SWEEP_SECONDS: process.env.MONEY_SWEEP_SECONDS ?? "1",
  });

  return async () => {
    await deleteKeysWithPrefix(redisUrl, prefix);
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  };
}
