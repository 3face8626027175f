import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "../env";
import { PrismaNodeSqlite } from "./sqlite/adapter";

export type Db = PrismaClient;

// Every interactive transaction (the helper below and repositories' own db().$transaction) waits up
// to 10 s for a connection and may run 30 s: Prisma's 5 s default expired on PostgreSQL under load
// while a transaction waited for a shop's advisory lock (the cluster bench's inventory flushes).
const TX_OPTIONS = { maxWait: 10_000, timeout: 30_000 };

/** The single place a database driver is chosen (see docs/postgres.md for the PostgreSQL seam). */
const sqliteFactories = new WeakMap<Db, PrismaNodeSqlite>();
/** The pool under a PostgreSQL client, for the few hot-path statements (`pgPool`). */
const pgPools = new WeakMap<Db, pg.Pool>();

export function createDb(url: string, opts: { sqliteAutoCheckpoint?: number } = {}): Db {
  if (url.startsWith("file:")) {
    const factory = new PrismaNodeSqlite(url, { autoCheckpoint: opts.sqliteAutoCheckpoint });
    const client = new PrismaClient({ adapter: factory, transactionOptions: TX_OPTIONS });
    sqliteFactories.set(client, factory);
    return client;
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return createPostgresDb(url);
  throw new Error(`unsupported DATABASE_URL ${url.split(":")[0]}: use file:… (SQLite) or postgres://…`);
}

/**
 * PostgreSQL through the client generated from prisma/postgres/schema.prisma (dev/prisma-postgres.mjs).
 * `?schema=name` selects a schema other than public: Prisma qualifies its own queries with it, and
 * search_path makes the raw SQL in the repositories (unqualified "StockLevel") find the same tables.
 */
function createPostgresDb(url: string): Db {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  parsed.searchParams.delete("schema");
  if (schema && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) throw new Error(`invalid PostgreSQL schema name ${schema}`);
  // The pool is ours (Prisma ends it on $disconnect), so a hot path can use it without Prisma's
  // per-query work (pgPool below); it is the pool Prisma would have made from the same settings.
  const pool = new pg.Pool({ connectionString: parsed.toString(), ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  const adapter = new PrismaPg(pool, { schema, disposeExternalPool: true });
  // The adapter takes a pool only if it is an instance of its own `pg` (else it would read it as a
  // configuration and open another pool without our settings): two copies of pg must fail here.
  if ((adapter as unknown as { externalPool: unknown }).externalPool !== pool)
    throw new Error("@prisma/adapter-pg did not take the pg pool: two copies of pg installed?");
  // Loaded on first use, so SQLite-only runs never need it. It is generated from the same models,
  // so its API is the SQLite client's: it is typed as Db rather than as its own (not imported) types.
  const { PrismaClient: PostgresClient } = createRequire(import.meta.url)(".prisma/client-pg") as {
    PrismaClient: new (options: { adapter: PrismaPg; transactionOptions: typeof TX_OPTIONS }) => Db;
  };
  const client = new PostgresClient({ adapter, transactionOptions: TX_OPTIONS });
  pgPools.set(client, pool);
  return client;
}

// One client per process; Vite's dev server reloads modules, so keep it on globalThis there.
const holder = globalThis as unknown as { omsDb?: Db };
function rootDb(): Db {
  holder.omsDb ??= createDb(env().DATABASE_URL, { sqliteAutoCheckpoint: env().SQLITE_WAL_AUTOCHECKPOINT });
  return holder.omsDb;
}

/**
 * The transaction the current call runs in, if any (see `transaction`). Repositories call `db()`
 * and so join it: inside a per-order lock every read and write is part of the locked transaction
 * (on SQLite, a statement outside it would wait for the single connection the transaction holds).
 */
const ambient = new AsyncLocalStorage<Db>();

export function db(): Db {
  return ambient.getStore() ?? rootDb();
}

/** True inside `transaction` (a per-order lock): what `db()` reads there is the transaction's view. */
export function inTransaction(): boolean {
  return ambient.getStore() !== undefined;
}

/** True when the process runs on PostgreSQL (the embedded default is SQLite). */
export function onPostgres(): boolean {
  return !sqliteFactories.has(rootDb());
}

/**
 * Runs `fn` in one database transaction; called inside another, it joins that one. Repository code
 * written as `db().$transaction(async (tx) => …)` joins too: the joined client's `$transaction`
 * runs its callback (or its batch) inside the transaction already open.
 */
export async function transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
  const current = ambient.getStore();
  if (current) return fn(current);
  return rootDb().$transaction((tx) => {
    const joined = joinable(tx as unknown as Db);
    return ambient.run(joined, () => fn(joined));
  }, TX_OPTIONS);
}

function joinable(tx: Db): Db {
  const joined: Db = new Proxy(tx, {
    get(target, prop, receiver) {
      if (prop !== "$transaction") return Reflect.get(target, prop, receiver) as unknown;
      return async (arg: unknown) => {
        if (typeof arg === "function") return (arg as (t: Db) => Promise<unknown>)(joined);
        const out: unknown[] = [];
        for (const p of arg as Promise<unknown>[]) out.push(await p);
        return out;
      };
    },
  });
  return joined;
}

/** The raw SQLite connection under a client, for the few hot-path statements (null on PostgreSQL). */
export async function sqliteConnection(client: Db) {
  const factory = sqliteFactories.get(client);
  if (!factory) return null;
  if (!factory.connection) await client.$connect();
  return factory.connection ?? null;
}

/**
 * The PostgreSQL pool under a client, for the few hot-path statements (null on SQLite, and for a
 * transaction's client: a statement on the pool would run outside the transaction).
 */
export function pgPool(client: Db): pg.Pool | null {
  return pgPools.get(client) ?? null;
}

/** SQLite only: copy the WAL back into the database file without waiting on readers (the worker runs this). */
export async function checkpointSqlite(client: Db): Promise<void> {
  if (env().DATABASE_URL.startsWith("file:")) await client.$queryRawUnsafe("PRAGMA wal_checkpoint(PASSIVE)");
}

export async function readyDb(): Promise<Db> {
  const client = rootDb();
  await client.$connect();
  return client;
}
