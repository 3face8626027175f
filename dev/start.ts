// The main job on the embedded defaults: Redis (the machine's, or a private one), the database
// migrated, the web app and the worker (restarted when it dies). `npm start` runs this after install and migrations.
import { buildAppIfMissing, startWeb, startWorker, superviseChildren, waitForHealth } from "./lib/processes";
import { ensureRedis } from "./lib/redis";
import { RestartingChild } from "./lib/restarting";

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const redis = await ensureRedis();
  await buildAppIfMissing();
  // The embedded defaults are a development install (dev API key and secret); production sets
  // NODE_ENV=production and real secrets, which env.ts then insists on.
  const env = { PORT: String(port), REDIS_URL: redis.url, NODE_ENV: process.env.NODE_ENV ?? "development" };
  const web = startWeb(env);
  // A worker that dies (crash, OOM kill) is started again; its interrupted job is retried by bull.
  const worker = new RestartingChild("worker", () => startWorker(env));
  superviseChildren([web, worker], async () => {
    redis.child?.kill();
  });
  const health = await waitForHealth(`http://localhost:${port}/health`);
  console.log(
    `\nOMS is up on Node ${health.node}: http://localhost:${port}  (health: http://localhost:${port}/health)\nRedis: ${redis.url}. Ctrl-C stops everything.\n`,
  );
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
