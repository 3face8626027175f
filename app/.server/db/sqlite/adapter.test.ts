// The SQLite adapter's own transactions (transact): statements run back to back as one
// transaction, a throw rolls all of them back, and a lock another connection holds is waited for
// without blocking this process's event loop.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaNodeSqlite, type SqliteAdapter } from "./adapter";

let dir: string;
let file: string;
let adapter: SqliteAdapter;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "oms-sqlite-adapter-"));
  file = path.join(dir, "t.sqlite");
  adapter = (await new PrismaNodeSqlite(`file:${file}`).connect()) as SqliteAdapter;
  await adapter.executeScript(`CREATE TABLE "T" ("k" TEXT PRIMARY KEY, "v" INTEGER NOT NULL)`);
});
afterAll(async () => {
  await adapter.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => new DatabaseSync(file, { readOnly: true }).prepare(`SELECT "k", "v" FROM "T" ORDER BY "k"`).all();

describe("SqliteAdapter.transact", () => {
  it("runs statements as one transaction and returns what the function returns", async () => {
    const result = await adapter.transact((sql) => {
      sql.run(`INSERT INTO "T" ("k", "v") VALUES (?, ?), (?, ?)`, ["a", 1, "b", 2]);
      return sql.all(`UPDATE "T" SET "v" = "v" + 10 WHERE "k" = ? RETURNING "v"`, ["b"]);
    });
    expect(result).toEqual([[12n]]);
    expect(rows()).toEqual([
      { k: "a", v: 1 },
      { k: "b", v: 12 },
    ]);
  });

  it("rolls back every statement when one fails, and reports a unique violation as Prisma's adapters do", async () => {
    const error = await adapter
      .transact((sql) => {
        sql.run(`INSERT INTO "T" ("k", "v") VALUES (?, ?)`, ["c", 3]);
        sql.run(`INSERT INTO "T" ("k", "v") VALUES (?, ?)`, ["a", 4]);
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ cause: { kind: "UniqueConstraintViolation" } });
    expect(rows().map((r) => r.k)).toEqual(["a", "b"]);
    // The connection is usable afterwards (no transaction left open).
    await adapter.transact((sql) => sql.run(`INSERT INTO "T" ("k", "v") VALUES (?, ?)`, ["c", 3]));
    expect(rows().map((r) => r.k)).toEqual(["a", "b", "c"]);
  });

  it("waits for another connection's write lock without blocking the event loop, then writes", async () => {
    const other = new DatabaseSync(file);
    other.exec(`BEGIN IMMEDIATE; UPDATE "T" SET "v" = 100 WHERE "k" = 'a'`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const write = adapter.transact((sql) => sql.run(`UPDATE "T" SET "v" = "v" + 1 WHERE "k" = ?`, ["a"]));
    await new Promise((r) => setTimeout(r, 60));
    other.exec("COMMIT");
    other.close();
    expect(await write).toBe(1);
    clearInterval(timer);
    // The event loop kept turning while the write waited, and the write came after the other commit.
    expect(ticks).toBeGreaterThan(3);
    expect(rows().find((r) => r.k === "a")).toEqual({ k: "a", v: 101 });
  });
});
