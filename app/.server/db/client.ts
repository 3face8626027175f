import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "@prisma/client";
import { env } from "../env";

export type Db = PrismaClient;

export function createDb(url: string): Db {
  return new PrismaClient({ adapter: new PrismaLibSQL({ url }) });
}

// The web server and the worker are separate processes writing one SQLite file: WAL lets readers
// run beside the writer, and the busy timeout makes a writer wait for the lock instead of failing.
export async function prepareDb(client: Db): Promise<void> {
  if (!env().DATABASE_URL.startsWith("file:")) return;
  await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await client.$queryRawUnsafe("PRAGMA busy_timeout = 10000");
}

// One client per process; Vite's dev server reloads modules, so keep it on globalThis there.
const holder = globalThis as unknown as { omsDb?: Db; omsDbReady?: Promise<void> };
export function db(): Db {
  if (!holder.omsDb) {
    holder.omsDb = createDb(env().DATABASE_URL);
    holder.omsDbReady = prepareDb(holder.omsDb);
  }
  return holder.omsDb;
}

export async function readyDb(): Promise<Db> {
  const client = db();
  await holder.omsDbReady;
  return client;
}
