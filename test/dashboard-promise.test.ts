// The dashboard's promised-vs-actual rows come from the delivery promise's own KPIs: per carrier
// and per destination zone, kept (delivered on or before the promised latest day) and late.
import { describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { promiseKpisOrNull } from "~/.server/services/ops/promise-kpis";

const SHOP = "dashboard-promise.myshopify.com";
const day = (d: number, h = 12) => new Date(Date.UTC(2026, 10, d, h));

async function promise(orderId: string, carrier: string, zone: string, latest: string, deliveredAt: Date | null) {
  await db().orderPromise.create({
    data: {
      orderId,
      shop: SHOP,
      promiseId: `p-${orderId}`,
      source: "verified",
      carrier,
      destinationZone: zone,
      earliest: "2026-11-03",
      latest,
      promisedAt: day(1),
      reason: "test",
      deliveredAt,
    },
  });
}

describe("dashboard: promised vs actual", () => {
  it("is empty until a promised order is delivered, then counts kept and late per carrier and zone", async () => {
    expect(await promiseKpisOrNull(SHOP, day(1, 0), day(30))).toBeNull();
    await promise("o1", "UPS", "US-TX", "2026-11-05", day(4));
    await promise("o2", "UPS", "US-CA", "2026-11-05", day(7));
    await promise("o3", "USPS", "US-TX", "2026-11-05", day(5));
    await promise("o4", "USPS", "US-TX", "2026-11-05", null);
    const rows = await promiseKpisOrNull(SHOP, day(1, 0), day(30));
    expect(rows).toEqual(
      expect.arrayContaining([
        { carrier: "UPS", zone: "all zones", promised: 2, onTime: 1, late: 1, onTimeRate: 50 },
        { carrier: "USPS", zone: "all zones", promised: 1, onTime: 1, late: 0, onTimeRate: 100 },
        { carrier: "all carriers", zone: "US-TX", promised: 2, onTime: 2, late: 0, onTimeRate: 100 },
        { carrier: "all carriers", zone: "US-CA", promised: 1, onTime: 0, late: 1, onTimeRate: 0 },
      ]),
    );
    expect(rows).toHaveLength(4);
  });
});
