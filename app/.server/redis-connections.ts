import type Redis from "ioredis";

// Redis connections a module opens for itself (the promise versions, the Amazon limiter), beside
// bull's own: registered here so that one call closes every one of them when a process ends —
// a connection left open keeps a worker or a test's child process from exiting.
const open = new Set<Redis>();

export function registerRedis(client: Redis): Redis {
  open.add(client);
  client.once("end", () => open.delete(client));
  return client;
}

export function closeRedisConnections(): void {
  for (const c of open) c.disconnect();
  open.clear();
}
