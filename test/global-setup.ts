// One isolated world per test run: a fresh SQLite file with every migration applied, and a Redis
// key prefix nobody else uses. Both are removed afterwards. Test files inherit them through env.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { deleteKeysWithPrefix } from "../dev/lib/redis";

export default function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-test-"));
  const runId = path.basename(dir).replace("oms-test-", "");
  const databaseUrl = `file:${path.join(dir, "test.sqlite")}`;
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `oms-test-${runId}`;

  execFileSync("prisma", ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "pipe",
  });
  Object.assign(process.env, {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    OMS_TEST_DIR: dir,
  });

  return async () => {
    await deleteKeysWithPrefix(redisUrl, prefix);
    rmSync(dir, { recursive: true, force: true });
  };
}
