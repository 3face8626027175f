// The worker's own health endpoint (WORKER_HEALTH_PORT; off when unset): a container platform
// restarts a worker whose database or Redis stopped answering. Same shape as the web's /health.
import { createServer, type Server } from "node:http";
import { databaseAnswers } from "~/.server/db/connection";
import { pingRedis } from "~/.server/queue/queues";

export type WorkerHealth = { ok: boolean; role: "worker"; node: string; database: boolean; redis: boolean; uptimeSeconds: number };

const withinOneSecond = <T>(p: Promise<T>, fallback: T) =>
  Promise.race([p.catch(() => fallback), new Promise<T>((r) => setTimeout(() => r(fallback), 1_000).unref())]);

export async function workerHealth(): Promise<WorkerHealth> {
  const [database, redis] = await Promise.all([withinOneSecond(databaseAnswers(), false), withinOneSecond(pingRedis(), false)]);
  return { ok: database && redis, role: "worker", node: process.version, database, redis, uptimeSeconds: Math.round(process.uptime()) };
}

export function serveWorkerHealth(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url !== "/health") {
      res.writeHead(404).end();
      return;
    }
    void workerHealth().then((h) => {
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h));
    });
  });
  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}
