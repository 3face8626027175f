import { readyDb } from "~/.server/db/client";
import { pingRedis } from "~/.server/queue/queues";

/** Liveness and dependencies, for the start script, CI and load balancers. */
export async function loader() {
  const [database, redis] = await Promise.all([
    readyDb()
      .then((client) => client.$queryRawUnsafe("SELECT 1"))
      .then(() => true)
      .catch(() => false),
    pingRedis(),
  ]);
  const ok = database && redis;
  return Response.json({ ok, node: process.version, database, redis }, { status: ok ? 200 : 503 });
}
