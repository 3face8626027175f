import { inTransaction } from "./client";
import { onSettingsWritten, settingsVersions } from "./promise-versions";

// This process's copies of per-shop settings the workers read on every job (the locations, their
// profiles, the active rule set, the stale-feed policy, the safety-stock rules, the order policy),
// each kept under the shop's settings version in Redis (promise:cfgv:<shop>, db/promise-versions.ts)
// it was read for. A read asks Redis for the version first — one round trip, shared by every read
// of the same tick (one job's Promise.all) — and uses a copy only when it was read for exactly that
// version; otherwise it reads the database and keeps what it read under that version.
//
// Why that is never stale across processes: every writer of these tables bumps the version AFTER
// its transaction commits (grep bumpShopVersion), and a read takes the version BEFORE it reads the
// database. A copy read for version v is therefore at least as new as every write whose bump
// produced v; a write that commits later moves the version past v, and the next read anywhere
// re-reads. A missing version is created from the clock (never a value a copy was kept under).
//
// When Redis has no answer (down, reconnecting, a timeout) the database is read and nothing kept.
// A bump that failed (Redis unreachable from the writer, while it answers the readers) would leave
// the version put after a committed write: no copy is used once it is COPY_MAX_AGE_MS old, and the
// writer's own process forgets its copies of the shop at once (onSettingsWritten). A read inside
// `transaction` (a per-order lock) reads the database in the transaction, as before: no Redis call
// while a lock is held (docs/concurrency.md), and the transaction's view is its own.
// Every caller gets its own structured clone: a caller that sorts or edits what it got cannot
// change another's copy.

export const COPY_MAX_AGE_MS = 30_000;

type Copy = { version: string; generation: number; at: number; value: Promise<unknown> };
type ShopCopies = { generation: number; copies: Map<string, Copy> };

const shops = new Map<string, ShopCopies>();

function copiesOf(shop: string): ShopCopies {
  let c = shops.get(shop);
  if (!c) {
    if (shops.size >= 10_000) shops.clear();
    c = { generation: 0, copies: new Map() };
    shops.set(shop, c);
  }
  return c;
}

// A settings write in this process: its copies of the shop are no longer current, even before (or
// without) the version moving; a read whose version was asked before the write keeps nothing.
onSettingsWritten((shop) => {
  const c = shops.get(shop);
  if (!c) return;
  c.generation++;
  c.copies.clear();
});

/** Forgets every copy in this process (tests: a fresh process). */
export function forgetConfigCopies(): void {
  shops.clear();
}

// Version reads asked in the same tick go to Redis together (one script call for all their shops).
let batch: Map<string, { resolve: (v: string | null) => void }[]> | null = null;

function flush() {
  const asked = batch!;
  batch = null;
  const list = [...asked.keys()];
  const answer = (versions: (string | null)[]) => list.forEach((shop, i) => asked.get(shop)!.forEach((w) => w.resolve(versions[i] ?? null)));
  settingsVersions(list).then(
    (versions) => answer(versions),
    () => answer([]),
  );
}

/** The shop's settings version now, or null when Redis does not say (read the database, keep nothing). */
function settingsVersion(shop: string): Promise<string | null> {
  return new Promise((resolve) => {
    if (!batch) {
      batch = new Map();
      process.nextTick(flush);
    }
    const waiting = batch.get(shop);
    if (waiting) waiting.push({ resolve });
    else batch.set(shop, [{ resolve }]);
  });
}

/**
 * `read()` (a read of the shop's settings named `name`: the same name, the same read), or this
 * process's copy of it when the copy was read for the shop's current settings version.
 */
export async function cachedSetting<T>(shop: string, name: string, read: () => Promise<T>): Promise<T> {
  if (inTransaction()) return read();
  const c = copiesOf(shop);
  const generation = c.generation;
  const version = await settingsVersion(shop);
  if (version === null) return read();
  const at = Date.now();
  const copy = c.copies.get(name);
  if (copy && copy.version === version && copy.generation === c.generation && at - copy.at < COPY_MAX_AGE_MS) {
    return structuredClone((await copy.value) as T);
  }
  const value = read();
  // A write of this process since the version was asked: not kept.
  if (generation === c.generation && shops.get(shop) === c) {
    const kept: Copy = { version, generation, at, value };
    c.copies.set(name, kept);
    value.catch(() => {
      if (c.copies.get(name) === kept) c.copies.delete(name);
    });
  }
  return structuredClone(await value);
}
