// Amazon intake does not wait for Shopify: the intake job records the OMS order and holds its stock,
// and the Shopify order of an Unshipped order is a job of its own (amazon-create-shopify-order). A
// poll's sweep finds the work whose job was lost (a state never applied, an Unshipped order never
// created in Shopify). No worker runs here: the jobs are looked at in their queues.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redirectAmazon } from "~/.server/amazon/client";
import { closeAmazonRedis } from "~/.server/amazon/rate-limit";
import { db } from "~/.server/db/client";
import { jobs } from "~/.server/queue/definitions";
import { closeQueues, queue } from "~/.server/queue/queues";
import { connectAmazonAccount } from "~/.server/services/marketplace/amazon-accounts";
import { applyAmazonOrder, createAmazonOrderInShopify } from "~/.server/services/marketplace/amazon-apply";
import { syncAmazonAccount } from "~/.server/services/marketplace/amazon-sync";
import { startAmazonStandIn, type AmazonStandIn } from "../dev/amazon-local/server";

const SHOP = "amazon-jobs.myshopify.com";
const SELLER = {
  sellerId: "A5JOBSELLER",
  marketplaceIds: ["ATVPDKIKX0DER"],
  clientId: "amzn1.application-oa2-client.jobs",
  clientSecret: "lwa-secret-jobs",
  refreshToken: "Atzr|refresh-jobs",
  plans: { searchOrders: { rate: 5, burst: 20 } },
};
const SKU = "JOB-SKU";

