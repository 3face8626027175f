// A day of Amazon orders through the OMS's intake, at Amazon's real rate limits, time compressed.
//
// The SP-API stand-in (dev/amazon-local) runs its clock `speed` times faster than the wall, and its
// token buckets run on that clock with the models' usage plans (searchOrders 0.0056/s burst 20…),
// so the OMS, following x-amzn-RateLimit-Limit, paces itself exactly as it would against Amazon in
// a real day. Orders arrive spread over the day (Poisson), Pending; 80 % become Unshipped a few
// (virtual) minutes later, 5 % are cancelled, 3 % get a buyer cancellation request. The OMS polls
// every AMAZON_POLL_SECONDS (virtual; 180 s = the searchOrders rate) with its real sync service;
// the real processors apply each order (OMS order record, stock held). This process runs them on an
// isolated SQLite file and Redis prefix.
//
// Scope: intake. Creating each order in Shopify at Unshipped is not part of the run (the Shopify
// stand-in and its webhooks at this rate would measure the machine, not the intake; that path is
// covered by test/amazon-e2e.test.ts): the create job (its own queue, amazonCreateShopifyOrder) is
// replaced by a stub that counts "would create".
//
// Intake lag, and what is honest about it. Lag is from the order's creation at Amazon (its
// createdTime) to its intake record in the OMS (the Order row's createdAt). The two halves run on
// different clocks here: waiting for the poll that finds the order is Amazon's business and runs on
// Amazon's (compressed) clock, as do the rate limits; the OMS's own work (storing the page, the
// intake job) takes wall time, and the wall is not compressed. Counting the OMS's wall seconds as
// `speed` × as many of Amazon's seconds (the "all compressed" figure, printed for reference)
// multiplies every second of processing by 240: at 240× a 2 s apply backlog reads as 8 minutes.
// The same holds for the poller: a sync that takes 0.5 s of wall keeps the next poll from starting
// for 120 s of Amazon's time at 240×, where a real day loses 0.5 s. The figure checked against the
// bound (one poll interval + 30 s) is therefore
//     wait   = Amazon's time from createdTime to the start of the poll that found the order, except
//              that the spans in which the poller was busy (earlier syncs, and this bench's own read
//              after each) count as the sync's wall time, not as their length on Amazon's clock
//              (rate-limit waits stay in Amazon's time: the limit is Amazon's), plus
//     work   = wall time from that poll's start to the OMS Order row's createdAt,
// which is what the same code would show in a real day (pessimistic: the bench delivers a day's
// orders 240× faster, so the OMS's queues hold more at once than they would). The bound needs
// both halves: wait ≤ poll interval (plus Amazon's rate limit) and work ≤ 30 s.
//
// The OMS's limiter (app/.server/amazon/rate-limit.ts) is Amazon's token bucket on Redis's clock to
// the millisecond, so compression changes nothing in it: at 240× Amazon's header gives searchOrders
// 1.344/s (0.0056/s × 240) with burst 20, the same bucket the stand-in runs on its clock. A poll every
// 180 s uses nearly all of that rate (one call per 178.6 s), so a window that needs a second page can
// leave a later poll waiting for a token ("stopped by the rate limit and resumed"), as on a real day;
// that wait stays in the figure. (Before, fixed windows of whole seconds made it 4 calls per 3 s of
// wall at 240× = 720 s of Amazon's time, which no real day has.)
//
// Printed: orders Amazon has vs orders the OMS holds (missed, duplicated), states that differ at
// the end, intake lag (above), SP-API calls per operation and per order, 429s.
//   npm run bench -- amazon-day [orders=5000] [speed=240]
import { rmSync } from "node:fs";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { fmt, inFreshProcess, isMain, kv, machineFacts } from "./inventory-lib";
import { isolatedWorld, percentile, sleep } from "./lib";

export async function run(args: string[]) {
  await inFreshProcess(import.meta.url, args);
}

const DAY_MS = 24 * 3600_000;
const SKUS = Array.from({ length: 40 }, (_, i) => `AMZ-SKU-${String(i + 1).padStart(3, "0")}`);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

