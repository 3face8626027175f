import { databaseAnswers } from "~/.server/db/connection";
import { pingRedis } from "~/.server/queue/queues";

// Each dependency gets this long: a down Redis or database is reported, not waited for.
const CHECK_MS = 700;

function within(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([check.catch(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** Liveness and dependencies, for the start script, CI and load balancers; answers within a second. */
export async function loader() {
  const [database, redis] = await Promise.all([within(databaseAnswers(), CHECK_MS), pingRedis(CHECK_MS)]);
  const ok = database && redis;
  return Response.json({ ok, node: process.version, database, redis }, { status: ok ? 200 : 503 });
}
