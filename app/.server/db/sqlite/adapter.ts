import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, SqlResultSet, Transaction, IsolationLevel } from "@prisma/driver-adapter-utils";
import { DatabaseSync, type SQLInputValue, type SQLOutputValue, type StatementSync } from "node:sqlite";
import { mapArg } from "./args";
import { columnTypes, mapRow } from "./column-types";
import { isBusyError, toAdapterError } from "./errors";

/**
 * A Prisma driver adapter over Node's built-in SQLite (node:sqlite), with one long-lived connection
 * per process. Why not @prisma/adapter-libsql at run time: @libsql/client swaps in a fresh
 * connection after every transaction and loses busy_timeout and every other pragma with it, so two
 * processes writing one file (web + worker) fail with SQLITE_BUSY instead of waiting
 * (tursodatabase/libsql-client-ts#288). Here:
 *  - WAL and synchronous=NORMAL are set once and stay set;
 *  - transactions start with BEGIN IMMEDIATE, taking the write lock up front, so a transaction can
 *    never fail half-way because another process wrote meanwhile;
 *  - waiting for another process's lock happens asynchronously (no busy timeout in SQLite, a
 *    retry every millisecond), so a busy database never blocks this process's event loop;
 *  - `transact` runs a batch of plain statements as one transaction without yielding, for hot
 *    writes whose lock would otherwise be held across Prisma's per-statement work.
 * The Prisma CLI (migrations) still uses the libsql adapter; both read and write the same formats.
 */
const BUSY_WAIT_MS = 15_000;

/** Statements on the connection inside `SqliteAdapter.transact`: synchronous, prepared once and reused. */
export type SyncSql = {
  run(sql: string, args: SQLInputValue[]): number;
  all(sql: string, args: SQLInputValue[]): SQLOutputValue[][];
};

class Lock {
  #tail: Promise<void> = Promise.resolve();
  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const ready = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return ready;
  }
}

async function whenNotBusy<T>(fn: () => T): Promise<T> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusyError(e) || Date.now() > deadline) throw toAdapterError(e);
      // Every millisecond: the other process's transactions hold the lock for well under one (their
      // statements run back to back), so a longer backoff only adds to this request's wait.
      await new Promise((r) => setTimeout(r, attempt < 200 ? 1 : 1 + Math.random() * 10));
    }
  }
}

class Queryable {
  readonly provider = "sqlite" as const;
  readonly adapterName = "oms-node-sqlite";
  #statements = new Map<string, StatementSync>();
  constructor(protected readonly db: DatabaseSync) {}

