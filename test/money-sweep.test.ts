// The money sweep (finance/money-sweep.ts): a new paid order's captures are posted by its shop's
// sweep, which reads the window's paid orders in one bulk query instead of an order read each.
// The app, the dev shop and the worker run for real; the sweep's own job is recorded, not run, so
// each test drives the sweep itself, step by step, against the dev shop.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { jobs } from "~/.server/queue/definitions";
import { closeQueues, queue } from "~/.server/queue/queues";
import { startProcessing } from "~/.server/queue/worker";
import { adminFor, type AdminGraphql } from "~/.server/shopify/admin";
import { BULK_RUN_QUERY } from "~/.server/shopify/documents/bulk";
import { catchUpMoneySweep, densest, sweepOrderMoney, type SweepReport } from "~/.server/services/finance/money-sweep";
import type { SweepOrderMoneyPayload } from "~/schemas/jobs";
import { austin } from "../dev/shopify-local/test-helpers";
import { createWebhookDispatcher } from "../dev/shopify-local/webhook-dispatcher";
import { processors } from "../jobs/processors";
import { appServer } from "./helpers/app-server";
import { APP_SECRET, devShop } from "./helpers/dev-shop";
import { shopSettled, waitFor } from "./helpers/wait";

// One shop: each test leaves nothing due for the next.
const SHOP = "money-sweep.myshopify.com";
const requested: SweepOrderMoneyPayload[] = [];
let post: (path: string, body: unknown) => Promise<Response>;
let closeAll: () => Promise<void>;
let dispatcher: ReturnType<typeof createWebhookDispatcher>;

beforeAll(async () => {
  const app = await appServer();
  dispatcher = createWebhookDispatcher({ appUrl: app.url, apiSecret: APP_SECRET, retryScheduleMs: [200, 400, 800], faults: {} });
  const dev = await devShop(SHOP, { webhookSink: dispatcher });
  post = dev.post;
  startProcessing({
    ...processors,
    sweepOrderMoney: async (p) => {
      requested.push(p);
      return {};
    },
  });
  closeAll = async () => {
    dispatcher.close();
    await closeQueues();
    await dev.standIn.close();
    await app.close();
  };
}, 60_000);
afterAll(() => closeAll());

type Call = { operation: string; points: number };
/** The shop's Admin API, each call's operation and charged points noted. */
async function recordingAdmin(shop: string, calls: Call[], before?: (operation: string) => Promise<void>): Promise<AdminGraphql> {
  const admin = await adminFor(shop);
  return (async (doc: string, opts?: Parameters<AdminGraphql>[1]) => {
    const operation = /(?:query|mutation)\s+(\w+)/.exec(doc)?.[1] ?? "?";
    await before?.(operation);
    const res = await admin(doc, opts);
    const body = (await res.clone().json()) as { extensions?: { cost?: { actualQueryCost?: number } } };
    calls.push({ operation, points: body.extensions?.cost?.actualQueryCost ?? 0 });
    return res;
  }) as AdminGraphql;
}

async function placePaidOrders(shop: string, n: number, extras?: Record<string, unknown>): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await post(`/_dev/shops/${shop}/checkout`, {
      lines: [{ sku: "TEE-M", quantity: 2 }],
      shippingAddress: austin,
      email: `sweep-${i}@example.com`,
      ...(extras && i === 0 ? { extras } : {}),
    });
    expect(res.ok).toBe(true);
    ids.push(((await res.json()) as { orderId: string }).orderId);
  }
  // Taken in, and paid, by the app's intake (the webhooks, for real).
  await waitFor(
    async () => ((await db().order.count({ where: { shop, sourceId: { in: ids }, financialStatus: "paid" } })) === n ? true : undefined),
    20_000,
    `${n} paid orders taken in`,
  );
  return ids;
}

