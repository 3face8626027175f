// Amazon buyer and address data "as the granted roles allow": the account records the restricted
// roles Amazon granted the app (audited); the sync asks only for the personal data they open; the
// SP-API stand-in gives only that (dev/amazon-local: absent without the role, as Amazon does); the
// order page shows buyer and address when granted and "hidden — role X not granted" when not; and
// none of it is logged.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { redirectAmazon } from "~/.server/amazon/client";
import { closeAmazonRedis } from "~/.server/amazon/rate-limit";
import { db } from "~/.server/db/client";
import { closeQueues, queue } from "~/.server/queue/queues";
import { connectAmazonAccount, saveAmazonRoles } from "~/.server/services/marketplace/amazon-accounts";
import { applyAmazonOrder } from "~/.server/services/marketplace/amazon-apply";
import { syncAmazonAccount } from "~/.server/services/marketplace/amazon-sync";
import { orderDetailView } from "~/.server/services/order-views";
import { startAmazonStandIn, type AmazonStandIn } from "../dev/amazon-local/server";

const SHOP = "amazon-roles.myshopify.com";
const SELLER = {
  sellerId: "A4ROLESELLER",
  marketplaceIds: ["ATVPDKIKX0DER"],
  clientId: "amzn1.application-oa2-client.roles",
  clientSecret: "lwa-secret-roles",
  refreshToken: "Atzr|refresh-roles",
  plans: { searchOrders: { rate: 5, burst: 20 } },
};
const SKU = "ROLE-SKU";