  #prepare(sql: string): StatementSync {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      stmt.setReadBigInts(true);
      stmt.setReturnArrays(true);
      if (this.#statements.size > 500) this.#statements.clear();
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  protected runQuery(q: SqlQuery): SqlResultSet {
    const stmt = this.#prepare(q.sql);
    const args = q.args.map((a, i) => mapArg(a, q.argTypes[i]));
    const columns = stmt.columns();
    if (columns.length === 0) {
      const info = stmt.run(...args);
      return { columnNames: [], columnTypes: [], rows: [], lastInsertId: String(info.lastInsertRowid) };
    }
    const rows = stmt.all(...args) as unknown as unknown[][];
    const types = columnTypes(
      columns.map((c) => c.type),
      rows,
    );
    return { columnNames: columns.map((c) => c.name), columnTypes: types, rows: rows.map((r) => mapRow(r, types)) };
  }

  protected runPrepared(sql: string, args: SQLInputValue[]): number {
    return Number(this.#prepare(sql).run(...args).changes);
  }

  /** Rows as arrays of raw values (integers as bigint). */
  protected allPrepared(sql: string, args: SQLInputValue[]): SQLOutputValue[][] {
    return this.#prepare(sql).all(...args) as unknown as SQLOutputValue[][];
  }

  protected runExecute(q: SqlQuery): number {
    const info = this.#prepare(q.sql).run(...q.args.map((a, i) => mapArg(a, q.argTypes[i])));
    return Number(info.changes);
  }
}

class SqliteTransaction extends Queryable implements Transaction {
  readonly options = { usePhantomQuery: true };
  #done = false;
  constructor(
    db: DatabaseSync,
    private readonly release: () => void,
  ) {
    super(db);
  }
  async queryRaw(q: SqlQuery) {
    try {
      return this.runQuery(q);
    } catch (e) {
      throw toAdapterError(e);
    }
  }
  async executeRaw(q: SqlQuery) {
    try {
      return this.runExecute(q);
    } catch (e) {
      throw toAdapterError(e);
    }
  }
  async commit() {
    if (this.#done) return;
    this.#done = true;
    try {
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw toAdapterError(e);
    } finally {
      this.release();
    }
  }
  async rollback() {
    if (this.#done) return;
    this.#done = true;
    try {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
    } finally {
      this.release();
    }
  }
}

export class SqliteAdapter extends Queryable implements SqlDriverAdapter {
  #lock = new Lock();

  async #outsideTransaction<T>(fn: () => T): Promise<T> {
    const release = await this.#lock.acquire();
    try {
      return await whenNotBusy(fn);
    } finally {
      release();
    }
  }
  queryRaw(q: SqlQuery) {
    return this.#outsideTransaction(() => this.runQuery(q));
  }
  executeRaw(q: SqlQuery) {
    return this.#outsideTransaction(() => this.runExecute(q));
  }
  executeScript(script: string) {
    return this.#outsideTransaction(() => this.db.exec(script));
  }
  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") {
      throw toAdapterError(new Error(`SQLite transactions are serializable; ${isolationLevel} is not supported`));
    }
    const release = await this.#lock.acquire();
    try {
      await whenNotBusy(() => this.db.exec("BEGIN IMMEDIATE"));
      return new SqliteTransaction(this.db, release);
    } catch (e) {
      release();
      throw e;
    }
  }
  /** A plain statement on this adapter's connection and lock, for hot paths where Prisma's per-query cost shows. */
  run(sql: string, args: SQLInputValue[]): Promise<number> {
    return this.#outsideTransaction(() => this.runPrepared(sql, args));
  }
  /**
   * `fn` as one transaction, run without yielding: its statements (`sql.run`, `sql.all`) run back to
   * back, so the database's write lock, which every process shares, is held only while SQLite runs
   * them (well under a millisecond for a batch of orders), not across Prisma's compile of each
   * statement (≈ 2 ms for one order's three inserts). A throw rolls the whole back; errors come out
   * as Prisma's adapter errors do.
   */
  transact<T>(fn: (sql: SyncSql) => T): Promise<T> {
    const sql: SyncSql = { run: (text, args) => this.runPrepared(text, args), all: (text, args) => this.allPrepared(text, args) };
    return this.#outsideTransaction(() => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = fn(sql);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        if (this.db.isTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    });
  }
  getConnectionInfo() {
    return { supportsRelationJoins: false, maxBindValues: 32_766 };
  }
  async dispose() {
    this.db.close();
  }
}

/** `file:./prisma/dev.sqlite` (Prisma's URL form) → a Prisma adapter factory. */
export class PrismaNodeSqlite implements SqlDriverAdapterFactory {
  readonly provider = "sqlite" as const;
  readonly adapterName = "oms-node-sqlite";
  /**
   * autoCheckpoint: WAL pages after which a committing write copies the WAL back into the database
   * file (and fsyncs). 0 leaves checkpoints to a background process, off the latency-critical path.
   */
  constructor(
    private readonly url: string,
    private readonly opts: { autoCheckpoint?: number } = {},
  ) {}
  #connected: SqliteAdapter | undefined;
  /** The connection Prisma opened through this factory (undefined until Prisma connects). */
  get connection(): SqliteAdapter | undefined {
    return this.#connected;
  }
  async connect(): Promise<SqlDriverAdapter> {
    const path = this.url.replace(/^file:/, "");
    // No busy timeout in SQLite itself (its busy handler sleeps, blocking this process's event loop):
    // a busy database is retried asynchronously (whenNotBusy).
    const db = new DatabaseSync(path, { timeout: 0 });
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    db.exec(`PRAGMA wal_autocheckpoint = ${Math.max(0, Math.trunc(this.opts.autoCheckpoint ?? 1000))};`);
    this.#connected = new SqliteAdapter(db);
    return this.#connected;
  }
}
