import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "../env";
import { PrismaNodeSqlite } from "./sqlite/adapter";

export type Db = PrismaClient;

/** The single place a database driver is chosen (see docs/postgres.md for the PostgreSQL seam). */
const sqliteFactories = new WeakMap<Db, PrismaNodeSqlite>();

export function createDb(url: string, opts: { sqliteAutoCheckpoint?: number } = {}): Db {
  if (url.startsWith("file:")) {
    const factory = new PrismaNodeSqlite(url, { autoCheckpoint: opts.sqliteAutoCheckpoint });
    const client = new PrismaClient({ adapter: factory });
    sqliteFactories.set(client, factory);
    return client;
  }
  if (url.startsWith("postgres")) return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  throw new Error(`unsupported DATABASE_URL ${url.split(":")[0]}: use file:… (SQLite) or postgres://…`);
}

// One client per process; Vite's dev server reloads modules, so keep it on globalThis there.
const holder = globalThis as unknown as { omsDb?: Db };
export function db(): Db {
  holder.omsDb ??= createDb(env().DATABASE_URL, { sqliteAutoCheckpoint: env().SQLITE_WAL_AUTOCHECKPOINT });
  return holder.omsDb;
}

/** The raw SQLite connection under a client, for the few hot-path statements (null on PostgreSQL). */
export async function sqliteConnection(client: Db) {
  const factory = sqliteFactories.get(client);
  if (!factory) return null;
  if (!factory.connection) await client.$connect();
  return factory.connection ?? null;
}

/** SQLite only: copy the WAL back into the database file without waiting on readers (the worker runs this). */
export async function checkpointSqlite(client: Db): Promise<void> {
  if (env().DATABASE_URL.startsWith("file:")) await client.$queryRawUnsafe("PRAGMA wal_checkpoint(PASSIVE)");
}

export async function readyDb(): Promise<Db> {
  const client = db();
  await client.$connect();
  return client;
}
