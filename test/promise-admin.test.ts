import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { saveOrderPromise } from "~/.server/db/promise";
import { checkRoutedPromise } from "~/.server/services/promise/order-promise";
import { closePromiseCache } from "~/.server/services/promise/promise-cache";
import { promiseKpis } from "~/.server/services/promise/promise-kpis";
import { quotePromise } from "~/.server/services/promise/quote-promise";
import { editTransitTime } from "~/.server/services/promise/transit-admin";
import { decideSourcing } from "~/domain/sourcing/decide-sourcing";
import { DALLAS, RENO, seedPromiseShop, TEE } from "./helpers/promise-shop";

const SHOP = `promise-admin-${Date.now()}.myshopify.com`;
// Tuesday 1 December 2026, 10:00 in Dallas.
const NOW = new Date("2026-12-01T16:00:00Z");
const okc = { countryCode: "US", provinceCode: "OK", zip: "73102" };

describe("transit times, promise at risk, promised vs actual", () => {
  beforeAll(async () => {
    await seedPromiseShop(SHOP, NOW, { tee: { [RENO]: 5 } });
  });
  afterAll(async () => {
    await closePromiseCache();
  });

  it("refuses an invalid transit time with reasons, and audits a valid one with the staff member", async () => {
    const bad = await editTransitTime(
      SHOP,
      { originLocationId: RENO, zone: "usa", methodCode: "standard", minDays: 4, maxDays: 2, remove: false },
      "user:42",
      NOW,
    );
    expect(bad.ok ? [] : bad.error).toEqual(["maximum days must be at least the minimum", 'zone must be "*", a country code ("US") or a region ("US-CA")']);
    const unknown = await editTransitTime(
      SHOP,
      { originLocationId: "gid://shopify/Location/999", zone: "US", methodCode: "drone", minDays: 1, maxDays: 1, remove: false },
      "user:42",
      NOW,
    );
    expect(unknown.ok ? [] : unknown.error).toEqual(["origin must be one of the shop's locations", "method must be one of standard, express"]);

    expect(
      (await editTransitTime(SHOP, { originLocationId: RENO, zone: "us-ok", methodCode: "standard", minDays: 3, maxDays: 4, remove: false }, "user:42", NOW))
        .ok,
    ).toBe(true);
    const row = await db().transitTime.findFirstOrThrow({ where: { shop: SHOP, originLocationId: RENO } });
    expect(row).toMatchObject({ zone: "US-OK", minDays: 3, maxDays: 4, updatedBy: "user:42" });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { shop: SHOP, subject: "transit-times" } });
    expect(audit).toMatchObject({ actor: "user:42", summary: "Transit time Reno NV → US-OK (standard): 3–4 business days" });

    // The promise now uses the shop's own entry for Reno → Oklahoma.
    const { view } = await quotePromise(SHOP, { lines: [{ variantId: TEE.variantId, quantity: 1 }], address: okc }, NOW);
    expect(view.parcels.map((p) => [p.location, p.shipDate])).toEqual([["Reno NV", "2026-12-01"]]);
    expect(view.windows.find((w) => w.method === "standard")).toMatchObject({ earliest: "2026-12-04", latest: "2026-12-07" });
  });

  it("routing that misses the promise puts the order in the exception queue once, with the explanation", async () => {
    const orderId = `order-${Date.now()}`;
    await saveOrderPromise(SHOP, {
      orderId,
      promiseId: "dp_test",
      source: "verified",
      methodCode: "standard",
      carrier: "UPS",
      destinationZone: "US-OK",
      earliest: "2026-12-02",
      latest: "2026-12-03",
      promisedAt: NOW,
      reason: "",
      parcels: [],
    });
    const { candidates, lines } = await routedFromReno();
    const req = {
      lines,
      destination: { countryCode: "US", provinceCode: "OK", latitude: 35.47, longitude: -97.52 },
      delivery: { method: "ship" as const },
      locations: candidates,
      ruleSet: {
        id: "default",
        version: 0,
        rules: [{ type: "priority" as const }],
        split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
        backorder: { mode: "ship_available" as const },
      },
      now: NOW,
    };
    const plan = decideSourcing(req);
    if (!plan.ok) throw new Error("no plan");
    expect(await checkRoutedPromise(SHOP, orderId, req, plan.value, NOW)).toBe("at_risk");
    expect(await checkRoutedPromise(SHOP, orderId, req, plan.value, NOW)).toBe("at_risk");
    const items = await db().opsException.findMany({ where: { shop: SHOP, kind: "promise_at_risk", subjectKey: orderId } });
    expect(items).toHaveLength(1);
    expect(items[0]!.summary).toBe(
      "Delivery promise at risk: promised by 2026-12-03 (standard); routed as Reno NV ships 2026-12-01, arriving 2026-12-04–2026-12-07: 4 days late at worst",
    );
    void DALLAS;
  });

  it("promiseKpis: kept % and actual − promised by carrier and zone", async () => {
    const base = {
      source: "verified" as const,
      methodCode: "standard",
      carrier: "UPS",
      destinationZone: "US-TX",
      earliest: "2026-12-02",
      latest: "2026-12-04",
      promisedAt: NOW,
      reason: "",
      parcels: [],
    };
    await saveOrderPromise(SHOP, { ...base, orderId: "k1", promiseId: "dp_k1" });
    await saveOrderPromise(SHOP, { ...base, orderId: "k2", promiseId: "dp_k2" });
    await db().orderPromise.update({ where: { orderId: "k1" }, data: { deliveredAt: new Date("2026-12-03T18:00:00Z"), shipCarrier: "UPS" } });
    await db().orderPromise.update({ where: { orderId: "k2" }, data: { deliveredAt: new Date("2026-12-06T18:00:00Z"), shipCarrier: "UPS" } });
    const k = await promiseKpis(SHOP, new Date("2026-11-01"), new Date("2027-01-01"));
    expect(k.byZone.find((z) => z.key === "US-TX")).toMatchObject({ delivered: 2, kept: 1, keptPct: 50 });
  });
});

async function routedFromReno() {
  const { loadCandidatesForTest } = await import("./helpers/promise-candidates");
  return loadCandidatesForTest(SHOP, NOW);
}
