// The orders list on a shop with 100k orders: first page, filters, search and deep keyset pages.
//   npm run bench -- orders-list [orders=100000]
import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { isolatedWorld, summarize } from "./lib";

const CHANNELS = ["online_store", "online_store", "online_store", "pos", "draft", "amazon"];
const STATES = ["received", "released", "sourced", "picking", "shipped", "shipped", "delivered", "delivered", "cancelled", "on_hold"];

export async function run(args: string[]) {
  const total = Number(args[0] ?? 100_000);
  const world = isolatedWorld("orders");
  seed(world.databaseUrl.replace(/^file:/, ""), total);
  process.env.DATABASE_URL = world.databaseUrl;
  const { listOrders } = await import("~/.server/db/order-queries");
  const { db } = await import("~/.server/db/client");
  const shop = "big.myshopify.com";

  const time = async (label: string, fn: () => Promise<unknown>, n = 50) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      samples.push(performance.now() - t);
    }
    console.log(summarize(label, samples));
  };

  console.log(`\norders list over ${total.toLocaleString()} orders (SQLite, 50 rows a page):`);
  await time("first page", () => listOrders(shop, {}, { take: 50 }));
  await time("filter channel=amazon", () => listOrders(shop, { channel: "amazon" }, { take: 50 }));
  await time("filter state=on_hold", () => listOrders(shop, { state: "on_hold" }, { take: 50 }));
  await time("filter exception=any", () => listOrders(shop, { exception: "any" }, { take: 50 }));
  await time("filter date range (one week)", () => listOrders(shop, { from: new Date("2026-06-01"), to: new Date("2026-06-08") }, { take: 50 }));
  await time("search by order name", () => listOrders(shop, { q: `#${1000 + Math.floor(total / 2)}` }, { take: 50 }));
  let cursor: string | undefined;
  let pages = 0;
  const deep: number[] = [];
  while (pages < 200) {
    const t = performance.now();
    const page = await listOrders(shop, {}, { take: 50, after: cursor });
    deep.push(performance.now() - t);
    if (!page.next) break;
    cursor = page.next;
    pages++;
  }
  console.log(summarize(`keyset pages 1–${pages + 1} in sequence`, deep));
  await db().$disconnect();
}

function seed(path: string, total: number) {
  const sqlite = new DatabaseSync(path);
  const start = Date.parse("2026-01-01T00:00:00Z");
  const insert =
    sqlite.prepare(`INSERT INTO "Order" ("id","shop","channel","sourceId","name","state","financialStatus","currency","totalMinor","email","customerName","shipCountry","tags","exception","placedAt","sourceUpdatedAt","createdAt","updatedAt")
    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'',?,?,?,?,?)`);
  const t = performance.now();
  sqlite.exec("BEGIN");
  for (let i = 0; i < total; i++) {
    const placed = new Date(start + i * 150_000).toISOString().replace("Z", "+00:00");
    insert.run(
      randomUUID(),
      "big.myshopify.com",
      CHANNELS[i % CHANNELS.length]!,
      `gid://shopify/Order/${i + 1}`,
      `#${1000 + i}`,
      STATES[(i * 7) % STATES.length]!,
      "paid",
      "USD",
      1000 + (i % 500) * 100,
      `c${i}@example.com`,
      `Customer ${i}`,
      "US",
      i % 97 === 0 ? "ILLEGAL_TRANSITION" : null,
      placed,
      placed,
      placed,
      placed,
    );
  }
  sqlite.exec("COMMIT");
  sqlite.exec("ANALYZE");
  sqlite.close();
  console.log(`seeded ${total.toLocaleString()} orders in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
