// The SP-API limiter is Amazon's token bucket, in Redis, shared by every process: a burst of
// `burst` calls, then one per 1/rate s, a 429 empties it, and a rate Amazon returns applies at once.
// Real Redis (the run's prefix), one seller per test. Waits are checked against bounds the clock
// cannot break: the script runs on Redis's clock, between the moments the client sent and got back
// its calls, so the client's elapsed time bounds Redis's from above (and a sleep between a reply and
// the next call bounds it from below).
import Redis from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { budget, closeAmazonRedis, DEFAULT_PLANS, learnRate, penalise, tryAcquire, type SpOperation } from "~/.server/amazon/rate-limit";

const seller = (what: string) => `A9RL${what.toUpperCase()}${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const perToken = (rate: number) => 1000 / rate;

/** Calls until the first refusal; the grants and the refusal's wait. */
async function drain(sellerId: string, op: SpOperation, max = 1000) {
  let granted = 0;
  for (let i = 0; i < max; i++) {
    const sentAt = performance.now();
    const wait = await tryAcquire(sellerId, op);
    if (wait !== null) return { granted, wait, refusalSentAt: sentAt };
    granted++;
  }
  throw new Error(`${op}: never refused after ${max} calls`);
}

describe("the SP-API limiter is Amazon's token bucket, shared through Redis", () => {
  const other = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 3 });
  afterAll(async () => {
    other.disconnect();
    await closeAmazonRedis();
  });

  it("grants searchOrders' burst of 20, then refuses with the wait for one token at 0.0056/s (178.6 s)", async () => {
    const s = seller("search");
    const t0 = performance.now();
    const { granted, wait } = await drain(s, "searchOrders");
    const elapsed = performance.now() - t0;
    expect(granted).toBe(DEFAULT_PLANS.searchOrders.burst);
    const full = perToken(DEFAULT_PLANS.searchOrders.rate); // 178 571.4 ms
    expect(wait).toBeLessThanOrEqual(Math.ceil(full));
    expect(wait).toBeGreaterThanOrEqual(full - elapsed - 1);
    // Refused calls take nothing: the wait only shrinks.
    const again = await tryAcquire(s, "searchOrders");
    expect(again).not.toBeNull();
    expect(again!).toBeLessThanOrEqual(wait);
    const b = await budget(s, "searchOrders");
    expect(b).toMatchObject({ plan: DEFAULT_PLANS.searchOrders, remaining: 0 });
    expect(b.nextTokenMs).toBeGreaterThan(0);
    expect(b.nextTokenMs).toBeLessThanOrEqual(Math.ceil(full));
  });

  it("grants confirmShipment's burst of 10, refuses the 11th for at most 500 ms, and the Amazon page sees the bucket", async () => {
    const s = seller("confirm");
    expect(await budget(s, "confirmShipment")).toEqual({ plan: DEFAULT_PLANS.confirmShipment, remaining: 10, nextTokenMs: 0 }); // untouched: full
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) expect(await tryAcquire(s, "confirmShipment")).toBeNull();
    const after3 = await budget(s, "confirmShipment");
    expect(after3.remaining).toBeGreaterThanOrEqual(7);
    expect(after3.remaining).toBeLessThanOrEqual(Math.floor(7 + (2 * (performance.now() - t0)) / 1000));
    const { granted, wait } = await drain(s, "confirmShipment");
    const elapsed = performance.now() - t0;
    // Refill during the run may add a call; never more than the refill allows.
    expect(3 + granted).toBeGreaterThanOrEqual(10);
    expect(3 + granted).toBeLessThanOrEqual(10 + Math.floor((2 * elapsed) / 1000));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(500);
  });

  it("refills at the rate: after a pause, the calls it grants are those the rate has put back", async () => {
    const s = seller("refill");
    await learnRate(s, "getListingsItem", "20"); // 50 ms per token, burst 10
    const { refusalSentAt } = await drain(s, "getListingsItem"); // < 1 token left
    await sleep(300); // ≥ 300 ms on Redis's clock between the refusal and the next call: ≥ 6 tokens
    const { granted, wait } = await drain(s, "getListingsItem");
    const elapsed = performance.now() - refusalSentAt;
    expect(granted).toBeGreaterThanOrEqual(6);
    expect(granted).toBeLessThanOrEqual(Math.min(10, Math.floor(1 + (20 * elapsed) / 1000)));
    expect(wait).toBeLessThanOrEqual(50);
  });

  it("never grants more than burst + rate × elapsed to concurrent callers on two connections", async () => {
    const s = seller("concurrent");
    await learnRate(s, "getListingsItem", "20", other); // 20 /s, burst 10: a learnt rate set by another process
    const t0 = performance.now();
    let granted = 0;
    let refused = 0;
    for (let round = 0; round < 12; round++) {
      const calls = Array.from({ length: 24 }, (_, i) => tryAcquire(s, "getListingsItem", i % 2 ? other : undefined));
      for (const w of await Promise.all(calls)) {
        if (w === null) granted++;
        else {
          refused++;
          expect(w).toBeGreaterThan(0);
          expect(w).toBeLessThanOrEqual(50);
        }
      }
      const elapsed = performance.now() - t0;
      expect(granted).toBeLessThanOrEqual(10 + Math.floor((20 * elapsed) / 1000));
      await sleep(40);
    }
    expect(granted).toBeGreaterThanOrEqual(10); // the burst, at least
    expect(refused).toBeGreaterThan(0);
    // A burst of the default plan (getOrder: 30, 0.5/s) raced by 100 callers: exactly the burst (and what 0.5/s adds).
    const g = seller("race");
    const t1 = performance.now();
    const race = await Promise.all(Array.from({ length: 100 }, (_, i) => tryAcquire(g, "getOrder", i % 2 ? other : undefined)));
    const won = race.filter((w) => w === null).length;
    expect(won).toBeGreaterThanOrEqual(30);
    expect(won).toBeLessThanOrEqual(30 + Math.floor((0.5 * (performance.now() - t1)) / 1000));
  });

  it("after a 429 nobody calls until a token has come back, even with the bucket full", async () => {
    const s = seller("penalise");
    await learnRate(s, "getListingsItem", "2"); // 500 ms per token
    const t0 = performance.now();
    const ms = await penalise(s, "getListingsItem");
    expect(ms).toBe(500);
    const wait = await tryAcquire(s, "getListingsItem", other); // another process is held too
    expect(wait).not.toBeNull();
    expect(wait!).toBeLessThanOrEqual(500);
    expect(wait!).toBeGreaterThanOrEqual(500 - (performance.now() - t0) - 1);
    expect((await budget(s, "getListingsItem")).remaining).toBe(0);
    await sleep(520);
    // What came back is what 2/s refilled from an empty bucket since the 429 (1 on an idle machine), not the burst.
    const { granted } = await drain(s, "getListingsItem");
    expect(granted).toBeGreaterThanOrEqual(1);
    expect(granted).toBeLessThanOrEqual(Math.floor((2 * (performance.now() - t0)) / 1000));
  });

  it("applies the rate Amazon returns (x-amzn-RateLimit-Limit) from then on, and ignores a header that is not a rate", async () => {
    const s = seller("learn");
    const { granted, wait } = await drain(s, "getOrder"); // default 0.5/s, burst 30
    expect(granted).toBe(30);
    expect(wait).toBeGreaterThan(1000); // ~2 s for a token at 0.5/s
    for (const bad of [null, "", "abc", "0", "-3"]) await learnRate(s, "getOrder", bad);
    expect((await budget(s, "getOrder")).plan.rate).toBe(0.5);
    await learnRate(s, "getOrder", "100");
    expect((await budget(s, "getOrder")).plan).toEqual({ rate: 100, burst: 30 });
    const now = await tryAcquire(s, "getOrder");
    expect(now === null || now <= 10).toBe(true); // 10 ms per token now, not 2 s
    await sleep(60);
    expect(await tryAcquire(s, "getOrder")).toBeNull();
    // Other sellers keep the default plan.
    expect((await budget(seller("learn-other"), "getOrder")).plan.rate).toBe(0.5);
  });
});
