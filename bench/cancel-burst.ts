// Cancelling routed orders in a burst. The stand-in (child process, demo shop, webhook dispatcher)
// and this process (the app's webhook route on a real port, the real processors, an isolated SQLite
// file and Redis prefix) as in sourcing-apply. After the initial reconcile, every level's OMS ATP
// and Shopify available are recorded; shopper orders are placed and routed; then staff cancel all
// of them at once (`concurrency` cancels in flight, each one double-clicked: the same key sent
// twice together), through the same service the order page calls. When the queues and inventory
// reads have drained: how many orders still hold a reservation, how many levels' ATP or Shopify
// available differ from before the orders (should be 0 and 0), refunds made per order, and timings.
//   npm run bench -- cancel-burst [orders=1000] [rate=40] [concurrency=16] [routeWait=900 (s)]
import { rmSync } from "node:fs";
import { deleteKeysWithPrefix, ensureRedis } from "../dev/lib/redis";
import { serveWebhookRoute } from "../dev/lib/webhook-endpoint";
import { fmt, inFreshProcess, instrumentAdminApi, isMain, kv, machineFacts, spawnStandIn } from "./inventory-lib";
import { isolatedWorld, sleep, summarize } from "./lib";

export async function run(args: string[]) {
  await inFreshProcess(import.meta.url, args);
}