describe("Amazon intake and its Shopify order are separate jobs", { timeout: 60_000 }, () => {
  let amazon: AmazonStandIn;
  let accountId: string;
  const amz = (p: string, body?: unknown) =>
    fetch(amazon.url + p, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const sync = async () => {
    await amz("/_dev/time", { advanceMs: 1000 });
    for (let i = 0; ; i++) {
      const out = await syncAmazonAccount(accountId, () => new Date());
      if (out.kind === "done") return out;
      if (i > 20) throw new Error("sync did not finish");
      await new Promise((r) => setTimeout(r, out.kind === "more" ? Math.min(out.retryAfterMs, 1500) : 100));
    }
  };
  const createJob = async (amazonOrderId: string) => {
    const row = await db().amazonOrder.findFirstOrThrow({ where: { accountId, amazonOrderId } });
    return queue("amazon-create-shopify-order").getJob(
      jobs.amazonCreateShopifyOrder.jobId({ accountId, amazonOrderId, updatedAt: row.lastUpdatedTime.toISOString() }),
    );
  };
  const applyJob = async (amazonOrderId: string) => {
    const row = await db().amazonOrder.findFirstOrThrow({ where: { accountId, amazonOrderId } });
    return queue("amazon-apply-order").getJob(jobs.amazonApplyOrder.jobId({ accountId, amazonOrderId, updatedAt: row.lastUpdatedTime.toISOString() }));
  };
  /** As if the row was stored (or last touched) two minutes ago: past the sweep's grace. */
  const age = (amazonOrderId: string) =>
    db().amazonOrder.updateMany({ where: { accountId, amazonOrderId }, data: { updatedAt: new Date(Date.now() - 120_000) } });

  beforeAll(async () => {
    amazon = await startAmazonStandIn({ speed: 1 });
    redirectAmazon(amazon.url, "test");
    await amz("/_dev/sellers", SELLER);
    await db().stockLevel.create({
      data: {
        shop: SHOP,
        inventoryItemId: "gid://shopify/InventoryItem/95001",
        locationId: "gid://shopify/Location/9501",
        sku: SKU,
        variantId: "gid://shopify/ProductVariant/96001",
        title: SKU,
        onHand: 50,
        observedAt: new Date(),
      },
    });
    ({ id: accountId } = await connectAmazonAccount(
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
    ));
    for (const q of ["amazon-sync", "amazon-stock-push"] as const)
      for (const r of await queue(q).getRepeatableJobs()) if (r.id?.includes(accountId)) await queue(q).removeRepeatableByKey(r.key);
  });

  afterAll(async () => {
    for (const q of ["amazon-apply-order", "amazon-create-shopify-order", "amazon-sync"] as const) {
      for (const j of await queue(q).getJobs(["waiting", "delayed"])) if ((j.data as { accountId?: string }).accountId === accountId) await j.remove();
    }
    await db().amazonAccount.update({ where: { id: accountId }, data: { status: "disconnected" } });
    await amazon.close();
    await closeAmazonRedis();
    await closeQueues();
  });

  it("an Unshipped order's intake is done without Shopify (this shop has no session); its Shopify order is queued as its own job", async () => {
    const o = (await (await amz(`/_dev/sellers/${SELLER.sellerId}/orders`, { items: [{ sku: SKU, quantity: 2 }], status: "UNSHIPPED" })).json()) as {
      orderId: string;
    };
    await sync();
    const out = await applyAmazonOrder(accountId, o.orderId, new Date());
    expect(out).toMatchObject({ outcome: "applied", step: "create_in_shopify" });
    const oms = await db().order.findUniqueOrThrow({ where: { id: out.omsOrderId! } });
    expect(oms.channel).toBe("amazon");
    const held = await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku: SKU } });
    expect(held.reserved).toBe(2);
    expect(await createJob(o.orderId)).not.toBeNull();
    // The job is the only place Shopify is called: here it fails (no session) and the record stays.
    await expect(createAmazonOrderInShopify(accountId, o.orderId, new Date())).rejects.toThrow();
    expect((await db().amazonOrder.findFirstOrThrow({ where: { accountId, amazonOrderId: o.orderId } })).shopifyState).not.toBe("created");

    // The create job is lost; a poll's sweep queues it again once the row is past its grace.
    await (await createJob(o.orderId))!.remove();
    await sync();
    expect(await createJob(o.orderId)).toBeNull(); // still within the grace: its job may be on its way
    await age(o.orderId);
    await sync();
    expect(await createJob(o.orderId)).not.toBeNull();
  });

  it("a state whose apply job was lost is queued again by the sweep; a cancelled order owes Shopify nothing", async () => {
    const o = (await (await amz(`/_dev/sellers/${SELLER.sellerId}/orders`, { items: [{ sku: SKU, quantity: 1 }], status: "UNSHIPPED" })).json()) as {
      orderId: string;
    };
    await sync();
    await (await applyJob(o.orderId))!.remove();
    await age(o.orderId);
    await sync();
    expect(await applyJob(o.orderId)).not.toBeNull();
    // Amazon cancels it before its Shopify order was made: the create job finds nothing due.
    await amz(`/_dev/orders/${o.orderId}/cancel`, { reason: "BuyerCanceled" });
    await sync();
    expect(await createAmazonOrderInShopify(accountId, o.orderId, new Date())).toMatchObject({ outcome: "not_due" });
  });

  it("a cancellation arriving while the Shopify order is being created waits for it (the apply job retries)", async () => {
    const o = (await (await amz(`/_dev/sellers/${SELLER.sellerId}/orders`, { items: [{ sku: SKU, quantity: 1 }], status: "UNSHIPPED" })).json()) as {
      orderId: string;
    };
    await sync();
    await applyAmazonOrder(accountId, o.orderId, new Date());
    // Another worker holds the create claim (mid-orderCreate) when Amazon's cancellation is applied.
    await db().amazonOrder.updateMany({
      where: { accountId, amazonOrderId: o.orderId },
      data: { shopifyState: "creating", shopifyClaimedUntil: new Date(Date.now() + 60_000) },
    });
    await amz(`/_dev/orders/${o.orderId}/cancel`, { reason: "BuyerCanceled" });
    await sync();
    await expect(applyAmazonOrder(accountId, o.orderId, new Date())).rejects.toThrow(/being created/);
    const row = await db().amazonOrder.findFirstOrThrow({ where: { accountId, amazonOrderId: o.orderId } });
    expect(row.cancelApplied).toBe(false);
  });
});
