// SQL statements as the SQLite adapter runs them (Prisma's and the raw hot-path ones), attributed
// to the job (or other scope) that issued them through an AsyncLocalStorage the caller enters.
// Bench only: it patches the adapter's prototype in this process.
import { AsyncLocalStorage } from "node:async_hooks";

export type SqlStats = { statements: number; reads: number; writes: number; transactions: number; byStatement: Map<string, number> };

/** Time spent in the SQLite driver per statement (SQL text's first 110 characters), across every scope. */
export const statementMs = new Map<string, number>();

export function instrumentSql(SqliteAdapter: { prototype: object }) {
  const scope = new AsyncLocalStorage<string>();
  const stats = new Map<string, SqlStats>();
  const of = (name: string) => {
    let s = stats.get(name);
    if (!s) stats.set(name, (s = { statements: 0, reads: 0, writes: 0, transactions: 0, byStatement: new Map() }));
    return s;
  };
  const count = (sql: string) => {
    const s = of(scope.getStore() ?? "(outside a job)");
    s.statements++;
    if (/^\s*(SELECT|WITH|PRAGMA)/i.test(sql)) s.reads++;
    else s.writes++;
    const key = sql.replace(/\s+/g, " ").slice(0, 110);
    s.byStatement.set(key, (s.byStatement.get(key) ?? 0) + 1);
  };
  // Queryable (the shared base of the adapter and its transactions) holds runQuery/runExecute/runPrepared/allPrepared.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const base = Object.getPrototypeOf(SqliteAdapter.prototype) as Record<string, (...a: any[]) => unknown>;
  const timed = <T>(sql: string, run: () => T): T => {
    const t = performance.now();
    try {
      return run();
    } finally {
      const key = sql.replace(/\s+/g, " ").slice(0, 110);
      statementMs.set(key, (statementMs.get(key) ?? 0) + performance.now() - t);
    }
  };
  for (const m of ["runQuery", "runExecute"] as const) {
    const real = base[m]!;
    base[m] = function (this: unknown, q: { sql: string }) {
      count(q.sql);
      return timed(q.sql, () => real.call(this, q));
    };
  }
  for (const m of ["runPrepared", "allPrepared"] as const) {
    const real = base[m]!;
    base[m] = function (this: unknown, sql: string, args: unknown) {
      count(sql);
      return timed(sql, () => real.call(this, sql, args));
    };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const adapter = SqliteAdapter.prototype as Record<string, (...a: any[]) => unknown>;
  // Prisma's transactions and the adapter's own (transact: statements run back to back).
  for (const m of ["startTransaction", "transact"] as const) {
    const real = adapter[m]!;
    adapter[m] = function (this: unknown, ...a: unknown[]) {
      of(scope.getStore() ?? "(outside a job)").transactions++;
      return real.apply(this, a);
    };
  }
  return {
    stats,
    within: <T>(name: string, fn: () => T) => scope.run(name, fn),
    snapshot: () => new Map([...stats].map(([k, v]) => [k, { ...v, byStatement: new Map(v.byStatement) }])),
  };
}