async function main(args: string[]) {
  const [orders = 1000, rate = 40, concurrency = 16] = args.filter((a) => /^\d+$/.test(a)).map(Number);
  const redis = await ensureRedis();
  const world = isolatedWorld("cancel-burst");
  process.on("exit", () => rmSync(world.dir, { recursive: true, force: true }));
  Object.assign(process.env, { DATABASE_URL: world.databaseUrl, REDIS_URL: redis.url, QUEUE_PREFIX: world.queuePrefix });
  delete process.env.SHOPIFY_ADMIN_ORIGIN;

  const { db } = await import("~/.server/db/client");
  const { outstandingLevelReads } = await import("~/.server/db/stock");
  const { closeQueues, queue, allQueueNames } = await import("~/.server/queue/queues");
  const { startProcessing } = await import("~/.server/queue/worker");
  const { reconcileStock } = await import("~/.server/services/reconcile-stock");
  const { cancelOrder } = await import("~/.server/services/changes/cancel");
  const { redirectShopifyOrigin } = await import("~/.server/shopify/admin-origin");
  const { sessionStorage } = await import("~/shopify.server");
  const { processors } = await import("../jobs/processors");
  const { Session } = await import("@shopify/shopify-api");
  const { demoFixture } = await import("../dev/demo/fixture");
  const { composeOrder } = await import("../dev/demo/shopper-simulator");
  const { createRng } = await import("../dev/demo/prng");
  const { atp } = await import("~/domain/inventory/atp");

  const app = await serveWebhookRoute();
  const standIn = await spawnStandIn(app.url);
  const post = async (p: string, body: unknown) => {
    const r = await standIn.post(p, body);
    return { ok: r.ok, status: r.status, body: (await r.json().catch(() => ({}))) as Record<string, unknown> };
  };
  // Work still to do in every queue (one queue per job): waiting, active, and delayed jobs due within
  // two minutes; repeating schedules and checks set for later are not work the burst left undone.
  const pending = async () => {
    const horizon = Date.now() + 120_000;
    const per = await Promise.all(
      allQueueNames.map(async (name) => {
        const q = queue(name);
        const c = await q.getJobCounts();
        const later = c.delayed
          ? (await q.getDelayed()).filter((j) => String(j.id).startsWith("repeat:") || j.timestamp + (j.opts.delay ?? 0) > horizon).length
          : 0;
        return c.waiting + c.active + c.delayed - later;
      }),
    );
    return per.reduce((n, c) => n + c, 0);
  };
  const drain = async (limitMs: number) => {
    const t = performance.now();
    // Quiet twice in a row: a job finishing can enqueue the next one.
    let quiet = 0;
    while (performance.now() - t < limitMs && quiet < 2) {
      quiet = (await pending()) === 0 && (await outstandingLevelReads()) === 0 ? quiet + 1 : 0;
      await sleep(quiet ? 1_000 : 250);
    }
    return (performance.now() - t) / 1000;
  };

  const { ops } = instrumentAdminApi();
  const fixture = demoFixture();
  const SHOP = fixture.shop.domain;
  console.log(`\ncancel burst: ${fmt(orders)} routed shopper orders on the demo shop, cancelled ${concurrency} at a time, each double-clicked`);
  console.log(machineFacts());
  console.log("(the machine is shared with other helpers' work: timings are indicative; the counts are the result)");
  try {
    const seeded = await post("/_dev/shops", fixture.shop);
    if (!seeded.ok) throw new Error(`seeding the demo shop: ${seeded.status}`);
    const { accessToken, scope } = (await post(`/_dev/shops/${SHOP}/install`, {})).body as { accessToken: string; scope: string };
    await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken, scope }));
    redirectShopifyOrigin(standIn.url, "development");
    const failures = new Map<string, number>();
    const timed = Object.fromEntries(
      Object.entries(processors).map(([key, fn]) => [
        key,
        async (payload: never, ctx: never) => {
          try {
            return await (fn as (p: never, c: never) => Promise<unknown>)(payload, ctx);
          } catch (e) {
            const why = `${key}: ${String((e as Error).message).slice(0, 90)}`;
            failures.set(why, (failures.get(why) ?? 0) + 1);
            throw e;
          }
        },
      ]),
    ) as unknown as typeof processors;
    startProcessing(timed);

    // The loaded machine can drop a connection: the first full read is tried again.
    for (let attempt = 1; ; attempt++) {
      try {
        await reconcileStock(SHOP, new Date());
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
        console.log(`initial reconcile failed (${(e as Error).message.slice(0, 80)}); again`);
        await sleep(2_000);
      }
    }
    kv("echo webhooks drained in", `${(await drain(240_000)).toFixed(1)} s`);
    const locations = new Map((await db().stockLocation.findMany({ where: { shop: SHOP } })).map((l) => [l.id, l.name]));
    type StateLevel = { sku: string; location: string; available: number; on_hand: number; committed: number };
    const snapshot = async () => {
      const shopify = ((await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as { inventory: StateLevel[] }).inventory;
      const oms = await db().stockLevel.findMany({ where: { shop: SHOP } });
      return {
        shopify: new Map(shopify.map((l) => [`${l.sku}|${l.location}`, l])),
        oms: new Map(
          oms.map((l) => [`${l.sku}|${locations.get(l.locationId)}`, { atp: atp(l), reserved: l.reserved, onHand: l.onHand, committed: l.committed }]),
        ),
      };
    };
    const before = await snapshot();

    // Orders placed and routed.
    const skus = fixture.shop.products.flatMap((p) => p.variants.map((v) => v.sku)).filter((s) => !fixture.scarceSkus.includes(s));
    const rng = createRng(20261201);
    const placedIds: string[] = [];
    let refused = 0;
    const t0 = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < orders; i++) {
      const due = t0 + (i * 1000) / rate;
      if (due - performance.now() > 1) await sleep(due - performance.now());
      const p = post(`/_dev/shops/${SHOP}/checkout`, composeOrder(rng, fixture.shoppers, skus)).then(
        (r) => {
          if (r.ok) placedIds.push(String(r.body.orderId));
          else refused++;
        },
        // The loaded machine may drop a connection: that checkout is not placed (not retried: checkouts are not idempotent).
        () => void refused++,
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
    kv("orders placed", `${fmt(placedIds.length)} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${refused} refused by checkout`);
    const tRoute = performance.now();
    let routed = 0;
    const routeWaitMs = Number(args.find((a) => a.startsWith("routeWait="))?.slice(10) ?? 900) * 1000;
    while (performance.now() - tRoute < routeWaitMs) {
      routed = (await db().routingDecision.groupBy({ by: ["orderId"], where: { shop: SHOP, mode: "live" } })).length;
      // Every order in the OMS too (its orders/create may still be in the stand-in's delivery retries).
      if (routed >= placedIds.length) break;
      await sleep(500);
    }
    kv("orders routed (live decision)", `${fmt(routed)} after ${((performance.now() - tRoute) / 1000).toFixed(1)} s`);
    kv("settled before the burst in", `${(await drain(300_000)).toFixed(1)} s`);
    const rows = await db().order.findMany({ where: { shop: SHOP, sourceId: { in: placedIds } }, select: { id: true } });
    kv("orders in the OMS before the burst", `${fmt(rows.length)} of ${fmt(placedIds.length)}`);
    const heldBefore = await db().stockMovement.groupBy({
      by: ["reference"],
      where: { shop: SHOP, reference: { in: rows.map((r) => r.id) } },
      _sum: { reservedDelta: true },
    });
    kv(
      "orders holding reservations before",
      `${heldBefore.filter((h) => (h._sum.reservedDelta ?? 0) > 0).length} (${fmt(heldBefore.reduce((n, h) => n + (h._sum.reservedDelta ?? 0), 0))} units)`,
    );

    // The burst: every order cancelled, each request sent twice at once (a double click).
    const calls0 = new Map([...ops].map(([k, v]) => [k, v.calls]));
    const staff = { shop: SHOP, actor: "user:bench" };
    const outcomes = new Map<string, number>();
    const replays = { replayed: 0, second: 0 };
    const latency: number[] = [];
    let retried = 0;
    const queueOf = [...rows];
    const tBurst = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let o = queueOf.shift(); o; o = queueOf.shift()) {
          const started = performance.now();
          const key = `bench-cancel-${o.id}`;
          let [a, b] = await Promise.all([cancelOrder(staff, o.id, key, new Date()), cancelOrder(staff, o.id, key, new Date())]);
          // A failed attempt (Shopify unreachable) is tried again the way staff would: a new click, a new key.
          for (let retry = 1; retry <= 3 && (a.replayed ? b : a).status === "failed"; retry++) {
            retried++;
            await sleep(1_000);
            a = await cancelOrder(staff, o.id, `${key}-retry-${retry}`, new Date());
            b = { ...a, replayed: true };
          }
          latency.push(performance.now() - started);
          const first = a.replayed ? b : a;
          outcomes.set(
            `${first.status}${first.status === "done" ? "" : `: ${first.message.slice(0, 60)}`}`,
            (outcomes.get(`${first.status}${first.status === "done" ? "" : `: ${first.message.slice(0, 60)}`}`) ?? 0) + 1,
          );
          replays.second++;
          if (a.replayed || b.replayed) replays.replayed++;
        }
      }),
    );
    const burstS = (performance.now() - tBurst) / 1000;
    kv("burst", `${fmt(rows.length)} orders in ${burstS.toFixed(1)} s (${fmt(rows.length / burstS, 1)} cancels/s)`);
    for (const [o, n] of outcomes) kv(`  outcome ${o}`, n);
    kv("double clicks answered as replays", `${replays.replayed} of ${replays.second}`);
    kv("cancels clicked again after a failure", retried);
    console.log(summarize("cancel (both clicks answered)", latency));
    kv("settled after the burst in", `${(await drain(300_000)).toFixed(1)} s`);

    // The result: nothing held, every level as before the orders.
    const heldAfter = await db().stockMovement.groupBy({
      by: ["reference"],
      where: { shop: SHOP, reference: { in: rows.map((r) => r.id) } },
      _sum: { reservedDelta: true },
    });
    const stillHeld = heldAfter.filter((h) => (h._sum.reservedDelta ?? 0) !== 0);
    const after = await snapshot();
    const atpOff = [...before.oms].filter(([k, v]) => after.oms.get(k)?.atp !== v.atp);
    const shopifyOff = [...before.shopify].filter(([k, v]) => after.shopify.get(k)?.available !== v.available);
    const reservedLeft = [...after.oms.values()].reduce((n, l) => n + l.reserved, 0);
    const cancelledInShopify = (
      (await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as { orders: { id: string; cancelledAt: string | null }[] }
    ).orders.filter((o) => placedIds.includes(o.id) && o.cancelledAt).length;
    const refunds = await db().webhookDelivery.findMany({ where: { shop: SHOP, topic: "refunds/create" }, select: { payload: { select: { body: true } } } });
    const distinctRefunds = new Set(refunds.map((r) => String((JSON.parse(r.payload?.body ?? "{}") as { id: number | string }).id))).size;
    console.log("");
    kv("cancelled in Shopify", `${fmt(cancelledInShopify)} of ${fmt(placedIds.length)}`);
    kv("refunds made (distinct ids)", `${fmt(distinctRefunds)} for ${fmt(rows.length)} orders (each at most once)`);
    kv("orders still holding a reservation", stillHeld.length);
    kv("units still reserved at any level", reservedLeft);
    kv("levels whose ATP differs from before", `${atpOff.length} of ${before.oms.size}`);
    kv("levels whose Shopify available differs", `${shopifyOff.length} of ${before.shopify.size}`);
    for (const [k, v] of atpOff.slice(0, 5))
      console.log(
        "   atp off",
        k,
        JSON.stringify(v),
        "→",
        JSON.stringify(after.oms.get(k)),
        "shopify",
        JSON.stringify(before.shopify.get(k)),
        "→",
        JSON.stringify(after.shopify.get(k)),
      );
    for (const [k, v] of shopifyOff.slice(0, 5))
      console.log("   off", k, JSON.stringify(v), "→", JSON.stringify(after.shopify.get(k)), JSON.stringify(after.oms.get(k)));
    kv("dead letters", await db().deadLetter.count());
    for (const [name, st] of ops) {
      const c0 = calls0.get(name) ?? 0;
      if (st.calls > c0) kv(`  Admin API ${name} (burst and after)`, `${fmt(st.calls - c0)} calls`);
    }
    for (const [why, n] of failures) kv(`failed attempts (${n})`, why);
  } finally {
    standIn.child.kill("SIGTERM");
    await closeQueues();
    await app.close();
    await db().$disconnect();
    await deleteKeysWithPrefix(redis.url, world.queuePrefix);
    redis.child?.kill();
    rmSync(world.dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  await main(process.argv.slice(2));
  process.exit(0);
}
