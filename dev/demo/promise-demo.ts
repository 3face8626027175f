// The delivery promise in the demo (npm run demo; off with DEMO_PROMISE=0):
//  - promise shoppers: every DEMO_PROMISE_INTERVAL_MS (default 5000) a shopper asks the app for the
//    promise as the checkout extension does (checkout session token → POST /api/promise), picks
//    Standard or Express, and places the order with the promise as its cart attribute;
//  - a simulated warehouse: it starts every open fulfilment order after ~10 s, ships it with
//    tracking ~10 s later, and has the carrier deliver it ~20 s after that, on a simulated clock
//    where days pass in seconds: most parcels arrive inside their promise, some late — so the
//    Delivery promise page's "promise kept %" and actual − promised have real data.
import { createRng } from "./prng";
import { StandInClient } from "./standin-client";
import type { Shopper } from "./fixture-shoppers";

type Options = { standInUrl: string; appUrl: string; shop: string; shoppers: readonly Shopper[]; intervalMs: number; seed: number };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function startPromiseDemo(o: Options) {
  const client = new StandInClient(o.standInUrl);
  const rng = createRng(o.seed);
  let stopped = false;
  const stats = { promised: 0, placed: 0, shipped: 0, delivered: 0, late: 0 };

  async function shopperLoop() {
    const variants = await client.variants(o.shop);
    while (!stopped) {
      try {
        const shopper = rng.pick(o.shoppers);
        const lines = Array.from({ length: rng.int(1, 2) }, () => ({ v: rng.pick(variants), q: rng.int(1, 2) }));
        const a = shopper.address;
        const token = await client.checkoutToken(o.shop);
        const res = await fetch(`${o.appUrl}/api/promise`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "user-agent": "Mozilla/5.0 (demo shopper) Chrome/130.0" },
          body: JSON.stringify({
            lines: lines.map((l) => ({ variantId: l.v.id, quantity: l.q, unitPriceMinor: l.v.priceMinor })),
            address: { countryCode: a.countryCode, provinceCode: a.provinceCode, zip: a.zip },
          }),
        });
        const promise = res.ok
          ? ((await res.json()) as { id: string; zone: string; confidence: string; windows: { method: string; earliest: string; latest: string }[] })
          : null;
        const express = rng.chance(0.3);
        const w = promise?.windows.find((x) => x.method === (express ? "express" : "standard"));
        const attributes =
          promise && w && promise.confidence !== "none"
            ? [{ key: "_delivery_promise", value: JSON.stringify({ id: promise.id, m: w.method, e: w.earliest, l: w.latest, z: promise.zone }) }]
            : [];
        if (attributes.length) stats.promised++;
        const placed = await fetch(`${o.standInUrl}/_dev/shops/${encodeURIComponent(o.shop)}/checkout`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            lines: lines.map((l) => ({ variantId: l.v.id, quantity: l.q })),
            shippingAddress: a,
            email: shopper.email,
            shippingMethod: express ? "Express" : "Standard",
            attributes,
          }),
        });
        if (placed.ok) stats.placed++;
        await placed.body?.cancel();
      } catch (e) {
        console.warn(`promise shopper: ${e instanceof Error ? e.message : e}`);
      }
      await sleep(o.intervalMs);
    }
  }

  // Simulated clock for carrier scans: a parcel's transit is drawn in days (mostly 1–4, sometimes 6–8).
  const seen = new Map<string, { status: string; since: number; shippedAt?: number }>();
  async function warehouseLoop() {
    while (!stopped) {
      try {
        const now = Date.now();
        for (const fo of await client.fulfillmentOrders(o.shop)) {
          const s = seen.get(fo.id);
          if (!s || s.status !== fo.status) {
            seen.set(fo.id, { ...s, status: fo.status, since: now });
            continue;
          }
          const waited = now - s.since;
          if (fo.status === "OPEN" && waited > 10_000) await client.fulfillmentEvent(o.shop, fo.id, "start");
          else if (fo.status === "IN_PROGRESS" && waited > 10_000) {
            if (await client.fulfillmentEvent(o.shop, fo.id, "ship", { company: rng.pick(["UPS", "FedEx", "USPS"]), number: `1Z${fo.id.split("/").pop()}` }))
              stats.shipped++;
          } else if (fo.status === "CLOSED" && waited > 20_000 && !s.shippedAt) {
            const late = rng.chance(0.2);
            const days = late ? rng.int(6, 8) : rng.int(1, 4);
            const at = new Date(now + days * 86_400_000 + rng.int(9, 18) * 3_600_000);
            if (await client.fulfillmentEvent(o.shop, fo.id, "deliver", { at: at.toISOString() })) {
              stats.delivered++;
              if (late) stats.late++;
            }
            s.shippedAt = now;
          }
        }
      } catch (e) {
        console.warn(`warehouse: ${e instanceof Error ? e.message : e}`);
      }
      await sleep(3_000);
    }
  }

  const done = Promise.all([shopperLoop(), warehouseLoop()]).then(() => stats);
  return { stats, done, stop: () => void (stopped = true) };
}
