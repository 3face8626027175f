// Reservations per second under contention: N processes (bench/inventory-reserve-worker.ts), each
// with its own connection, reserving orders of 1–3 lines on a small hot set through the order lock and applyOrderReservations (production's primitive),
// for a fixed time. Two scenarios: plenty of stock (every reservation fits) and scarce stock (the
// hot set sells out during the run, so most of the run is refusals). Afterwards it prints, without
// asserting, whether the ledger explains every balance and whether anything was oversold.
//   npm run bench -- inventory-reserve [processes=4] [seconds=10] [items=20] [locations=2] [plenty|scarce] [--pg]
// --pg (or OMS_BENCH_PG=1): a fresh schema on the PostgreSQL at TEST_POSTGRES_URL (default
// postgresql://postgres@127.0.0.1:5432/test), dropped afterwards; SQLite if it does not answer.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { benchRoot, fmt, hotItem, hotLocation, inFreshProcess, isMain, kv, machineFacts } from "./inventory-lib";
import { isolatedWorld, summarize } from "./lib";

type WorkerResult = {
  index: number;
  elapsedMs: number;
  lastGrantMs: number;
  granted: number[];
  refused: number[];
  errors: string[];
  units: Record<string, number>;
};

const SCENARIOS = {
  plenty: { onHand: 1_000_000, label: "plenty of stock" },
  scarce: { onHand: 60, label: "scarce stock (sells out during the run)" },
} as const;
type Scenario = keyof typeof SCENARIOS;

export async function run(args: string[]) {
  await inFreshProcess(import.meta.url, args);
}

async function main(args: string[]) {
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const [processes = 4, seconds = 10, items = 20, locations = 2] = nums;
  const scenarios = (Object.keys(SCENARIOS) as Scenario[]).filter((s) => !args.some((a) => a in SCENARIOS) || args.includes(s));
  let pg: { url: string; drop: () => Promise<void>; schema: string } | null = null;
  let engine = "SQLite";
  let dir: string | null = null;
  if (args.includes("--pg") || process.env.OMS_BENCH_PG === "1") {
    const { createPgTestSchema, postgresUnavailable } = await import("../test/helpers/postgres");
    const why = await postgresUnavailable();
    if (why) console.log(`--pg: ${why}; running on SQLite instead`);
    else {
      pg = await createPgTestSchema();
      engine = `PostgreSQL, schema ${pg.schema}`;
    }
  }
  if (!pg) {
    const world = isolatedWorld("reserve");
    dir = world.dir;
    process.on("exit", () => rmSync(world.dir, { recursive: true, force: true }));
    process.env.DATABASE_URL = world.databaseUrl;
  } else process.env.DATABASE_URL = pg.url;

  const { db } = await import("~/.server/db/client");
  const { ledgerDrift, observeOnHand, stockLevels } = await import("~/.server/db/stock");
  console.log(`\ninventory reserve: ${processes} processes × ${seconds} s on ${items} items × ${locations} locations (${engine})`);
  console.log(machineFacts());
  try {
    for (const scenario of scenarios) {
      const shop = `reserve-${scenario}.myshopify.com`;
      const { onHand, label } = SCENARIOS[scenario];
      const at = new Date();
      for (let i = 0; i < items; i++) for (let l = 0; l < locations; l++) await observeOnHand(shop, hotItem(i), hotLocation(l), `HOT-${i}`, onHand, at);
      // Half the items hold safety stock back: the guard must respect it too.
      await db().stockLevel.updateMany({
        where: { shop, inventoryItemId: { in: Array.from({ length: items }, (_, i) => hotItem(i)).filter((_, i) => i % 2 === 0) } },
        data: { safetyStock: 3 },
      });

      const results = await race(processes, seconds, shop, items, locations, scenario);
      const granted = results.flatMap((r) => r.granted);
      const refused = results.flatMap((r) => r.refused);
      const errors = results.flatMap((r) => r.errors);
      const elapsed = Math.max(...results.map((r) => r.elapsedMs)) / 1000;

      const levels = await stockLevels(shop);
      const oversold = levels.filter((l) => l.reserved > l.onHand - l.safetyStock);
      const units = new Map<string, number>();
      for (const r of results) for (const [k, n] of Object.entries(r.units)) units.set(k, (units.get(k) ?? 0) + n);
      const mismatched = levels.filter((l) => (units.get(`${l.inventoryItemId}|${l.locationId}`) ?? 0) !== l.reserved);
      const drift = await ledgerDrift(shop);
      const soldOut = levels.filter((l) => l.onHand - l.reserved - l.safetyStock - l.unavailable < 1).length;

      console.log(`\n${label}: onHand ${fmt(onHand)} per level, safety stock 3 on half the items`);
      kv("reservations/s (granted)", `${fmt(granted.length / elapsed, 1)}  (${fmt(granted.length)} in ${elapsed.toFixed(1)} s)`);
      kv("refused/s (INSUFFICIENT_STOCK)", `${fmt(refused.length / elapsed, 1)}  (${fmt(refused.length)})`);
      kv("attempts/s (granted + refused)", fmt((granted.length + refused.length) / elapsed, 1));
      kv("errors", errors.length ? `${errors.length} (first: ${errors[0]})` : 0);
      kv("per process, attempts/s", results.map((r) => fmt((r.granted.length + r.refused.length) / (r.elapsedMs / 1000), 0)).join(" / "));
      if (granted.length) console.log(summarize("latency per reservation, granted", granted));
      if (refused.length) console.log(summarize("latency per reservation, refused", refused));
      kv("ledgerDrift(shop)", JSON.stringify(drift.slice(0, 3)) + (drift.length > 3 ? ` … (${drift.length})` : ""));
      kv("levels with reserved > onHand − safety", `${oversold.length} of ${levels.length}`);
      kv("Σ granted = reserved on every level", mismatched.length ? `no, ${mismatched.length} level(s) differ` : "yes");
      kv("levels sold out (ATP < 1) at the end", `${soldOut} of ${levels.length}`);
      if (soldOut) kv("last reservation granted at", `${(Math.max(...results.map((r) => r.lastGrantMs)) / 1000).toFixed(2)} s into the run`);
    }
  } finally {
    await db().$disconnect();
    if (pg) await pg.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts the workers, lets them connect and warm up, then starts them together. */
async function race(processes: number, seconds: number, shop: string, items: number, locations: number, tag: string): Promise<WorkerResult[]> {
  const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), "inventory-reserve-worker.ts");
  const children: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const results: Promise<WorkerResult>[] = [];
  for (let i = 0; i < processes; i++) {
    const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", worker, String(i), shop, String(items), String(locations), tag], {
      cwd: benchRoot,
      env: process.env,
      stdio: ["pipe", "pipe", "inherit"],
    });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    ready.push(new Promise((resolve) => lines.on("line", (l) => l === "ready" && resolve())));
    results.push(
      new Promise((resolve, reject) => {
        lines.on("line", (l) => l.startsWith("result ") && resolve(JSON.parse(l.slice(7)) as WorkerResult));
        child.on("exit", (code) => reject(new Error(`reserve worker ${i} exited with ${code} before reporting`)));
      }),
    );
  }
  await Promise.all(ready);
  for (const c of children) c.stdin!.write(`go ${seconds}\n`);
  return Promise.all(results);
}

if (isMain(import.meta.url)) {
  await main(process.argv.slice(2));
  process.exit(0);
}
