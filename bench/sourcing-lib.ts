// Shared by sourcing-apply (the processors in the bench's process, SQLite) and sourcing-rate (the
// app as separate processes, PostgreSQL): the demo shop in the Shopify stand-in, the merchant's rule
// set that makes Shopify's native routing wrong for about half the orders, and the measurement of
// orders/create → fulfilment orders at the locations of the OMS's live decision.
//
// The app's modules are imported inside the functions: env() and db() are bound on first use, after
// the bench has set DATABASE_URL, REDIS_URL and QUEUE_PREFIX.
import type { DemoFixture } from "../dev/demo/fixture";
import type { Rng } from "../dev/demo/prng";
import type { spawnStandIn } from "./inventory-lib";
import { kv } from "./inventory-lib";
import { sleep } from "./lib";

/** Orders still unsettled this long after the last checkout are given up on (not counted as settled). */
export const GIVE_UP_MS = 60_000;

type StandIn = Awaited<ReturnType<typeof spawnStandIn>>;
type Fo = { orderId: string; location: string; status: string; lines: { remaining: number }[] };
export type Placed = { orderId: string; t0: number; lines: number; doneMs?: number; applied?: string; outcome?: string; shipments?: number };

/** POST to the stand-in, the JSON answer parsed. */
export async function postJson(standIn: StandIn, p: string, body: unknown) {
  const r = await standIn.post(p, body);
  return { ok: r.ok, status: r.status, body: (await r.json().catch(() => ({}))) as Record<string, unknown> };
}

/**
 * The demo shop seeded in the stand-in and installed: the app's offline session stored, and this
 * process's Admin API calls sent to the stand-in.
 */
export async function installDemoShop(standIn: StandIn, fixture: DemoFixture): Promise<void> {
  const { sessionStorage } = await import("~/shopify.server");
  const { redirectShopifyOrigin } = await import("~/.server/shopify/admin-origin");
  const { Session } = await import("@shopify/shopify-api");
  const SHOP = fixture.shop.domain;
  const seeded = await postJson(standIn, "/_dev/shops", fixture.shop);
  if (!seeded.ok) throw new Error(`seeding the demo shop: ${seeded.status} ${JSON.stringify(seeded.body)}`);
  const { accessToken, scope } = (await postJson(standIn, `/_dev/shops/${SHOP}/install`, {})).body as { accessToken: string; scope: string };
  await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken, scope }));
  redirectShopifyOrigin(standIn.url, "development");
}

/**
 * The initial reconcileStock (printed), then the merchant's rule set: warehouses first, stores
 * after; among equals, fewest shipments, then the closest. Returns the location names by id.
 */
export async function warehousesFirst(shop: string): Promise<Map<string, string>> {
  const { db } = await import("~/.server/db/client");
  const { activateRuleSet, saveLocationProfile } = await import("~/.server/db/sourcing");
  const { reconcileStock } = await import("~/.server/services/reconcile-stock");
  const t = performance.now();
  const report = await reconcileStock(shop, new Date());
  kv("initial reconcileStock", `${((performance.now() - t) / 1000).toFixed(1)} s: ${JSON.stringify(report)}`);
  const locations = await db().stockLocation.findMany({ where: { shop } });
  for (const l of locations) await saveLocationProfile(shop, { locationId: l.id, priority: /Warehouse/.test(l.name) ? 1 : /Store/.test(l.name) ? 5 : 9 });
  await activateRuleSet(
    shop,
    "Warehouses first",
    {
      rules: [{ type: "priority" }, { type: "fewest_shipments" }, { type: "distance" }],
      split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
      backorder: { mode: "ship_available" },
    },
    "bench",
    new Date(),
  );
  return new Map(locations.map((l) => [l.id, l.name]));
}

/** The SKUs the shoppers order: the demo catalogue without its scarce SKUs. */
export const shopperSkus = (fixture: DemoFixture) =>
  fixture.shop.products.flatMap((p) => p.variants.map((v) => v.sku)).filter((s) => !fixture.scarceSkus.includes(s));

/**
 * Places `orders` orders composed as the demo's shopper simulator composes them through the
 * stand-in's checkout at a steady `rate`, and measures each from its checkout call to the moment
 * the stand-in's fulfilment orders (those with units left) sit exactly at the locations of the OMS's
 * live decision (read from the app's database). One poller reads the fulfilment orders of the
 * outstanding orders and their decisions every `pollMs`, so each figure is up to one poll late.
 * Orders Shopify had already placed where the engine wanted ("unchanged"), and decisions rejected or
 * not applied, settle when their decision is recorded. Resolves when every order has settled or,
 * GIVE_UP_MS after the last checkout, been given up on. `wrapPoller` runs the poller (e.g. in an SQL
 * counting scope); `onStart` is called just before the first checkout.
 */
