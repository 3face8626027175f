// The full ATP recompute (recomputeAtp) over every level of a large shop: 100k variants × 20
// locations = 2,000,000 StockLevel rows by default, seeded fast with multi-row INSERTs in large
// transactions on the app's own SQLite connection (sqliteConnection()), then timed.
//   npm run bench -- inventory-atp [variants=20000] [locations=20] [seed=raw|prisma] [analyze]
// The default is 400k levels so a default run stays under ~3 minutes; the full size is
// `npm run bench -- inventory-atp 100000 20`. seed=prisma seeds through the Prisma client's
// $executeRawUnsafe instead (slower; for comparison). analyze runs ANALYZE after seeding (the app
// never does), which changes SQLite's plan for the keyset page.
import { rmSync, statSync } from "node:fs";
import { fmt, inFreshProcess, isMain, kv, machineFacts, mb } from "./inventory-lib";
import { isolatedWorld } from "./lib";

const SHOP = "atp-bench.myshopify.com";
const COLUMNS = [
  "id",
  "shop",
  "inventoryItemId",
  "locationId",
  "sku",
  "variantId",
  "title",
  "onHand",
  "reserved",
  "safetyStock",
  "committed",
  "unavailable",
  "shopifyAvailable",
  "heldBack",
  "observedAt",
  "pushedAt",
  "updatedAt",
] as const;
const ROWS_PER_INSERT = 500; // 8,500 bound values, under SQLite's 32,766
const ROWS_PER_TRANSACTION = 200_000;
const SIZES = ["XS", "S", "M", "L", "XL"];

export async function run(args: string[]) {
  await inFreshProcess(import.meta.url, args);
}

/** The adapter's DATETIME text form (app/.server/db/sqlite/args.ts). */
const stamp = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");

/** Deterministic pseudo-random numbers, so every run seeds the same shop. */
function prng(seed: number) {
  let s = seed;
  return () => ((s = (s * 48271) % 2147483647) - 1) / 2147483646;
}

/**
 * One level's row, with a spread of situations: a fifth out of stock, reservations and Shopify
 * commitments that mostly agree, safety stock on 3 levels in 5, a few damaged units, 3% of levels
 * not observed for over an hour (stale under fail-closed), 0.5% never observed, and Shopify's
 * safety_stock (what the OMS holds back) already right on ~95% of the levels (the rest need a move).
 */
function row(v: number, l: number, seq: number, nowMs: number, rnd: () => number): (string | number | null)[] {
  const onHand = rnd() < 0.2 ? 0 : 1 + Math.floor(rnd() * rnd() * 500);
  const reserved = rnd() < 0.3 ? Math.floor(rnd() * Math.min(onHand, 12)) : 0;
  const committed = rnd() < 0.8 ? reserved : Math.floor(rnd() * Math.min(onHand, 12));
  const safetyStock = [0, 0, 2, 3, 5][Math.floor(rnd() * 5)]!;
  const unavailable = rnd() < 0.05 ? 1 + Math.floor(rnd() * 3) : 0;
  const r = rnd();
  const observedAt = r < 0.005 ? null : r < 0.035 ? nowMs - (61 + rnd() * 600) * 60_000 : nowMs - rnd() * 55 * 60_000;
  const target = observedAt !== null && nowMs - observedAt <= 3_600_000 ? Math.max(0, onHand - Math.max(reserved, committed) - safetyStock - unavailable) : 0;
  let heldBack = Math.max(0, onHand - committed - unavailable - target);
  // Shopify's safety_stock state off by a few units (a merchant edit, a push not yet made).
  if (rnd() < 0.05) heldBack = Math.max(0, heldBack + (rnd() < 0.5 ? -1 : 1) * (1 + Math.floor(rnd() * 3)));
  const available = onHand - committed - unavailable - heldBack;
  // cuid-like ids in insertion order, as Prisma's cuid() makes them over time.
  const id = `c${(nowMs - 86_400_000 + Math.floor(seq / 50)).toString(36)}${seq.toString(36).padStart(6, "0")}${Math.floor(rnd() * 36 ** 6)
    .toString(36)
    .padStart(6, "0")}`;
  const item = 44_000_000_000 + v;
  return [
    id,
    SHOP,
    `gid://shopify/InventoryItem/${item}`,
    `gid://shopify/Location/${71_000_000 + l}`,
    `SKU-${String(v).padStart(6, "0")}`,
    `gid://shopify/ProductVariant/${45_000_000_000 + v}`,
    `Product ${Math.floor(v / SIZES.length)} - ${SIZES[v % SIZES.length]}`,
    onHand,
    reserved,
    safetyStock,
    committed,
    unavailable,
    available,
    heldBack,
    observedAt === null ? null : stamp(observedAt),
    observedAt === null ? null : stamp(observedAt),
    stamp(nowMs),
  ];
}