describe("Amazon PII as the granted roles allow", { timeout: 60_000 }, () => {
  let amazon: AmazonStandIn;
  let accountId: string;
  const amz = (p: string, body?: unknown) =>
    fetch(amazon.url + p, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const logged: string[] = [];

  /** An Unshipped order at Amazon, read by a poll and applied (intake): its OMS order's page view. */
  async function intake(buyer: { buyerName: string; buyerEmail: string }, addressLine1: string) {
    const o = (await (
      await amz(`/_dev/sellers/${SELLER.sellerId}/orders`, {
        items: [{ sku: SKU, quantity: 1 }],
        status: "UNSHIPPED",
        buyer,
        address: { name: buyer.buyerName, addressLine1, city: "Austin", stateOrRegion: "TX", postalCode: "78701", countryCode: "US", phone: "+1 512 555 0199" },
      })
    ).json()) as { orderId: string };
    await amz("/_dev/time", { advanceMs: 1000 });
    for (let i = 0; ; i++) {
      const out = await syncAmazonAccount(accountId, () => new Date());
      if (out.kind === "done") break;
      if (i > 20) throw new Error("sync did not finish");
      await new Promise((r) => setTimeout(r, out.kind === "more" ? Math.min(out.retryAfterMs, 1500) : 100));
    }
    const applied = await applyAmazonOrder(accountId, o.orderId, new Date());
    expect(applied.outcome).toBe("applied");
    const calls = (await (await amz("/_dev/calls?operationId=searchOrders")).json()) as { query: Record<string, string> }[];
    const included = calls.at(-1)!.query.includedData!.split(",");
    const order = await db().order.findUniqueOrThrow({ where: { id: applied.omsOrderId! } });
    const view = (await orderDetailView(SHOP, applied.omsOrderId!))!;
    return { included, order, view };
  }

  beforeAll(async () => {
    amazon = await startAmazonStandIn({ speed: 1 });
    redirectAmazon(amazon.url, "test");
    await amz("/_dev/sellers", SELLER);
    await db().stockLevel.create({
      data: {
        shop: SHOP,
        inventoryItemId: "gid://shopify/InventoryItem/93001",
        locationId: "gid://shopify/Location/9301",
        sku: SKU,
        variantId: "gid://shopify/ProductVariant/94001",
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
    // Whatever the OMS prints while it reads and applies these orders is kept, to be searched for PII.
    for (const m of ["log", "info", "warn", "error", "debug"] as const) {
      const original = console[m].bind(console);
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
        original(...args);
      });
    }
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    // This file runs no worker: the jobs it queued (apply, create in Shopify) go, so later files' workers do not run them.
    for (const q of ["amazon-apply-order", "amazon-create-shopify-order", "amazon-sync"] as const) {
      for (const j of await queue(q).getJobs(["waiting", "delayed"])) if ((j.data as { accountId?: string }).accountId === accountId) await j.remove();
    }
    await db().amazonAccount.update({ where: { id: accountId }, data: { status: "disconnected" } });
    await amazon.close();
    await closeAmazonRedis();
    await closeQueues();
  });

  it("no role granted: the sync does not ask for BUYER; the page says which role would show the buyer and the address", async () => {
    const { included, order, view } = await intake({ buyerName: "Nora Norole", buyerEmail: "nora@marketplace.amazon.com" }, "1 Hidden Way");
    expect(included).not.toContain("BUYER");
    expect(included).toContain("RECIPIENT"); // its non-PII part (city, region, country) places the order
    expect(order.email).toBeNull();
    expect(order.customerName).toBeNull();
    expect(order.shippingAddress).not.toContain("Hidden Way");
    expect(order.shippingAddress).toContain("Austin");
    expect(view.amazon).toEqual({
      buyerName: { hidden: "hidden — role Tax Invoicing (Restricted) or Tax Remittance (Restricted) not granted" },
      buyerEmail: { hidden: "hidden — role Direct-to-Consumer Delivery (Restricted) not granted" },
      address: { hidden: "hidden — role Direct-to-Consumer Delivery (Restricted) not granted" },
      region: "Austin, TX, US",
    });
    expect(view.email).toBeNull();
    expect(view.shippingAddress).toBeNull();
  });

  it("roles recorded (audited) and granted by Amazon: the sync asks for BUYER and the page shows the buyer and the address", async () => {
    await amz(`/_dev/sellers/${SELLER.sellerId}/roles`, { roles: ["DIRECT_TO_CONSUMER_DELIVERY", "TAX_INVOICING"] });
    expect(await saveAmazonRoles(SHOP, { accountId, roles: ["TAX_INVOICING", "DIRECT_TO_CONSUMER_DELIVERY"] }, "user:owner", new Date())).toBe(true);
    const audit = await db().auditEvent.findMany({ where: { shop: SHOP, subject: "amazon-account", summary: { contains: "restricted roles" } } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe("user:owner");
    expect(audit[0]!.summary).toContain("Direct-to-Consumer Delivery (Restricted), Tax Invoicing (Restricted) (was none)");
    expect((await db().amazonAccount.findUniqueOrThrow({ where: { id: accountId } })).grantedRoles).toBe("DIRECT_TO_CONSUMER_DELIVERY,TAX_INVOICING");
    // Another shop cannot record roles on this account.
    expect(await saveAmazonRoles("other.myshopify.com", { accountId, roles: [] }, "user:intruder", new Date())).toBe(false);

    const { included, order, view } = await intake({ buyerName: "Greta Granted", buyerEmail: "greta@marketplace.amazon.com" }, "2 Shown Street");
    expect(included).toContain("BUYER");
    expect(order.email).toBe("greta@marketplace.amazon.com");
    expect(order.customerName).toBe("Greta Granted");
    expect(view.amazon?.buyerName).toEqual({ shown: "Greta Granted" });
    expect(view.amazon?.buyerEmail).toEqual({ shown: "greta@marketplace.amazon.com" });
    expect(view.amazon?.address).toEqual({ shown: "Greta Granted, 2 Shown Street, Austin, TX, 78701, US" });
  });

  it("recorded as granted but not granted by Amazon: nothing comes back, and the page says Amazon did not give it", async () => {
    await amz(`/_dev/sellers/${SELLER.sellerId}/roles`, { roles: [] });
    const { included, view } = await intake({ buyerName: "Mona Mismatch", buyerEmail: "mona@marketplace.amazon.com" }, "3 Absent Road");
    expect(included).toContain("BUYER");
    expect(view.amazon?.buyerName).toEqual({ hidden: "hidden — not given by Amazon" });
    expect(view.amazon?.address).toEqual({ hidden: "hidden — not given by Amazon" });
  });

  it("no buyer name, email or address line was logged", () => {
    const all = logged.join("\n");
    for (const pii of ["Nora Norole", "nora@marketplace", "Hidden Way", "Greta Granted", "greta@marketplace", "Shown Street", "512 555 0199"])
      expect(all).not.toContain(pii);
  });
});
