// A customer paying in another currency than the shop's, against the dev shop: the order is placed
// in CAD on a USD shop (presentment money at the checkout's rate, as Shopify's shop_money /
// presentment_money), refunded once by staff through the OMS (in CAD, as Shopify requires for such
// an order) and once in Shopify admin (recorded from refunds/create). The finance ledger posts
// every capture and refund in shop and presentment money, and the day reconciles with no
// unexplained difference in either currency pair (alongside a USD-only order).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { issueRefund } from "~/.server/services/finance/issue-refund";
import { reconcileDays } from "~/.server/services/finance/reconciliation";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "multicurrency.myshopify.com";
const ACTOR = "user:4545";

describe("multi-currency refunds and the finance ledger against the dev shop", { timeout: 90_000 }, () => {
  let standIn: Shop["standIn"];
  let post: Shop["post"];
  let close: Shop["close"];
  const gql = async (query: string, variables: unknown) => {
    const token = (await db().session.findFirstOrThrow({ where: { shop: SHOP } })).accessToken;
    const res = await fetch(`${standIn.url}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token, "x-forwarded-host": SHOP },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data: { refundCreate: { refund: { id: string } | null; userErrors: { field: string[]; message: string }[] } } };
  };
  const REFUND = `mutation R($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "admin-refund-1") { refund { id } userErrors { field message } } }`;

  async function placed(email: string, presentment?: { currency: string; rate: number }) {
    const p = (await (
      await post(`/_dev/shops/${SHOP}/checkout`, {
        lines: [{ sku: "TEE-M", quantity: 2 }],
        shippingAddress: austin,
        email,
        ...(presentment ? { extras: { presentment } } : {}),
      })
    ).json()) as { orderId: string };
    const order = await waitFor(
      async () => (await db().order.findFirst({ where: { shop: SHOP, sourceId: p.orderId }, include: { lines: true } })) ?? undefined,
      20_000,
      "the order in the OMS",
    );
    return { gid: p.orderId, order };
  }

  beforeAll(async () => {
    ({ standIn, post, close } = await connectedDevShop(SHOP, { duplicateRate: 1 }));
  });
  afterAll(() => close());

  it("posts the CAD order's capture and both refunds in USD and CAD, and the day reconciles per currency with nothing unexplained", async () => {
    // 2 × 24.00 + 9.95 shipping = 57.95 USD, paid as 72.44 CAD (1.25 CAD per USD).
    const cad = await placed("canada@example.com", { currency: "CAD", rate: 1.25 });
    const usd = await placed("usa@example.com");
    expect(cad.order.currency).toBe("USD");

    // Shopify refuses a refund of the CAD order without its presentment currency (RefundInput.currency).
    const without = await gql(REFUND.replace("admin-refund-1", "no-currency"), {
      input: { orderId: cad.gid, transactions: [{ orderId: cad.gid, amount: "10.00", gateway: "bogus", kind: "REFUND" }] },
    });
    expect(without.data.refundCreate.userErrors).toEqual([expect.objectContaining({ field: ["currency"] })]);

    // Staff refund one tee (24.00 USD) through the OMS: sent as 30.00 CAD.
    const line = cad.order.lines[0]!.sourceLineId;
    const refund = await issueRefund(
      {
        shop: SHOP,
        orderId: cad.order.id,
        returnId: null,
        requestKey: "mc-staff-1",
        lines: [{ sourceLineId: line, quantity: 1 }],
        shippingMinor: 0n,
        restockingFeePercent: 0,
        storeCreditMinor: 0n,
        note: "too big",
        actor: ACTOR,
      },
      new Date(),
    );
    expect(
      refund,
      JSON.stringify(refund, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    ).toMatchObject({ ok: true, value: { amountMinor: 2400n, currency: "USD" } });
    // And one in Shopify admin: 10.00 CAD (8.00 USD), recorded from its refunds/create.
    const admin = await gql(REFUND, {
      input: { orderId: cad.gid, currency: "CAD", transactions: [{ orderId: cad.gid, amount: "10.00", gateway: "bogus", kind: "REFUND" }] },
    });
    expect(admin.data.refundCreate.userErrors).toEqual([]);
    const adminRefundId = admin.data.refundCreate.refund!.id;
    await waitFor(
      async () => (await db().refundRecord.findFirst({ where: { shop: SHOP, sourceId: adminRefundId } })) ?? undefined,
      20_000,
      "the admin refund recorded",
    );
    // The USD order refunded too (shop and presentment money the same).
    expect(
      await issueRefund(
        {
          shop: SHOP,
          orderId: usd.order.id,
          returnId: null,
          requestKey: "mc-staff-usd",
          lines: [{ sourceLineId: usd.order.lines[0]!.sourceLineId, quantity: 1 }],
          shippingMinor: 0n,
          restockingFeePercent: 0,
          storeCreditMinor: 0n,
          note: null,
          actor: ACTOR,
        },
        new Date(),
      ),
    ).toMatchObject({ ok: true, value: { amountMinor: 2400n } });
    await waitFor(async () => (await db().financePosting.count({ where: { shop: SHOP, kind: "capture" } })) >= 2 || undefined, 20_000, "both captures posted");

    const postings = await db().financePosting.findMany({ where: { shop: SHOP, orderId: cad.order.id }, orderBy: [{ kind: "asc" }, { amountMinor: "desc" }] });
    expect(postings.map((p) => [p.kind, p.amountMinor, p.currency, p.presentmentMinor, p.presentmentCurrency])).toEqual([
      ["capture", 5795n, "USD", 7244n, "CAD"],
      ["refund", 2400n, "USD", 3000n, "CAD"],
      ["refund", 800n, "USD", 1000n, "CAD"],
    ]);
    expect(
      await db().refundRecord.findMany({
        where: { shop: SHOP, orderId: cad.order.id },
        orderBy: { amountMinor: "desc" },
        select: { amountMinor: true, currency: true, presentmentMinor: true, presentmentCurrency: true, status: true },
      }),
    ).toEqual([
      { amountMinor: 2400n, currency: "USD", presentmentMinor: 3000n, presentmentCurrency: "CAD", status: "succeeded" },
      { amountMinor: 800n, currency: "USD", presentmentMinor: 1000n, presentmentCurrency: "CAD", status: "succeeded" },
    ]);
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: cad.order.id } })).toMatchObject({
      currency: "USD",
      capturedMinor: 5795n,
      refundedMinor: 3200n,
      pendingMinor: 0n,
    });

    // The day: nothing unexplained, and totals per gateway, kind and currency pair.
    const today = new Date().toISOString().slice(0, 10);
    const report = await reconcileDays(SHOP, today, today, { readShopify: true });
    expect(report.differences).toEqual([]);
    expect(report.unexplained).toBe(0);
    const totals = report.totals.map((t) => [t.kind, t.currency, t.amountMinor, t.presentmentCurrency, t.presentmentMinor, t.count]);
    expect(totals).toEqual(
      expect.arrayContaining([
        ["capture", "USD", 5795n, "CAD", 7244n, 1],
        ["capture", "USD", 5795n, "USD", 5795n, 1],
        ["refund", "USD", 3200n, "CAD", 4000n, 2],
        ["refund", "USD", 2400n, "USD", 2400n, 1],
      ]),
    );
    expect(totals).toHaveLength(4);
  });
});

// A shop of its own: no job left over from the tests above may ask for the order's money meanwhile.
const SHOP2 = "multicurrency-intake.myshopify.com";

describe("a new order's money, posted by its shop's money sweep", { timeout: 60_000 }, () => {
  let post: Shop["post"];
  let close: Shop["close"];
  beforeAll(async () => {
    ({ post, close } = await connectedDevShop(SHOP2, { duplicateRate: 1 }));
  });
  afterAll(() => close());

  it("a paid order's capture reaches the ledger with no step but its intake: the sweep's job reads it (in both currencies)", async () => {
    const p = (await (
      await post(`/_dev/shops/${SHOP2}/checkout`, {
        lines: [{ sku: "TEE-M", quantity: 2 }],
        shippingAddress: austin,
        email: "intake-money@example.com",
        extras: { presentment: { currency: "CAD", rate: 1.25 } },
      })
    ).json()) as { orderId: string };
    const order = await waitFor(async () => (await db().order.findFirst({ where: { shop: SHOP2, sourceId: p.orderId } })) ?? undefined, 20_000, "the order");
    // The sweep posts the captures, then writes the order's money (recordOrdersMoney: two
    // statements, in that order), so both are waited for.
    const capture = await waitFor(
      async () => {
        if (!(await db().orderMoney.findUnique({ where: { orderId: order.id } }))) return undefined;
        return (await db().financePosting.findFirst({ where: { shop: SHOP2, orderId: order.id, kind: "capture" } })) ?? undefined;
      },
      20_000,
      "the capture posted and the order's money written",
    );
    expect([capture.amountMinor, capture.currency, capture.presentmentMinor, capture.presentmentCurrency]).toEqual([5795n, "USD", 7244n, "CAD"]);
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({ currency: "USD", capturedMinor: 5795n });
    expect(await db().financePosting.count({ where: { shop: SHOP2, orderId: order.id, kind: "capture" } })).toBe(1);
  });
});
