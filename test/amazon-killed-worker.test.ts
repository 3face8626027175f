// A real worker process killed (SIGKILL) while a searchOrders page is in flight, then another worker
// started: every Amazon order reaches the OMS exactly once and the window never skips the page the
// dead worker was reading (it is asked for again with the same token). Runs on the run's database
// (SQLite with `npm test`, PostgreSQL with OMS_TEST_DATABASE=postgres) and Redis prefix.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAmazonRedis } from "~/.server/amazon/rate-limit";
import { db } from "~/.server/db/client";
import { closeQueues, enqueue, queue } from "~/.server/queue/queues";
import { connectAmazonAccount } from "~/.server/services/marketplace/amazon-accounts";
import { amazonSourceId } from "~/domain/marketplace/amazon-order";
import { startAmazonStandIn, type AmazonStandIn } from "../dev/amazon-local/server";
import { waitFor } from "./helpers/wait";

const root = path.resolve(__dirname, "..");
const SHOP = "amazon-killed.myshopify.com";
const SELLER = {
  sellerId: "A3KILLEDWORKER",
  marketplaceIds: ["ATVPDKIKX0DER"],
  clientId: "amzn1.application-oa2-client.killed",
  clientSecret: "lwa-secret-killed",
  refreshToken: "Atzr|refresh-killed",
  plans: { searchOrders: { rate: 5, burst: 20 } },
};
const SKUS = ["KILL-A", "KILL-B"];
const ORDERS = 9;
const PAGE = 3; // nine orders: three pages (the second is the one the worker dies in)
const LEASE_SECONDS = 4;

type SearchCall = { operationId: string; at: string; query: Record<string, string>; slow: boolean };

