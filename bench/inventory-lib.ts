// Shared by the inventory benchmarks (inventory-reserve, inventory-atp, inventory-push).
import { createWriteStream, writeFileSync } from "node:fs";
import { spawn, type ChildProcess } from "node:child_process";
import net, { type AddressInfo } from "node:net";
import { cpus, availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const benchRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** One aligned `key: value` line, in the column summarize() uses. */
export const kv = (key: string, value: unknown) => console.log(`${key.padEnd(38)} : ${value}`);

export function machineFacts(): string {
  const l = loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
  return `node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? "?"}), load average ${l} at start`;
}

/** True when `moduleUrl` is the file this process was started with. */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && path.resolve(process.argv[1]!) === fileURLToPath(moduleUrl);
}

/**
 * Runs a benchmark's body in a fresh Node process. env() and db() are per-process singletons read
 * on first use: when `npm run bench` runs every suite in one process, an earlier suite has already
 * bound them to its own database and to the default queue prefix ("oms", the developer's own queues).
 */
export function inFreshProcess(moduleUrl: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", fileURLToPath(moduleUrl), ...args], {
    cwd: benchRoot,
    env: { ...process.env, ...env },
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(fileURLToPath(moduleUrl))} exited with ${signal ?? code}`)),
    );
  });
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The reservation benchmark's hot set: item and location ids as Shopify spells them. */
export const hotItem = (i: number) => `gid://shopify/InventoryItem/${44_000_000_000 + i}`;
export const hotLocation = (i: number) => `gid://shopify/Location/${71_000_000 + i}`;

export type OpStats = { calls: number; actual: number; throttled: number };

/** Admin API responses as the app's client receives them (this process's fetch): cost per operation and the bucket. */
export function instrumentAdminApi() {
  const ops = new Map<string, OpStats>();
  const bucket = { min: Infinity, last: NaN, max: NaN, restoreRate: NaN };
  const real = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const res = await real(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes("/graphql.json")) return res;
    const name = /(?:query|mutation)\s+(\w+)/.exec(typeof init?.body === "string" ? init.body : "")?.[1] ?? "?";
    const body = (await res
      .clone()
      .json()
      .catch(() => null)) as {
      errors?: { extensions?: { code?: string } }[];
      extensions?: { cost?: { actualQueryCost?: number; throttleStatus?: { currentlyAvailable: number; maximumAvailable: number; restoreRate: number } } };
    } | null;
    const s = ops.get(name) ?? { calls: 0, actual: 0, throttled: 0 };
    s.calls++;
    s.actual += body?.extensions?.cost?.actualQueryCost ?? 0;
    if (Array.isArray(body?.errors) && body.errors.some((e) => e.extensions?.code === "THROTTLED")) s.throttled++;
    ops.set(name, s);
    const t = body?.extensions?.cost?.throttleStatus;
    if (t)
      Object.assign(bucket, {
        min: Math.min(bucket.min, t.currentlyAvailable),
        last: t.currentlyAvailable,
        max: t.maximumAvailable,
        restoreRate: t.restoreRate,
      });
    return res;
  };
  return { ops, bucket };
}

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });

/**
 * The Shopify stand-in and its webhook dispatcher in a process of their own (dev/shopify-local/
 * main.ts), delivering to `appUrl`; resolves once it answers.
 */
export async function spawnStandIn(appUrl: string): Promise<{ url: string; child: ChildProcess; post: (p: string, body: unknown) => Promise<Response> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", "dev/shopify-local/main.ts"], {
    cwd: benchRoot,
    env: { ...process.env, SHOPIFY_STANDIN_PORT: String(port), APP_URL: appUrl, NODE_ENV: "development" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/_dev/shops/none/state`)).status === 404) break;
    } catch {
      if (i > 150) throw new Error("the stand-in did not start");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const post = (p: string, body: unknown) => fetch(url + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { url, child, post };
}

/**
 * The app as separate processes (dev/cluster.ts: `web` web processes on `port`, `workers` workers)
 * against the stand-in at `standInUrl`, its output appended to `log`. `detached`: in its own
 * process group, so the caller can stop every process of it at once.
 */
export function spawnCluster(o: { log: string; web: number; workers: number; port: number; standInUrl: string; detached?: boolean }): ChildProcess {
  writeFileSync(o.log, "");
  const logStream = createWriteStream(o.log, { flags: "a" });
  const cluster = spawn(
    process.execPath,
    ["--import", "tsx", "dev/cluster.ts", "--web", String(o.web), "--workers", String(o.workers), "--port", String(o.port)],
    {
      cwd: benchRoot,
      env: { ...process.env, SHOPIFY_ADMIN_ORIGIN: o.standInUrl, NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
      ...(o.detached ? { detached: true } : {}),
    },
  );
  cluster.stdout!.pipe(logStream);
  cluster.stderr!.pipe(logStream);
  return cluster;
}
