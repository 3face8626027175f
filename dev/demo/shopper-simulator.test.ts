import { describe, expect, it } from "vitest";
import { demoFixture } from "./fixture";
import { createRng } from "./prng";
import { composeOrder, startShopperSimulator } from "./shopper-simulator";
import type { CheckoutOutcome } from "./standin-client";
import type { CheckoutRequest } from "./standin-contract";

const fixture = demoFixture();
const skus = fixture.shop.products.flatMap((p) => p.variants.map((v) => v.sku));

/** A clock that only moves when the simulator sleeps (or a checkout takes time). */
function fakeClock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms: number) => void (t += ms),
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
  };
}

describe("shopper simulator", () => {
  it("composes 1–4 distinct lines, mostly single units, to a fixture shopper", () => {
    const rng = createRng(1);
    const orders = Array.from({ length: 500 }, () => composeOrder(rng, fixture.shoppers, skus));
    const lines = orders.flatMap((o) => o.lines);
    for (const o of orders) {
      expect(o.lines.length).toBeGreaterThanOrEqual(1);
      expect(o.lines.length).toBeLessThanOrEqual(4);
      expect(new Set(o.lines.map((l) => l.sku)).size).toBe(o.lines.length);
      expect(fixture.shoppers.some((s) => s.email === o.email && s.address.zip === o.shippingAddress.zip)).toBe(true);
    }
    expect(lines.filter((l) => l.quantity === 1).length / lines.length).toBeGreaterThan(0.75);
    expect(orders.filter((o) => o.lines.length === 1).length / orders.length).toBeGreaterThan(0.4);
    expect(orders.some((o) => o.lines.length === 4)).toBe(true);
  });

  it("places N orders, one per interval measured from the start", async () => {
    const clock = fakeClock();
    const placedAt: number[] = [];
    const requests: CheckoutRequest[] = [];
    const placeOrder = async (request: CheckoutRequest): Promise<CheckoutOutcome> => {
      placedAt.push(clock.now());
      requests.push(request);
      clock.advance(300); // the checkout takes 300 ms; the rate must not drift
      return { ok: true, order: { orderId: `gid://shopify/Order/${requests.length}`, name: `#${1000 + requests.length}`, fulfillmentOrderIds: ["x"] } };
    };
    const logs: string[] = [];
    const sim = startShopperSimulator({
      placeOrder,
      shoppers: fixture.shoppers,
      skus,
      intervalMs: 2000,
      rng: createRng(2),
      maxOrders: 10,
      log: (l) => logs.push(l),
      ...clock,
    });
    const stats = await sim.done;
    expect(stats).toEqual({ attempted: 10, placed: 10, outOfStock: 0, failed: 0 });
    const start = placedAt[0] ?? 0;
    expect(placedAt.map((t) => t - start)).toEqual(Array.from({ length: 10 }, (_, i) => i * 2000));
    expect(clock.sleeps.every((ms) => ms === 1700)).toBe(true);
    expect(logs).toHaveLength(10);
    expect(logs[0]).toMatch(/^order #1001: .+ → .+, [A-Z]{2} \(1 fulfillment order\(s\)\)$/);
  });

  it("does not burst to catch up after a slow checkout", async () => {
    const clock = fakeClock();
    const placedAt: number[] = [];
    const sim = startShopperSimulator({
      placeOrder: async () => {
        placedAt.push(clock.now());
        clock.advance(placedAt.length === 2 ? 5000 : 10);
        return { ok: true, order: { orderId: "o", name: "#1", fulfillmentOrderIds: [] } };
      },
      shoppers: fixture.shoppers,
      skus,
      intervalMs: 1000,
      rng: createRng(3),
      maxOrders: 4,
      log: () => {},
      ...clock,
    });
    await sim.done;
    const start = placedAt[0] ?? 0;
    expect(placedAt.map((t) => t - start)).toEqual([0, 1000, 6000, 7000]);
  });

  it("counts out-of-stock (422) and failed checkouts and keeps going", async () => {
    const clock = fakeClock();
    let n = 0;
    const sim = startShopperSimulator({
      placeOrder: async () => {
        n++;
        if (n === 2) return { ok: false, status: 422, error: "TEE-001-CRM-XS is out of stock" };
        if (n === 3) throw new Error("connection refused");
        if (n === 4) return { ok: false, status: 500, error: "boom" };
        return { ok: true, order: { orderId: "o", name: `#${n}`, fulfillmentOrderIds: [] } };
      },
      shoppers: fixture.shoppers,
      skus,
      intervalMs: 500,
      rng: createRng(4),
      maxOrders: 6,
      log: () => {},
      ...clock,
    });
    expect(await sim.done).toEqual({ attempted: 6, placed: 3, outOfStock: 1, failed: 2 });
  });

  it("stops cleanly in the middle of a wait, with real timers", async () => {
    let placed = 0;
    const sim = startShopperSimulator({
      placeOrder: async () => {
        placed++;
        return { ok: true, order: { orderId: "o", name: "#1", fulfillmentOrderIds: [] } };
      },
      shoppers: fixture.shoppers,
      skus,
      intervalMs: 60_000,
      rng: createRng(5),
      log: () => {},
    });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const stats = await sim.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(placed).toBe(1);
    expect(stats.placed).toBe(1);
  });

  it("refuses a non-positive interval", () => {
    expect(() =>
      startShopperSimulator({
        placeOrder: async () => ({ ok: false, status: 500, error: "" }),
        shoppers: fixture.shoppers,
        skus,
        intervalMs: 0,
        rng: createRng(1),
      }),
    ).toThrow(/intervalMs/);
  });
});
