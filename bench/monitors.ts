// The five operations monitors over a shop with 100,000 orders (90 days, ~3 timeline events per
// order, fulfilment groups): one full evaluation of all five, first (raising the stuck cases) and
// steady state (everything already raised). Shopify's side of the payment and refund comparisons
// is answered in process from the same orders (the figure is the OMS's own work; a real shop adds
// its Admin API round trips: about 1,100 orders a day is 23 pages of 50 for the payment window).
//   npm run bench -- monitors [orders=100000]
import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { isolatedWorld, summarize } from "./lib";

const SHOP = "big.myshopify.com";
const DAY = 86_400_000;
const NOW = Date.parse("2026-12-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const LOCATIONS = ["gid://shopify/Location/1", "gid://shopify/Location/2", "gid://shopify/Location/3", "gid://shopify/Location/4"];

/**
 * An order's state follows its age, as in a shop that works: minutes-old orders are received or
 * released, hours-old ones sourced or being picked, a day or more shipped, older ones delivered
 * (some cancelled, returned, held or backordered). A few stuck cases are planted on purpose: every
 * 9,973rd order never left received, every 4,999th was never shipped, every 2,503rd shipped order
 * never had a carrier update.
 */
function stateOf(i: number, ageMs: number): string {
  const r = i % 100;
  if (i % 9973 === 0) return "received";
  if (i % 4999 === 0 && ageMs > 2 * DAY) return "sourced";
  if (r < 3) return "cancelled";
  if (r < 4) return "on_hold";
  if (r < 5) return "backordered";
  if (ageMs < 10 * 60_000) return "received";
  if (ageMs < 25 * 60_000) return "released";
  if (ageMs < 6 * 3_600_000) return "sourced";
  if (ageMs < 20 * 3_600_000) return "picking";
  if (ageMs < 3 * DAY) return "shipped";
  return r < 7 ? "returned" : "delivered";
}

type ShopifyOrder = {
  id: string;
  name: string;
  createdAt: string;
  displayFinancialStatus: string;
  refunds: { id: string; createdAt: string; totalRefundedSet: { shopMoney: { amount: string; currencyCode: string } } }[];
};

function seed(path: string, total: number): ShopifyOrder[] {
  const sqlite = new DatabaseSync(path);
  const order = sqlite.prepare(
    `INSERT INTO "Order" ("id","shop","channel","sourceId","name","state","financialStatus","currency","totalMinor","tags","placedAt","sourceUpdatedAt","createdAt","updatedAt") VALUES (?,?,?,?,?,?,'paid','USD',1000,'',?,?,?,?)`,
  );
  const event = sqlite.prepare(
    `INSERT INTO "OrderEvent" ("id","orderId","shop","at","kind","summary","fromState","toState","owner","actor","source","dedupeKey") VALUES (?,?,?,?,?,?,?,?,?,'bench','oms',?)`,
  );
  const group = sqlite.prepare(
    `INSERT INTO "FulfillmentGroup" ("id","orderId","sourceId","locationId","locationName","status","lines","updatedAt") VALUES (?,?,?,?,?,?,'[]',?)`,
  );
  const shopify: ShopifyOrder[] = [];
  const t = performance.now();
  sqlite.exec("BEGIN");
  for (let i = 0; i < total; i++) {
    const placed = NOW - 90 * DAY + Math.floor((i * 90 * DAY) / total);
    const id = randomUUID();
    const gid = `gid://shopify/Order/${i + 1}`;
    const state = stateOf(i, NOW - placed);
    order.run(id, SHOP, i % 9 === 0 ? "amazon" : "online_store", gid, `#${1000 + i}`, state, iso(placed), iso(placed), iso(placed), iso(placed));
    event.run(randomUUID(), id, SHOP, iso(placed), "received", "received", null, "received", "commerce", "received");
    const sourced = !["received", "released", "on_hold", "cancelled"].includes(state);
    if (sourced) {
      event.run(randomUUID(), id, SHOP, iso(placed + 600_000), "transition", "sourced", "released", "sourced", "oms", "t:sourced");
      const loc = LOCATIONS[i % LOCATIONS.length]!;
      group.run(
        randomUUID(),
        id,
        `gid://shopify/FulfillmentOrder/${i + 1}`,
        loc,
        `Location ${i % 4}`,
        ["sourced", "picking", "backordered"].includes(state) ? "OPEN" : "CLOSED",
        iso(placed),
      );
    }
    if (["shipped", "delivered", "returned"].includes(state)) {
      event.run(randomUUID(), id, SHOP, iso(placed + 20 * 3_600_000), "transition", "shipped", "sourced", "shipped", "location", "t:shipped");
      if (i % 2503 !== 0)
        event.run(randomUUID(), id, SHOP, iso(placed + 40 * 3_600_000), "fulfillment", "in transit", null, null, "carrier", `f:${i}:in_transit`);
    }
    // Shopify's view: every order, plus a refund on every 50th (the OMS recorded all but every 500th).
    const refunds =
      i % 50 === 0
        ? [
            {
              id: `gid://shopify/Refund/${i + 1}`,
              createdAt: new Date(placed + DAY).toISOString(),
              totalRefundedSet: { shopMoney: { amount: "5.00", currencyCode: "USD" } },
            },
          ]
        : [];
    if (refunds.length && i % 500 !== 0) event.run(randomUUID(), id, SHOP, iso(placed + DAY), "refund", "refund", null, null, "finance", `refund:${i + 1}`);
    shopify.push({ id: gid, name: `#${1000 + i}`, createdAt: new Date(placed).toISOString(), displayFinancialStatus: "PAID", refunds });
  }
  // Orders Shopify has that the OMS never received (lost webhooks): 3 in the last day.
  for (let k = 0; k < 3; k++)
    shopify.push({
      id: `gid://shopify/Order/${total + 10 + k}`,
      name: `#LOST${k}`,
      createdAt: new Date(NOW - (k + 1) * 3_600_000).toISOString(),
      displayFinancialStatus: "PAID",
      refunds: [],
    });
  sqlite.exec("COMMIT");
  sqlite.exec("ANALYZE");
  sqlite.close();
  console.log(`seeded ${total.toLocaleString()} orders with their timelines and groups in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return shopify;
}

/** Shopify's orders search answered in process, 50 a page, as the Admin API pages it (each search computed once). */
function fakeAdmin(orders: ShopifyOrder[]) {
  let calls = 0;
  const searches = new Map<string, ShopifyOrder[]>();
  const graphql = async (_doc: string, opts?: { variables?: Record<string, unknown> }) => {
    calls++;
    const v = opts?.variables as { first: number; after: string | null; query: string };
    const matching = searches.get(v.query) ?? search(v);
    searches.set(v.query, matching);
    const start = v.after ? Number(v.after) : 0;
    const nodes = matching.slice(start, start + v.first);
    const hasNextPage = start + v.first < matching.length;
    return {
      json: async () => ({ data: { orders: { nodes, pageInfo: { hasNextPage, endCursor: hasNextPage ? String(start + v.first) : null } } } }),
    } as unknown as Response;
  };
  const search = (v: { query: string }) => {
    const bound = (key: string, op: string) => {
      const m = new RegExp(`${key}:${op}(\\S+)`).exec(v.query);
      return m ? Date.parse(m[1]!) : null;
    };
    const cFrom = bound("created_at", ">=") ?? -Infinity;
    const cTo = bound("created_at", "<=") ?? Infinity;
    const uFrom = bound("updated_at", ">=");
    return orders.filter((o) => {
      const c = Date.parse(o.createdAt);
      const updated = Math.max(c, ...o.refunds.map((r) => Date.parse(r.createdAt)));
      return c >= cFrom && c <= cTo && (uFrom === null || updated >= uFrom);
    });
  };
  return { graphql, calls: () => calls };
}

export async function run(args: string[]) {
  const total = Number(args[0] ?? 100_000);
  const world = isolatedWorld("monitors");
  const shopifyOrders = seed(world.databaseUrl.replace(/^file:/, ""), total);
  process.env.DATABASE_URL = world.databaseUrl;
  process.env.QUEUE_PREFIX = world.queuePrefix;
  const { evaluateMonitors } = await import("~/.server/services/ops/evaluate-monitors");
  const { db } = await import("~/.server/db/client");
  const admin = fakeAdmin(shopifyOrders);
  const deps = { admin: async () => admin.graphql as never };
  const now = new Date(NOW);

  console.log(`\nall five monitors over ${total.toLocaleString()} orders (SQLite; machine shared with other work, figures are indicative):`);
  const t0 = performance.now();
  const first = await evaluateMonitors(SHOP, now, deps);
  const firstMs = performance.now() - t0;
  for (const m of first)
    console.log(
      `  ${m.kind.padEnd(26)} stuck=${String(m.stuck).padStart(5)} raised=${String(m.raised).padStart(5)}${m.error ? ` ERROR ${m.error}` : ""}${m.comparison ? ` (Shopify captured ${m.comparison.shopifyCaptured}, OMS has ${m.comparison.omsKnown})` : ""}`,
    );
  console.log(`first evaluation (raises every stuck case): ${firstMs.toFixed(0)} ms`);

  const samples: number[] = [];
  const perMonitor = new Map<string, number[]>();
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    const out = await evaluateMonitors(SHOP, new Date(NOW + (i + 1) * 60_000), deps);
    samples.push(performance.now() - t);
    for (const m of out)
      if (m.raised > 0) console.log(`  evaluation ${i + 1}: ${m.kind} raised ${m.raised} new case(s) (orders crossing a threshold a minute later)`);
  }
  console.log(summarize("steady-state evaluation, all five", samples));
  const { MONITORS } = await import("~/.server/services/ops/evaluate-monitors");
  const { readThresholds } = await import("~/.server/db/monitor-queries");
  const thresholds = await readThresholds(SHOP);
  for (const kind of Object.keys(MONITORS) as (keyof typeof MONITORS)[]) {
    const s: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await MONITORS[kind](SHOP, thresholds, now, deps);
      s.push(performance.now() - t);
    }
    perMonitor.set(kind, s);
    console.log(summarize(`  read+decide ${kind}`, s));
  }
  const median = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
  console.log(
    `\nRESULT monitors: all five over ${total.toLocaleString()} orders in ${median.toFixed(0)} ms (median steady state; target ≤ 1000 ms); first evaluation ${firstMs.toFixed(0)} ms; Shopify pages answered in process: ${admin.calls()}`,
  );
  await db().$disconnect();
}