async function main(args: string[]) {
  const nums = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const [orders = 5000, speed = 240] = nums;
  const redis = await ensureRedis();
  const world = isolatedWorld("amazon-day");
  process.on("exit", () => rmSync(world.dir, { recursive: true, force: true }));
  const pollSeconds = 180;
  Object.assign(process.env, {
    DATABASE_URL: world.databaseUrl,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: world.queuePrefix,
    AMAZON_POLL_SECONDS: String(pollSeconds),
    AMAZON_OVERLAP_SECONDS: "120",
  });

  const { db } = await import("~/.server/db/client");
  const { closeQueues, queue } = await import("~/.server/queue/queues");
  const { startProcessing } = await import("~/.server/queue/worker");
  const { redirectAmazon, spApiStats } = await import("~/.server/amazon/client");
  const { closeAmazonRedis } = await import("~/.server/amazon/rate-limit");
  const { connectAmazonAccount } = await import("~/.server/services/marketplace/amazon-accounts");
  const { syncAmazonAccount } = await import("~/.server/services/marketplace/amazon-sync");
  const { processors } = await import("../jobs/processors");
  const { startAmazonStandIn } = await import("../dev/amazon-local/server");

  const start = Date.parse("2026-12-01T00:00:00Z");
  const amazon = await startAmazonStandIn({ speed, start });
  redirectAmazon(amazon.url, "development");
  const SHOP = "amazon-day.myshopify.com";
  const SELLER = {
    sellerId: "A3BENCHSELLER",
    marketplaceIds: ["ATVPDKIKX0DER"],
    clientId: "amzn1.application-oa2-client.bench",
    clientSecret: "bench-secret",
    refreshToken: "Atzr|bench",
  };
  await fetch(`${amazon.url}/_dev/sellers`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(SELLER) });
  const clock = amazon.store.clock;

  console.log(
    `\namazon day: ${fmt(orders)} Amazon orders over 24 h of Amazon's time, clock ×${speed} (${fmt(DAY_MS / speed / 1000)} s of wall time), poll every ${pollSeconds} s, real usage plans`,
  );
  console.log(machineFacts());
  console.log("(the machine is shared with other work: wall-clock figures vary; the counts do not)");

  // The shop's stock, as the inventory sync would have read it (plenty: this run measures intake).
  const locations = ["gid://shopify/Location/9001", "gid://shopify/Location/9002"];
  for (const [i, sku] of SKUS.entries()) {
    for (const loc of locations) {
      await db().stockLevel.create({
        data: {
          shop: SHOP,
          inventoryItemId: `gid://shopify/InventoryItem/${80_000 + i}`,
          locationId: loc,
          sku,
          variantId: `gid://shopify/ProductVariant/${70_000 + i}`,
          title: sku,
          onHand: 100_000,
          observedAt: new Date(),
        },
      });
    }
  }
  const { id: accountId } = await connectAmazonAccount(
    SHOP,
    {
      sellerId: SELLER.sellerId,
      marketplaceIds: SELLER.marketplaceIds,
      lwaClientId: SELLER.clientId,
      lwaClientSecret: SELLER.clientSecret,
      refreshToken: SELLER.refreshToken,
    },
    "bench",
    new Date(),
  );
  // The repeating poll is driven below on Amazon's clock; the bull repeats are removed.
  for (const q of ["amazon-sync", "amazon-stock-push"] as const)
    for (const r of await queue(q).getRepeatableJobs()) await queue(q).removeRepeatableByKey(r.key);
  // Jobs other than Amazon's (inventory pushes to a Shopify this run does not have) do nothing.
  const quiet = Object.fromEntries(
    Object.entries(processors).map(([k, fn]) => [k, k.startsWith("amazon") ? fn : async () => ({ skipped: "bench" })]),
  ) as typeof processors;
  // Out of scope here: the Shopify order an Unshipped order gets (no Shopify in this run). The
  // apply gets that far — record, stock held, "create in Shopify" reached — and is counted.
  // The stub marks the row as handled (state "created" with no Shopify id: the OMS treats it as not
  // in Shopify, and the sweep for lost create jobs leaves it alone).
  const wouldCreate = new Set<string>();
  quiet.amazonCreateShopifyOrder = async (p) => {
    wouldCreate.add(p.amazonOrderId);
    await db().amazonOrder.updateMany({
      where: { accountId: p.accountId, amazonOrderId: p.amazonOrderId, shopifyState: "none" },
      data: { shopifyState: "created" },
    });
    return { outcome: "not_due", step: "create_in_shopify (not in this run)" };
  };
  const applyMs: number[] = [];
  const failures = new Map<string, number>();
  startProcessing(
    Object.fromEntries(
      Object.entries(quiet).map(([k, fn]) => [
        k,
        async (p: never, c: never) => {
          const t = performance.now();
          try {
            return await (fn as (p: never, c: never) => Promise<unknown>)(p, c);
          } catch (e) {
            const why = `${k}: ${(e as Error).message.slice(0, 100)}`;
            failures.set(why, (failures.get(why) ?? 0) + 1);
            throw e;
          } finally {
            if (k === "amazonApplyOrder") applyMs.push(performance.now() - t);
          }
        },
      ]),
    ) as typeof processors,
  );

  // The day's plan: when each order arrives and what happens to it (virtual ms after the start).
  const r = rng(20261201);
  const plan = Array.from({ length: orders }, () => {
    const at = r() * DAY_MS;
    const u = r();
    return {
      at,
      sku: SKUS[Math.floor(r() * SKUS.length)]!,
      quantity: 1 + Math.floor(r() * 3),
      fate: u < 0.8 ? "ship" : u < 0.85 ? "cancel" : u < 0.88 ? "buyer-cancel" : "stay",
      after: (2 + r() * 30) * 60_000,
    };
  }).sort((a, b) => a.at - b.at);
  const events = plan
    .flatMap((p, i) => [{ at: p.at, i, kind: "create" as const }, ...(p.fate === "stay" ? [] : [{ at: p.at + p.after, i, kind: p.fate }])])
    .sort((a, b) => a.at - b.at);
  const ids: string[] = [];
  const post = (p: string, body: unknown) =>
    fetch(amazon.url + p, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  // The poll that first stored each order: its start on the wall and on Amazon's clock.
  const foundBy = new Map<string, { wall: number; amazon: number }>();
  // The poller's busy spans on Amazon's clock (the sync, and this bench's own read after it) and the
  // sync's wall time in each: no poll can start inside one.
  const busy: { from: number; to: number; wall: number }[] = [];
  const stateLag: number[] = []; // Amazon's lastUpdatedTime → stored, Amazon's time (every state)
  const seen = new Map<string, string>(); // orderId → lastUpdatedTime already counted
  let polls = 0;
  let pollMore = 0;
  const wallStart = performance.now();
  const end = start + DAY_MS;
  let lastEventAt = start;
  let generating = true;

  // Amazon's side: orders placed and changed as planned, as Amazon's clock reaches them.
  const generator = async () => {
    let next = 0;
    while (next < events.length) {
      const now = clock.now();
      let batch = 0;
      while (next < events.length && events[next]!.at + start <= now && batch < 50) {
        const e = events[next++]!;
        batch++;
        const p = plan[e.i]!;
        if (e.kind === "create") {
          const o = (await (
            await post(`/_dev/sellers/${SELLER.sellerId}/orders`, { items: [{ sku: p.sku, quantity: p.quantity, price: 10 + (e.i % 50) }] })
          ).json()) as { orderId: string };
          ids[e.i] = o.orderId;
        } else if (ids[e.i]) {
          const id = ids[e.i]!;
          if (e.kind === "ship") await post(`/_dev/orders/${id}/status`, { status: "UNSHIPPED" });
          else if (e.kind === "cancel") await post(`/_dev/orders/${id}/cancel`, { reason: "BuyerCanceled" });
          else await post(`/_dev/orders/${id}/buyer-cancel-request`, { reason: "Ordered by mistake" });
        }
        lastEventAt = clock.now();
      }
      await sleep(batch ? 0 : 10);
    }
    generating = false;
  };

  // The OMS's side, as the repeating job runs it: a poll every interval of Amazon's time; a poll
  // the rate limit stops resumes after the wait it was told (its continuation job).
  const poller = async () => {
    let nextPoll = start + pollSeconds * 1000;
    for (;;) {
      const now = clock.now();
      if (now < nextPoll) {
        await sleep(5);
        continue;
      }
      while (nextPoll <= now) nextPoll += pollSeconds * 1000; // a late repeat does not run twice
      let out;
      for (;;) {
        polls++;
        const since = new Date();
        const pollAt = { wall: since.getTime(), amazon: clock.now() };
        out = await syncAmazonAccount(accountId, () => new Date());
        const syncWall = Date.now() - pollAt.wall;
        const storedAt = clock.now();
        const rows = await db().amazonOrder.findMany({
          where: { accountId, updatedAt: { gte: new Date(since.getTime() - 1000) } },
          select: { amazonOrderId: true, lastUpdatedTime: true },
        });
        for (const row of rows) {
          const key = row.lastUpdatedTime.toISOString();
          if (seen.get(row.amazonOrderId) === key) continue;
          seen.set(row.amazonOrderId, key);
          if (!foundBy.has(row.amazonOrderId)) foundBy.set(row.amazonOrderId, pollAt);
          stateLag.push(storedAt - row.lastUpdatedTime.getTime());
        }
        busy.push({ from: pollAt.amazon, to: clock.now(), wall: syncWall });
        if (out.kind !== "more") break;
        pollMore++;
        await sleep(out.retryAfterMs);
      }
      // Done when the day is over and a window that began after Amazon's last change has closed.
      if (!generating && clock.now() > end && out.kind === "done" && Date.parse(out.watermark) > lastEventAt + 1000) return;
    }
  };
  await Promise.all([generator(), poller()]);
  const drainStart = performance.now();
  const pending = async () => (await queue("amazon-apply-order").getJobCounts()) as { waiting: number; active: number; delayed: number };
  for (;;) {
    const c = await pending();
    if (c.waiting + c.active + c.delayed === 0 || performance.now() - drainStart > 120_000) break;
    await sleep(250);
  }
  const wallS = (performance.now() - wallStart) / 1000;

  // Amazon's truth against the OMS's.
  const theirs = [...amazon.store.orders.values()];
  const ours = await db().amazonOrder.findMany({
    where: { accountId },
    select: { amazonOrderId: true, status: true, appliedUpdatedTime: true, lastUpdatedTime: true },
  });
  const byId = new Map<string, number>();
  for (const o of ours) byId.set(o.amazonOrderId, (byId.get(o.amazonOrderId) ?? 0) + 1);
  const missed = theirs.filter((o) => !byId.has(o.orderId)).length;
  const duplicated = [...byId.values()].filter((n) => n > 1).length;
  const stateDiffers = theirs.filter((o) => ours.find((x) => x.amazonOrderId === o.orderId)?.status !== o.status).length;
  const omsOrders = await db().order.groupBy({ by: ["sourceId"], where: { shop: SHOP, channel: "amazon" }, _count: { _all: true } });
  const omsDuplicated = omsOrders.filter((g) => g._count._all > 1).length;
  const unapplied = ours.filter((o) => !o.appliedUpdatedTime || o.appliedUpdatedTime < o.lastUpdatedTime).length;
  const calls = Object.fromEntries(spApiStats.calls);
  const totalCalls = [...spApiStats.calls.values()].reduce((n, c) => n + c, 0);
  const stats = (await (await fetch(`${amazon.url}/_dev/stats`)).json()) as { calls: Record<string, number>; throttled: Record<string, number> };
  // Intake lag of each new order (see the header): Amazon's wait for the poll + the OMS's wall time.
  const intake = await db().order.findMany({ where: { shop: SHOP, channel: "amazon" }, select: { sourceId: true, placedAt: true, createdAt: true } });
  const waitMs: number[] = [];
  const workMs: number[] = [];
  const lag: number[] = [];
  const compressed: number[] = [];
  for (const o of intake) {
    const found = foundBy.get(o.sourceId.replace(/^amazon:/, ""));
    if (!found) continue;
    const placed = o.placedAt.getTime();
    const rawWait = Math.max(0, found.amazon - placed);
    // Earlier syncs running while the order waited held the next poll back by their wall time × speed;
    // a real day is held back by their wall time. Those spans count as the wall time the sync took.
    let held = 0;
    let heldWall = 0;
    for (const b of busy) {
      const overlap = Math.min(b.to, found.amazon) - Math.max(b.from, placed);
      if (overlap <= 0 || b.to <= b.from) continue;
      held += overlap;
      heldWall += (overlap / (b.to - b.from)) * b.wall;
    }
    const wait = Math.max(0, rawWait - held + heldWall);
    const work = Math.max(0, o.createdAt.getTime() - found.wall);
    waitMs.push(wait);
    workMs.push(work);
    lag.push(wait + work);
    compressed.push(rawWait + work * speed);
  }
  const sortedOf = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const sorted = sortedOf(lag);
  const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const triple = (xs: number[], f = s) => {
    const x = sortedOf(xs);
    return `${f(percentile(x, 50))} / ${f(percentile(x, 95))} / ${f(x.at(-1) ?? 0)}`;
  };

  kv("orders placed on Amazon", fmt(theirs.length));
  kv("status changes (unshipped/cancel/request)", fmt(events.length - orders));
  kv("orders the OMS holds (AmazonOrder rows)", fmt(ours.length));
  kv("missed", missed);
  kv("duplicated (Amazon rows / OMS orders)", `${duplicated} / ${omsDuplicated}`);
  kv("final status differs from Amazon's", stateDiffers);
  kv("OMS orders (channel amazon)", fmt(omsOrders.length));
  kv("order states not applied at the end", unapplied);
  kv("orders that reached 'create in Shopify'", fmt(wouldCreate.size));
  kv("polls (searchOrders windows)", `${polls} (${pollMore} stopped by the rate limit and resumed)`);
  kv("intake lag: wait for the poll (p50/p95/max)", triple(waitMs));
  kv("intake lag: OMS work, poll start → Order row, wall (p50/p95/max)", triple(workMs, s1));
  kv("intake lag = wait + work (p50/p95/max)", `${triple(lag)}  (bound: poll ${pollSeconds} s + 30 s = ${pollSeconds + 30} s)`);
  kv(
    "lag within the bound",
    `${fmt((100 * sorted.filter((x) => x <= (pollSeconds + 30) * 1000).length) / Math.max(1, sorted.length), 2)} % of ${fmt(sorted.length)} new orders`,
  );
  kv("for reference: all compressed (work × speed)", triple(compressed));
  kv("for reference: state change → stored, Amazon's time", triple(stateLag));
  kv("SP-API calls by operation (OMS)", JSON.stringify(calls));
  kv("SP-API calls per order", fmt(totalCalls / Math.max(1, theirs.length), 3));
  kv("429s answered by Amazon", JSON.stringify(stats.throttled));
  kv(
    "apply job wall time p50/p95",
    `${fmt(
      percentile(
        [...applyMs].sort((a, b) => a - b),
        50,
      ),
      1,
    )} / ${fmt(
      percentile(
        [...applyMs].sort((a, b) => a - b),
        95,
      ),
      1,
    )} ms`,
  );
  kv("wall time", `${fmt(wallS, 1)} s`);
  if (failures.size) kv("job failures (retried)", JSON.stringify(Object.fromEntries(failures)));

  await closeQueues();
  await closeAmazonRedis();
  await amazon.close();
  await db().$disconnect();
  await deleteKeysWithPrefix(redis.url, world.queuePrefix);
  redis.child?.kill();
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