/** Runs the sweep to its end: its first step, then each wait for its bulk query (as its queued jobs would). */
async function sweepToEnd(shop: string, graphql: AdminGraphql): Promise<SweepReport[]> {
  const steps: SweepReport[] = [];
  let step = await sweepOrderMoney({ shop, reason: "test" }, new Date(), graphql);
  steps.push(step);
  for (let poll = 1; step.waiting && step.bulk; poll++) {
    await new Promise((r) => setTimeout(r, 250));
    step = await sweepOrderMoney({ shop, reason: "test", bulkId: step.bulk, poll }, new Date(), graphql);
    steps.push(step);
  }
  return steps;
}

const capturesOf = (shop: string) =>
  db().financePosting.findMany({
    where: { shop, kind: "capture" },
    orderBy: { matchKey: "asc" },
    select: { orderId: true, amountMinor: true, currency: true, presentmentMinor: true, presentmentCurrency: true },
  });

describe("the money sweep", { timeout: 60_000 }, () => {
  it("posts the captures of a window's paid orders from one bulk query, each once, and asks Shopify for no order's money", async () => {
    const shop = SHOP;
    const ids = await placePaidOrders(shop, 5, { presentment: { currency: "CAD", rate: 1.25 } });
    // An order only authorised (captured later, by hand) has no captures to wait for: it is not due.
    const authorised = (await (
      await post(`/_dev/shops/${shop}/checkout`, {
        lines: [{ sku: "TEE-M", quantity: 1 }],
        shippingAddress: austin,
        email: "authorised@example.com",
        extras: { payment: { gateway: "manual_capture" } },
      })
    ).json()) as { orderId: string };
    await waitFor(
      async () => (await db().order.findFirst({ where: { shop, sourceId: authorised.orderId, financialStatus: "authorized" } })) ?? undefined,
      20_000,
      "the authorised order taken in",
    );
    // The intake asked for the shop's sweep (its window's job), and read no money itself.
    await waitFor(async () => requested.some((p) => p.shop === shop && /^w\d+$/.test(p.reason)) || undefined, 5_000, "the sweep asked for");
    expect(await db().financePosting.count({ where: { shop } })).toBe(0);

    const calls: Call[] = [];
    const steps = await sweepToEnd(shop, await recordingAdmin(shop, calls));
    expect(steps[0]).toMatchObject({ due: 5, posted: 0, waiting: true });
    expect(steps.at(-1)).toMatchObject({ due: 5, posted: 5 });
    expect(calls.map((c) => c.operation).filter((o) => o !== "BulkOperationStatus")).toEqual(["BulkRunQuery"]);
    expect(calls.some((c) => c.operation === "OmsOrderMoney")).toBe(false);
    // A bulk mutation and its looks, whatever the number of orders: 5 order reads would cost 25.
    const points = calls.reduce((n, c) => n + c.points, 0);
    expect(points).toBeLessThan(5 * 5);

    const orders = new Map((await db().order.findMany({ where: { shop, sourceId: { in: ids } } })).map((o) => [o.id, o.sourceId]));
    const captures = await capturesOf(shop);
    expect(captures.map((c) => orders.get(c.orderId ?? "")).sort()).toEqual([...ids].sort());
    // The first order was paid in CAD: its capture carries both currencies.
    const cad = captures.find((c) => orders.get(c.orderId ?? "") === ids[0])!;
    expect([cad.amountMinor, cad.currency, cad.presentmentMinor, cad.presentmentCurrency]).toEqual([5795n, "USD", 7244n, "CAD"]);
    for (const id of orders.keys()) expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: id } })).toMatchObject({ capturedMinor: 5795n });

    // Nothing is due any more: a second sweep reads nothing and posts nothing twice.
    const again: Call[] = [];
    expect(await sweepToEnd(shop, await recordingAdmin(shop, again))).toEqual([{ due: 0, posted: 0 }]);
    expect(again).toEqual([]);
    expect(await db().financePosting.count({ where: { shop, kind: "capture" } })).toBe(5);
  });

  it("reads the money of fewer orders than a bulk query is worth order by order; two sweeps at once post it once", async () => {
    const shop = SHOP;
    const [id] = await placePaidOrders(shop, 1);
    const calls: Call[] = [];
    const admin = await recordingAdmin(shop, calls);
    // Two workers' sweeps of the same window's order, at once: both read it, and it is posted once.
    const both = await Promise.all([sweepToEnd(shop, admin), sweepToEnd(shop, admin)]);
    expect(both).toEqual([[{ due: 1, posted: 1 }], [{ due: 1, posted: 1 }]]);
    expect(calls.map((c) => c.operation)).toEqual(["OmsOrderMoney", "OmsOrderMoney"]);
    const order = await db().order.findFirstOrThrow({ where: { shop, sourceId: id! } });
    expect((await capturesOf(shop)).filter((c) => c.orderId === order.id).map((c) => c.amountMinor)).toEqual([5795n]);
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ capturedMinor: 5795n, refundedMinor: 0n });
    expect(await sweepOrderMoney({ shop, reason: "later" }, new Date(), admin)).toEqual({ due: 0, posted: 0 });
  });

  it("waits while another bulk query of the app runs, then reads order by order; a read that fails leaves the orders due", async () => {
    const shop = SHOP;
    const before = await db().financePosting.count({ where: { shop, kind: "capture" } });
    await placePaidOrders(shop, 4);
    // Another bulk query (a backfill's, say) starts just before each of the sweep's.
    const calls: Call[] = [];
    const admin = await adminFor(shop);
    const busy = await recordingAdmin(shop, calls, async (operation) => {
      if (operation === "BulkRunQuery") await admin(BULK_RUN_QUERY, { variables: { query: "{ orders { edges { node { id } } } }" } });
    });
    const first = await sweepOrderMoney({ shop, reason: "w1" }, new Date(), busy);
    expect(first).toEqual({ due: 4, posted: 0, retry: 1 });
    expect(await db().financePosting.count({ where: { shop } })).toBe(before);
    // Its retry is queued, 5 s on.
    const retry = await queue(jobs.sweepOrderMoney.queue).getJob(jobs.sweepOrderMoney.jobId({ shop, reason: "w1-t1" }));
    expect(retry?.data).toEqual({ shop, reason: "w1-t1" });
    // Its last try reads order by order. Shopify failing to answer for one order fails the job (bull
    // retries it) once the others are recorded; that one is still due, and read the next time.
    await post(`/_dev/shops/${shop}/faults/admin`, { operations: ["OmsOrderMoney"], mode: "unavailable", count: 1 });
    await expect(sweepOrderMoney({ shop, reason: "w1-t5" }, new Date(), busy)).rejects.toThrow(/3 posted; 1 not/);
    expect(await db().financePosting.count({ where: { shop, kind: "capture" } })).toBe(before + 3);
    expect(await sweepOrderMoney({ shop, reason: "w1-t5" }, new Date(), busy)).toEqual({ due: 1, posted: 1 });
    expect(await db().financePosting.count({ where: { shop, kind: "capture" } })).toBe(before + 4);
    expect(await sweepOrderMoney({ shop, reason: "w2" }, new Date(), busy)).toEqual({ due: 0, posted: 0 });
  });

  it("reads with its bulk query only the orders marked close together; one left due for long is read on its own", async () => {
    const shop = SHOP;
    const [old] = await placePaidOrders(shop, 1);
    const recent = await placePaidOrders(shop, 4);
    // The first order has been due for an hour (its sweeps failed, say).
    await db().order.updateMany({ where: { shop, sourceId: old! }, data: { moneyDueAt: new Date(Date.now() - 3600_000) } });
    const calls: Call[] = [];
    const steps = await sweepToEnd(shop, await recordingAdmin(shop, calls));
    expect(steps[0]).toMatchObject({ due: 5, posted: 1, waiting: true });
    expect(steps.at(-1)).toMatchObject({ due: 4, posted: 4 });
    expect(calls.map((c) => c.operation).filter((o) => o !== "BulkOperationStatus")).toEqual(["BulkRunQuery", "OmsOrderMoney"]);
    const orders = await db().order.findMany({ where: { shop, sourceId: { in: [old!, ...recent] } }, select: { id: true, moneyDueAt: true } });
    expect(orders.map((o) => o.moneyDueAt)).toEqual([null, null, null, null, null]);
    expect(await db().financePosting.count({ where: { shop, kind: "capture", orderId: { in: orders.map((o) => o.id) } } })).toBe(5);
  });

  it("densest: the largest run of due orders marked within 15 minutes of each other", () => {
    const at = (min: number) => ({ moneyDueAt: new Date(Date.UTC(2026, 11, 2, 0, min)) });
    expect(densest([])).toEqual([]);
    expect(densest([at(0), at(60), at(61), at(62), at(80)])).toEqual([at(60), at(61), at(62)]);
    expect(densest([at(0), at(15), at(31)])).toEqual([at(0), at(15)]);
  });

  it("the operations pass asks for another sweep only for a paid order that has waited two windows or more (and not for one older than the sweep looks back)", async () => {
    const shop = SHOP;
    // This shop's requests only: the run's other test files share the queues, and a sweep job one of
    // them left (another shop's) is run by this file's worker too.
    const ofShop = () => requested.filter((p) => p.shop === shop);
    const asked = ofShop().length;
    await placePaidOrders(shop, 1);
    // The intake's own sweep (its window's job) has run by now, and nothing else is on its way (an
    // earlier case's sweep, a webhook retry): the shop has settled.
    await waitFor(async () => (ofShop().length > asked ? true : undefined), 10_000, "the intake's sweep");
    await shopSettled(shop, dispatcher);
    const at = Date.now();
    const n0 = ofShop().length;
    expect(await catchUpMoneySweep(shop, new Date(at))).toBe(false);
    expect(await catchUpMoneySweep(shop, new Date(at + 30_000))).toBe(false);
    expect(await catchUpMoneySweep(shop, new Date(at + 4 * 24 * 3600_000))).toBe(false);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(ofShop().slice(n0)).toEqual([]);
    expect(await catchUpMoneySweep(shop, new Date(at + 3 * 60_000))).toBe(true);
    await waitFor(async () => ofShop().length > n0 || undefined, 5_000, "another sweep");
    // Read (by a sweep), it is waited for no more.
    await sweepToEnd(shop, await adminFor(shop));
    expect(await catchUpMoneySweep(shop, new Date(at + 3 * 60_000))).toBe(false);
  });

  it("hands an order with more transactions than one read returns to its own money job, once, and unmarks it", async () => {
    const shop = SHOP;
    const placed = (await (
      await post(`/_dev/shops/${shop}/checkout`, {
        lines: [{ sku: "TEE-M", quantity: 2 }],
        shippingAddress: austin,
        email: "many-captures@example.com",
        extras: { payment: { gateway: "manual_capture", multiCapture: true } },
      })
    ).json()) as { orderId: string };
    // 100 captures of a cent on top of the authorisation: 101 transactions.
    for (let i = 0; i < 100; i++)
      expect((await post(`/_dev/shops/${shop}/orders/${encodeURIComponent(placed.orderId)}/gateway-capture`, { amountMinor: 1 })).ok).toBe(true);
    const order = await waitFor(
      async () => (await db().order.findFirst({ where: { shop, sourceId: placed.orderId, financialStatus: "partially_paid" } })) ?? undefined,
      20_000,
      "the order, partly paid",
    );
    // As if orders/create had marked it (it was created paid).
    await db().order.update({ where: { id: order.id }, data: { moneyDueAt: new Date() } });
    const calls: Call[] = [];
    const admin = await recordingAdmin(shop, calls);
    expect(await sweepOrderMoney({ shop, reason: "many" }, new Date(), admin)).toEqual({ due: 1, posted: 0 });
    expect(calls.map((c) => c.operation)).toEqual(["OmsOrderMoney"]);
    expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).moneyDueAt).toBeNull();
    const handed = await queue(jobs.syncOrderMoney.queue).getJob(
      jobs.syncOrderMoney.jobId({ shop, orderId: placed.orderId, financialStatus: "partially_paid" }),
    );
    expect(handed?.data).toEqual({ shop, orderId: placed.orderId, financialStatus: "partially_paid" });
    // No later sweep reads it again.
    expect(await sweepOrderMoney({ shop, reason: "many-2" }, new Date(), admin)).toEqual({ due: 0, posted: 0 });
    expect(calls).toHaveLength(1);
  });
});