async function main(args: string[]) {
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const [variants = 20_000, locations = 20] = nums;
  const via = args.includes("seed=prisma") ? "prisma" : "raw";
  const total = variants * locations;
  const world = isolatedWorld("atp");
  process.on("exit", () => rmSync(world.dir, { recursive: true, force: true }));
  process.env.DATABASE_URL = world.databaseUrl;
  const { db, sqliteConnection } = await import("~/.server/db/client");
  const { recomputeAtp } = await import("~/.server/services/inventory-sync");
  const file = world.databaseUrl.replace(/^file:/, "");
  const size = () => ["", "-wal"].reduce((n, s) => n + (statSync(file + s, { throwIfNoEntry: false })?.size ?? 0), 0);

  console.log(`\ninventory ATP recompute: ${fmt(variants)} variants × ${locations} locations = ${fmt(total)} levels (SQLite)`);
  console.log(machineFacts());
  try {
    // Seed.
    const conn = (await sqliteConnection(db()))!;
    const nowMs = Date.now();
    const rnd = prng(20261123);
    const placeholders = (n: number) => Array.from({ length: n }, () => `(${COLUMNS.map(() => "?").join(",")})`).join(",");
    const insert = (n: number) => `INSERT INTO "StockLevel" (${COLUMNS.map((c) => `"${c}"`).join(",")}) VALUES ${placeholders(n)}`;
    const t0 = performance.now();
    let seq = 0;
    let batch: (string | number | null)[] = [];
    let inBatch = 0;
    let inTx = 0;
    const flush = async () => {
      if (!inBatch) return;
      if (via === "raw") await conn.run(insert(inBatch), batch);
      else await db().$executeRawUnsafe(insert(inBatch), ...batch);
      batch = [];
      inBatch = 0;
    };
    const begin = () => (via === "raw" ? conn.executeScript("BEGIN") : db().$executeRawUnsafe("BEGIN"));
    const commit = () => (via === "raw" ? conn.executeScript("COMMIT") : db().$executeRawUnsafe("COMMIT"));
    await begin();
    for (let v = 0; v < variants; v++) {
      for (let l = 0; l < locations; l++) {
        batch.push(...row(v, l, seq++, nowMs, rnd));
        if (++inBatch === ROWS_PER_INSERT) await flush();
        if (++inTx === ROWS_PER_TRANSACTION) {
          await flush();
          await commit();
          await begin();
          inTx = 0;
        }
      }
    }
    await flush();
    await commit();
    const seedSeconds = (performance.now() - t0) / 1000;
    await db().$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    const count = Number((await db().$queryRawUnsafe<{ n: bigint }[]>(`SELECT COUNT(*) AS n FROM "StockLevel"`))[0]!.n);
    kv(
      "seed StockLevel rows",
      `${fmt(count)} in ${seedSeconds.toFixed(1)} s (${fmt(count / seedSeconds)} rows/s; ${via === "raw" ? "sqliteConnection().run" : "$executeRawUnsafe"}, ${ROWS_PER_INSERT}-row INSERTs, ${fmt(ROWS_PER_TRANSACTION)} rows a transaction)`,
    );
    kv("SQLite file size", `${mb(size())} (${(size() / count).toFixed(0)} bytes/level, indexes included)`);

    if (args.includes("analyze")) {
      const t = performance.now();
      await db().$executeRawUnsafe("ANALYZE");
      kv("ANALYZE", `${((performance.now() - t) / 1000).toFixed(1)} s`);
    }

    // The keyset page recomputeAtp reads (stockLevelPage), as Prisma renders it.
    const plan = await db().$queryRawUnsafe<{ detail: string }[]>(
      `EXPLAIN QUERY PLAN SELECT * FROM "main"."StockLevel" WHERE ("main"."StockLevel"."shop" = ? AND "main"."StockLevel"."id" > ?) ORDER BY "main"."StockLevel"."id" ASC LIMIT ? OFFSET ?`,
      SHOP,
      "c",
      5000,
      0,
    );
    kv("keyset page query plan", plan.map((p) => p.detail).join("; "));

    const now = new Date(nowMs);
    // A second pass (warm caches, JIT) only when the first one was reasonably quick.
    for (let pass = 1, last = 0; pass <= 2 && last <= 30; pass++) {
      const rss0 = process.memoryUsage().rss;
      const t = performance.now();
      const result = await recomputeAtp(SHOP, now);
      const s = (last = (performance.now() - t) / 1000);
      kv(`recomputeAtp, pass ${pass}`, `${s.toFixed(2)} s, ${fmt(result.levels / s)} levels/s (target ≤ 30 s)`);
      if (pass === 1) {
        kv("result", JSON.stringify(result));
        kv("RSS before → after", `${mb(rss0)} → ${mb(process.memoryUsage().rss)}`);
      }
    }
  } finally {
    await db().$disconnect();
    rmSync(world.dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  await main(process.argv.slice(2));
  process.exit(0);
}