export async function placeAndWatch(opts: {
  standIn: StandIn;
  shop: string;
  names: Map<string, string>;
  fixture: DemoFixture;
  skus: string[];
  rng: Rng;
  orders: number;
  rate: number;
  pollMs: number;
  wrapPoller?: (poll: () => Promise<void>) => Promise<void>;
  onStart?: () => void;
}): Promise<{ placed: Placed[]; refused: number; sendSeconds: number; pollMs: number[] }> {
  const { db } = await import("~/.server/db/client");
  const { composeOrder } = await import("../dev/demo/shopper-simulator");
  const { standIn, shop: SHOP, names, fixture, skus, rng, orders, rate } = opts;
  const placed: Placed[] = [];
  let refused = 0;
  const outstanding = new Map<string, Placed>();
  let sending = true;
  const pollMs: number[] = [];
  const poll = async () => {
    while (sending || outstanding.size) {
      const started = performance.now();
      const ids = [...outstanding.keys()];
      const [state, rows] = await Promise.all([
        fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders?orders=${ids.join(",")}`).then((r) => r.json() as Promise<{ fulfillmentOrders: Fo[] }>),
        db().order.findMany({ where: { shop: SHOP, sourceId: { in: ids } }, select: { sourceId: true, id: true } }),
      ]);
      const decisions = await db().routingDecision.findMany({
        where: { shop: SHOP, mode: "live", orderId: { in: rows.map((r) => r.id) } },
        select: { orderId: true, applied: true, outcome: true, shipments: true, plan: true },
      });
      const now = performance.now();
      pollMs.push(now - started);
      const bySource = new Map(rows.map((r) => [r.id, r.sourceId]));
      const fos = new Map<string, Fo[]>();
      for (const f of state.fulfillmentOrders) if (f.lines.some((l) => l.remaining > 0)) fos.set(f.orderId, [...(fos.get(f.orderId) ?? []), f]);
      for (const d of decisions) {
        const p = outstanding.get(bySource.get(d.orderId)!);
        if (!p) continue;
        Object.assign(p, { applied: d.applied, outcome: d.outcome, shipments: d.shipments });
        const wanted = new Set(((JSON.parse(d.plan) as { assignments?: { locationId: string }[] }).assignments ?? []).map((a) => names.get(a.locationId)));
        const at = new Set<string | undefined>((fos.get(p.orderId) ?? []).map((f) => f.location));
        const matches = wanted.size === at.size && [...wanted].every((n) => at.has(n));
        if (d.applied === "unchanged" || (d.applied === "applied" && matches) || d.applied === "rejected" || d.applied === "not_applied") {
          p.doneMs = now - p.t0;
          outstanding.delete(p.orderId);
        }
      }
      for (const [id, p] of outstanding) if (!sending && now - p.t0 > GIVE_UP_MS) outstanding.delete(id);
      await sleep(Math.max(0, opts.pollMs - (performance.now() - started)));
    }
  };
  const poller = opts.wrapPoller ? opts.wrapPoller(poll) : poll();
  // Awaited below; a failure before then (the stand-in gone) must reach the caller, not kill the process.
  poller.catch(() => {});

  opts.onStart?.();
  const t0 = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < orders; i++) {
    const due = t0 + (i * 1000) / rate;
    if (due - performance.now() > 1) await sleep(due - performance.now());
    const request = composeOrder(rng, fixture.shoppers, skus);
    const started = performance.now();
    // Shoppers do not wait for each other: checkouts overlap when one is slow.
    const checkout = postJson(standIn, `/_dev/shops/${SHOP}/checkout`, request).then((r) => {
      if (!r.ok) return void refused++;
      const p: Placed = { orderId: String(r.body.orderId), t0: started, lines: request.lines.length };
      placed.push(p);
      outstanding.set(p.orderId, p);
    });
    checkout.catch(() => {}); // awaited below, with the others
    inFlight.add(checkout);
  }
  await Promise.all(inFlight);
  const sendSeconds = (performance.now() - t0) / 1000;
  sending = false;
  await poller;
  return { placed, refused, sendSeconds, pollMs };
}
