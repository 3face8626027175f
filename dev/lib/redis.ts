import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import Redis from "ioredis";

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Returns a Redis URL that answers: REDIS_URL (default 127.0.0.1:6379) if it does, else a private
 * redis-server started here (stopped with the returned child). Without redis-server installed, it
 * stops with the exact install instruction.
 */
export async function ensureRedis(
  preferred = process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  privatePort = 6390,
): Promise<{ url: string; child?: ChildProcess }> {
  if (await answers(preferred)) return { url: preferred };
  const privateUrl = `redis://127.0.0.1:${privatePort}`;
  if (await answers(privateUrl)) return { url: privateUrl };
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    throw new Error(
      `Redis does not answer at ${preferred} and redis-server is not installed.\n` +
        `Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis.`,
    );
  }
  const child = spawn("redis-server", ["--port", String(privatePort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    if (await answers(privateUrl)) return { url: privateUrl, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`started redis-server on port ${privatePort} but it does not answer`);
}

/** Deletes every key under a bull prefix (a test run's, a benchmark's or the demo's own queues). */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