describe("Amazon intake: a worker killed mid-page", { timeout: 240_000 }, () => {
  let amazon: AmazonStandIn;
  const children: ChildProcess[] = [];
  const amz = (p: string, body?: unknown) =>
    fetch(amazon.url + p, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const searchCalls = async () => (await (await amz("/_dev/calls?operationId=searchOrders")).json()) as SearchCall[];

  function worker(name: string): { child: ChildProcess; ready: Promise<void> } {
    const child = spawn(process.execPath, ["--no-warnings", "--import", "tsx", "test/helpers/amazon-worker.ts"], {
      cwd: root,
      env: {
        ...process.env,
        AMAZON_SPAPI_ORIGIN: amazon.url,
        AMAZON_LWA_URL: `${amazon.url}/auth/o2/token`,
        AMAZON_PAGE_SIZE: String(PAGE),
        AMAZON_SYNC_LEASE_SECONDS: String(LEASE_SECONDS),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let out = "";
    child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
    });
    return { child, ready };
  }

  beforeAll(async () => {
    amazon = await startAmazonStandIn({ speed: 1 });
    await amz("/_dev/sellers", SELLER);
    for (const [i, sku] of SKUS.entries()) {
      await db().stockLevel.create({
        data: {
          shop: SHOP,
          inventoryItemId: `gid://shopify/InventoryItem/${91_000 + i}`,
          locationId: "gid://shopify/Location/9101",
          sku,
          variantId: `gid://shopify/ProductVariant/${92_000 + i}`,
          title: sku,
          onHand: 100,
          observedAt: new Date(),
        },
      });
    }
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    // This account's repeating jobs stop here: later files' workers must not poll a stand-in that is gone.
    const account = await db().amazonAccount.findFirst({ where: { shop: SHOP } });
    if (account) {
      await db().amazonAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
      for (const q of ["amazon-sync", "amazon-stock-push"] as const)
        for (const r of await queue(q).getRepeatableJobs()) if (r.id?.includes(account.id)) await queue(q).removeRepeatableByKey(r.key);
    }
    await amazon.close();
    await closeAmazonRedis();
    await closeQueues();
  });

  it("SIGKILL while the second page is in flight: the next worker reads that page again, every order is in the OMS once", async () => {
    const created = (await (
      await amz(`/_dev/sellers/${SELLER.sellerId}/orders`, {
        orders: Array.from({ length: ORDERS }, (_, i) => ({ items: [{ sku: SKUS[i % 2], quantity: 1, price: 12 }] })),
      })
    ).json()) as { orderId: string }[];
    await amz("/_dev/time", { advanceMs: 1000 });
    // The first page with a token (the second page) is answered a minute late: the worker dies waiting.
    await amz("/_dev/slow", { operationId: "searchOrders", delayMs: 60_000, count: 1, paged: true });
    const { id: accountId } = await connectAmazonAccount(
      SHOP,
      {
        sellerId: SELLER.sellerId,
        marketplaceIds: SELLER.marketplaceIds,
        lwaClientId: SELLER.clientId,
        lwaClientSecret: SELLER.clientSecret,
        refreshToken: SELLER.refreshToken,
      },
      "user:owner",
      new Date(),
    );
    // The repeating poll is left to production; here each poll is asked for explicitly.
    for (const q of ["amazon-sync", "amazon-stock-push"] as const)
      for (const r of await queue(q).getRepeatableJobs()) if (r.id?.includes(accountId)) await queue(q).removeRepeatableByKey(r.key);

    const first = worker("worker-1");
    await first.ready;
    await enqueue("amazonSync", { accountId, reason: "first" });
    const slowCall = await waitFor(async () => (await searchCalls()).find((c) => c.slow), 30_000, "the worker to ask for the slow page");
    const killedToken = slowCall.query.paginationToken!;
    expect(killedToken).toBeTruthy();
    first.child.kill("SIGKILL");
    await new Promise((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r(null) : first.child.once("exit", r)));

    // What the dead worker left: the first page stored, the window at the page it was reading, no watermark.
    const left = await db().amazonAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(left.pageToken).toBe(killedToken);
    expect(left.watermark).toBeNull();
    expect(left.syncClaimedUntil).not.toBeNull();
    const storedBefore = await db().amazonOrder.findMany({ where: { accountId }, select: { amazonOrderId: true } });
    expect(storedBefore.length).toBe(PAGE);

    // Another worker: polls keep coming (as the repeating job would); its first ones find the dead
    // worker's hold ("busy") until it lapses, then one reads on from the stored token.
    const second = worker("worker-2");
    await second.ready;
    let poll = 0;
    await waitFor(
      async () => {
        const a = await db().amazonAccount.findUniqueOrThrow({ where: { id: accountId } });
        if (a.watermark !== null && a.windowAfter === null) return true;
        await enqueue("amazonSync", { accountId, reason: `poll-${++poll}` });
        await new Promise((r) => setTimeout(r, 1000));
        return false;
      },
      60_000,
      "a window closed by the second worker",
    );

    // The page the dead worker was reading was asked for again, with its token, before the window closed.
    const after = (await searchCalls()).filter((c) => Date.parse(c.at) >= Date.parse(slowCall.at));
    expect(after.filter((c) => !c.slow).some((c) => c.query.paginationToken === killedToken)).toBe(true);

    // Every Amazon order once: one AmazonOrder row, one OMS order (intake applied by the second worker).
    for (const o of created) {
      expect(await db().amazonOrder.count({ where: { accountId, amazonOrderId: o.orderId } }), o.orderId).toBe(1);
      const oms = await waitFor(
        async () => {
          const rows = await db().order.findMany({ where: { shop: SHOP, sourceId: amazonSourceId(o.orderId) }, select: { id: true } });
          const row = await db().amazonOrder.findFirst({ where: { accountId, amazonOrderId: o.orderId } });
          return row?.appliedUpdatedTime && row.appliedUpdatedTime >= row.lastUpdatedTime ? rows : undefined;
        },
        60_000,
        `Amazon order ${o.orderId} applied`,
      );
      expect(oms.length, `OMS orders for ${o.orderId}`).toBe(1);
    }
    expect(await db().order.count({ where: { shop: SHOP, channel: "amazon" } })).toBe(ORDERS);
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
  });
});
