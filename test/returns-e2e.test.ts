// Returns, exchanges, refunds and finance end to end against the dev shop: every webhook is
// delivered twice, the worker runs, and Shopify is the stand-in over HTTP. The seed cases: a
// partial return of a split shipment received damaged, an exchange shipped on receipt, a refund
// above what was captured (refused with the numbers, and two staff at once), a refunds/create from
// Shopify above the captured amount, parcels without an order reference (matched, and left
// unmatched), the day's reconciliation with its CSV, and replays changing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { findException } from "~/.server/db/exceptions";
import { reserveRefund } from "~/.server/db/finance";
import { issueRefund, describeRefusal } from "~/.server/services/finance/issue-refund";
import { syncOrderMoney } from "~/.server/services/finance/order-money";
import { postingsCsvFor, reconcileDays, refundsWithoutPosting } from "~/.server/services/finance/reconciliation";
import { processWebhook } from "~/.server/services/process-webhook";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { approveReturn, declineReturn } from "~/.server/services/returns/decide-return";
import { confirmParcelMatch, parcelCandidates, receiveParcel, resumeParcelMatches, type ParcelCommand } from "~/.server/services/returns/parcels";
import { requestExchangeSettlement, settleExchange, exchangeRefundKey } from "~/.server/services/returns/exchange-difference";
import { receiveReturn } from "~/.server/services/returns/receive-return";
import { returnDetailView } from "~/.server/services/returns/returns-views";
import { findReturn } from "~/.server/db/returns";
import { requestReturn, type ReturnCommand } from "~/.server/services/returns/request-return";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { shopSettled, waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
type State = {
  fulfillmentOrders: { id: string; orderId: string; location: string; status: string; lines: { remaining: number }[] }[];
  inventory: { sku: string; location: string; available: number; damaged: number; committed: number; on_hand: number }[];
};
const SHOP = "returns-e2e.myshopify.com";
const ACTOR = "user:4242";

describe("returns, refunds and finance against the dev shop", { timeout: 90_000 }, () => {
  let standIn: Shop["standIn"];
  let post: Shop["post"];
  let close: Shop["close"];
  let dispatcher: Shop["dispatcher"];
  const state = async () => (await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as State;
  const level = async (sku: string, location: string) => (await state()).inventory.find((l) => l.sku === sku && l.location === location)!;
  const locationId = async (name: string) => (await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name } })).id;

  /** A staff return request for these units of the order (no fee, no exchange, not approved, unless `over` says). */
  const returnRequest = (orderId: string, lines: { fulfillmentLineItemId: string; quantity: number }[], over: Partial<ReturnCommand> = {}): ReturnCommand => ({
    shop: SHOP,
    orderId,
    lines,
    approveNow: false,
    reason: null,
    restockingFeePercent: 0,
    shippingFeeMinor: 0n,
    exchange: [],
    exchangePolicy: "on_receipt",
    instructions: null,
    actor: ACTOR,
    ...over,
  });

  /** A parcel without an order reference, received at Seattle WA by the test's staff member. */
  const seattleParcel = (seattle: string, key: string, lines: ParcelCommand["lines"], slip: ParcelCommand["slip"]): ParcelCommand => ({
    shop: SHOP,
    key,
    locationId: seattle,
    locationName: "Seattle WA",
    lines,
    slip,
    actor: ACTOR,
  });

  /** A shopper's order, shipped from wherever Shopify routed it, and known to the OMS with its fulfilments. */
  async function shippedOrder(lines: { sku: string; quantity: number }[], email = "ada@example.com") {
    const placed = (await (await post(`/_dev/shops/${SHOP}/checkout`, { lines, shippingAddress: austin, email })).json()) as {
      orderId: string;
      fulfillmentOrderIds: string[];
    };
    await waitFor(
      async () =>
        (await db().fulfillmentGroup.count({ where: { order: { shop: SHOP, sourceId: placed.orderId } } })) >= placed.fulfillmentOrderIds.length || undefined,
      20_000,
      "the order's fulfilment groups",
    );
    for (const fo of placed.fulfillmentOrderIds)
      await post(`/_dev/shops/${SHOP}/fulfillment-orders/${encodeURIComponent(fo)}/ship`, { company: "UPS", number: `1Z${fo.slice(-6)}` });
    const order = await waitFor(
      async () => {
        const o = await db().order.findFirst({ where: { shop: SHOP, sourceId: placed.orderId }, include: { groups: true, lines: true } });
        return o && o.groups.length >= placed.fulfillmentOrderIds.length && o.groups.every((g) => g.status === "CLOSED") ? o : undefined;
      },
      20_000,
      "the shipped order in the OMS",
    );
    const fulfilled = (await (
      await import("~/.server/shopify/returns")
    ).fetchReturnables(await (await import("~/.server/shopify/admin")).adminFor(SHOP), placed.orderId))!;
    return { order, placed, fulfilled };
  }

  beforeAll(async () => {
    // Two more products for exchanges at another price: socks (cheaper than a tee) and a jacket (dearer).
    ({ standIn, post, close, dispatcher } = await connectedDevShop(SHOP, { duplicateRate: 1 }, (f) => {
      f.products.push(
        { title: "Trail Socks", variants: [{ sku: "SOCK-M", price: "8.00", inventory: { "Edison NJ": 0, "Dallas TX": 20 } }] },
        { title: "Trail Jacket", variants: [{ sku: "JKT-M", price: "80.00", inventory: { "Edison NJ": 0, "Dallas TX": 20 } }] },
      );
    }));
    await reconcileStock(SHOP, new Date());
  });
  afterAll(() => close());

  it("partial return of a split shipment, approved with a label, received damaged: damaged stock in Shopify, ATP unchanged, a second receipt refused", async () => {
    // TEE-L is only at Dallas and SHELL-M only at Seattle: two shipments.
    const { order, fulfilled } = await shippedOrder([
      { sku: "TEE-L", quantity: 2 },
      { sku: "SHELL-M", quantity: 1 },
    ]);
    expect(new Set(order.groups.map((g) => g.locationName))).toEqual(new Set(["Dallas TX", "Seattle WA"]));
    const teeL = fulfilled.fulfilled.find((f) => f.sku === "TEE-L")!;
    const tooMany = await requestReturn(
      returnRequest(order.id, [{ fulfillmentLineItemId: teeL.fulfillmentLineItemId, quantity: 3 }], { reason: "too small" }),
      new Date(),
    );
    expect(tooMany).toEqual({ ok: false, error: { code: "INVALID", message: "only 2 of that line can still be returned (asked for 3)" } });

    const requested = await requestReturn(
      returnRequest(order.id, [{ fulfillmentLineItemId: teeL.fulfillmentLineItemId, quantity: 1 }], {
        reason: "too small",
        restockingFeePercent: 10,
      }),
      new Date(),
    );
    if (!requested.ok) throw new Error(JSON.stringify(requested.error));
    const ret = await db().returnCase.findUniqueOrThrow({ where: { id: requested.value.returnId }, include: { lines: true } });
    expect(ret).toMatchObject({ status: "requested", orderName: order.name, restockingFeePercent: 10 });
    expect(ret.lines).toMatchObject([{ sku: "TEE-L", quantity: 1, unitPriceMinor: 2400n }]);

    const approved = await approveReturn(
      {
        shop: SHOP,
        returnId: ret.id,
        version: ret.version,
        instructions: "Drop it at any UPS store",
        tracking: { number: "RET-1", url: null },
        labelUrl: "https://labels.example/RET-1.pdf",
        actor: ACTOR,
      },
      new Date(),
    );
    expect(approved, JSON.stringify(approved)).toEqual({ ok: true, value: null });

    const dallas = await locationId("Dallas TX");
    const before = await level("TEE-L", "Dallas TX");
    const atApproval = (await db().returnCase.findUniqueOrThrow({ where: { id: ret.id } })).version;
    const receive = () =>
      receiveReturn(
        { shop: SHOP, returnId: ret.id, version: atApproval, locationId: dallas, receipts: [{ lineId: ret.lines[0]!.id, damaged: 1 }], actor: ACTOR },
        new Date(),
      );
    expect(await receive()).toEqual({ ok: true, value: { received: 1 } });
    expect(await receive()).toMatchObject({ ok: false, error: { code: "CHANGED" } }); // the double click
    const after = await level("TEE-L", "Dallas TX");
    // Sellable units made by the receipt: none. Measured as available + safety_stock, since the OMS's
    // ATP push may move units between the two (its hold) at any moment, as a push landing between the
    // two reads did once on PostgreSQL.
    const sellable = (l: typeof before) => l.available + ((l as { safety_stock?: number }).safety_stock ?? 0);
    expect({ damaged: after.damaged - before.damaged, available: sellable(after) - sellable(before), onHand: after.on_hand - before.on_hand }).toEqual({
      damaged: 1,
      available: 0,
      onHand: 1,
    });
    // The OMS reads the level back: on hand up by one, unavailable (damaged) up by one, nothing more to promise.
    await waitFor(
      async () => {
        const l = await db().stockLevel.findFirst({ where: { shop: SHOP, sku: "TEE-L", locationId: dallas } });
        return l && l.onHand === before.on_hand + 1 && l.unavailable >= 1 ? l : undefined;
      },
      15_000,
      "the OMS to observe the damaged unit",
    );
    const events = await db().orderEvent.findMany({ where: { orderId: order.id, kind: "return" }, orderBy: { at: "asc" } });
    expect(events.map((e) => [e.actor, e.summary.split(" — ")[0]])).toEqual([
      [ACTOR, expect.stringMatching(/^Return #\d+-R1 requested: 1 unit\(s\)/)],
      [ACTOR, expect.stringMatching(/approved, label RET-1/)],
      [ACTOR, expect.stringMatching(/received at the warehouse/)],
    ]);

    // Refund the line less the 10 % restocking fee: 24.00 − 2.40.
    const refund = await issueRefund(
      {
        shop: SHOP,
        orderId: order.id,
        returnId: ret.id,
        requestKey: `r-${ret.id}`,
        lines: [{ sourceLineId: ret.lines[0]!.sourceLineId!, quantity: 1 }],
        shippingMinor: 0n,
        restockingFeePercent: 10,
        storeCreditMinor: 0n,
        note: "damaged on arrival",
        actor: ACTOR,
      },
      new Date(),
    );
    expect(refund).toMatchObject({ ok: true, value: { amountMinor: 2160n, currency: "USD", replayed: false } });
    const again = await issueRefund(
      {
        shop: SHOP,
        orderId: order.id,
        returnId: ret.id,
        requestKey: `r-${ret.id}`,
        lines: [{ sourceLineId: ret.lines[0]!.sourceLineId!, quantity: 1 }],
        shippingMinor: 0n,
        restockingFeePercent: 10,
        storeCreditMinor: 0n,
        note: "damaged on arrival",
        actor: ACTOR,
      },
      new Date(),
    );
    expect(again).toMatchObject({ ok: true, value: { replayed: true } });
    const postings = await db().financePosting.findMany({ where: { shop: SHOP, orderId: order.id, kind: { not: "capture" } }, orderBy: { kind: "asc" } });
    expect(postings.map((p) => [p.kind, p.amountMinor])).toEqual([
      ["refund", 2160n],
      ["restocking_fee", 240n],
    ]);
    expect((await db().returnCase.findUniqueOrThrow({ where: { id: ret.id } })).status).toBe("closed");
  });

  it("a receipt whose answer from Shopify is lost: given back when Shopify did not take it, carried on when it did — never processed twice", async () => {
    const { order, fulfilled } = await shippedOrder([{ sku: "TEE-M", quantity: 2 }]);
    const tee = fulfilled.fulfilled.find((f) => f.sku === "TEE-M")!;
    const requested = await requestReturn(
      returnRequest(order.id, [{ fulfillmentLineItemId: tee.fulfillmentLineItemId, quantity: 2 }], { approveNow: true, reason: "too big" }),
      new Date(),
    );
    if (!requested.ok) throw new Error(JSON.stringify(requested.error));
    const read = () => db().returnCase.findUniqueOrThrow({ where: { id: requested.value.returnId }, include: { lines: true } });
    const approved = await read();
    const where = (order.groups[0]?.locationId ?? (await locationId("Dallas TX")))!;
    const receiveOne = (version: number) =>
      receiveReturn(
        { shop: SHOP, returnId: approved.id, version, locationId: where, receipts: [{ lineId: approved.lines[0]!.id, restock: 1 }], actor: ACTOR },
        new Date(),
      );
    const shopifyProcessed = async () =>
      (await (
        await import("~/.server/shopify/returns")
      ).readReturn(await (await import("~/.server/shopify/admin")).adminFor(SHOP), approved.sourceId!))!.returnLineItems.nodes.map((n) =>
        "processedQuantity" in n ? n.processedQuantity : null,
      );
    const fault = (mode: string) => post(`/_dev/shops/${SHOP}/faults/admin`, { operations: ["OmsReturnProcess"], mode, count: 1 });

    // Shopify could not be reached (nothing ran): the receipt is given back.
    await fault("unavailable");
    await expect(receiveOne(approved.version)).rejects.toThrow();
    const givenBack = await read();
    expect(givenBack).toMatchObject({ status: approved.status, version: approved.version + 2 });
    expect(givenBack.lines[0]).toMatchObject({ restocked: 0 });
    expect(await shopifyProcessed()).toEqual([0]);

    // Shopify took it and the answer was lost: carried on, processed once.
    await fault("lost_answer");
    expect(await receiveOne(givenBack.version)).toEqual({ ok: true, value: { received: 1 } });
    expect((await read()).lines[0]).toMatchObject({ restocked: 1 });
    expect(await shopifyProcessed()).toEqual([1]);
    expect(await receiveOne((await read()).version)).toEqual({ ok: true, value: { received: 1 } });
    expect(await shopifyProcessed()).toEqual([2]);
  });

  it("a declined request keeps its reason; the units can be asked for again", async () => {
    const { order, fulfilled } = await shippedOrder([{ sku: "TEE-M", quantity: 1 }]);
    const req = await requestReturn(
      returnRequest(order.id, [{ fulfillmentLineItemId: fulfilled.fulfilled[0]!.fulfillmentLineItemId, quantity: 1 }], {}),
      new Date(),
    );
    if (!req.ok) throw new Error(JSON.stringify(req.error));
    const r = await db().returnCase.findUniqueOrThrow({ where: { id: req.value.returnId } });
    expect(
      await declineReturn({ shop: SHOP, returnId: r.id, version: r.version, reason: "FINAL_SALE", note: "Sale items are final", actor: ACTOR }, new Date()),
    ).toEqual({ ok: true, value: null });
    expect(await db().returnCase.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      status: "declined",
      declineReason: "FINAL_SALE: Sale items are final",
    });
  });

  it("an exchange shipped on receipt: the new item is reserved by the OMS while held, and ships once the returned item is restocked", async () => {
    const { order, fulfilled } = await shippedOrder([{ sku: "TEE-M", quantity: 1 }], "exchange@example.com");
    const teeL = (await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku: "TEE-L" } })).variantId!;
    const opened = await requestReturn(
      returnRequest(order.id, [{ fulfillmentLineItemId: fulfilled.fulfilled[0]!.fulfillmentLineItemId, quantity: 1 }], {
        approveNow: true,
        reason: "size",
        exchange: [{ variantId: teeL, quantity: 1 }],
      }),
      new Date(),
    );
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const held = await waitFor(
      async () => (await state()).fulfillmentOrders.find((f) => f.orderId === order.sourceId && f.status === "ON_HOLD"),
      10_000,
      "the exchange fulfilment order",
    );
    // The OMS holds the exchange unit at its location like any order's (learnt from the hold's webhook
    // through a sync delayed 2 s: under a loaded CI machine that can take a while). On a timeout, what
    // the OMS had by then is printed, so a failure says where it stopped.
    await waitFor(
      async () => {
        // This order's group: other test files' stand-ins number their fulfilment orders from the same start, in the same database.
        const g = await db().fulfillmentGroup.findFirst({ where: { orderId: order.id, sourceId: held.id } });
        const reserved = await db().stockMovement.findFirst({ where: { shop: SHOP, reference: order.id, kind: "reserve", locationId: g?.locationId ?? "-" } });
        return g?.status === "ON_HOLD" && reserved ? reserved : undefined;
      },
      30_000,
      "the exchange reservation",
    ).catch(async (e: unknown) => {
      const groups = await db().fulfillmentGroup.findMany({ where: { orderId: order.id }, select: { sourceId: true, status: true, locationId: true } });
      const moves = await db().stockMovement.findMany({ where: { reference: order.id }, select: { kind: true, locationId: true, reservedDelta: true } });
      const letters = await db().deadLetter.findMany({ where: { shop: SHOP }, select: { jobName: true, error: true } });
      throw new Error(`${(e as Error).message}; groups ${JSON.stringify(groups)}; movements ${JSON.stringify(moves)}; dead letters ${JSON.stringify(letters)}`);
    });
    const r = await db().returnCase.findUniqueOrThrow({ where: { id: opened.value.returnId }, include: { lines: true } });
    expect(r).toMatchObject({ status: "in_transit", exchangePolicy: "on_receipt" });
    const before = await level("TEE-M", "Dallas TX");
    expect(
      await receiveReturn(
        {
          shop: SHOP,
          returnId: r.id,
          version: r.version,
          locationId: await locationId("Dallas TX"),
          receipts: [{ lineId: r.lines[0]!.id, restock: 1 }],
          actor: ACTOR,
        },
        new Date(),
      ),
    ).toMatchObject({ ok: true });
    expect((await level("TEE-M", "Dallas TX")).available).toBe(before.available + 1);
    await waitFor(async () => (await state()).fulfillmentOrders.find((f) => f.id === held.id && f.status === "OPEN"), 10_000, "the exchange released");
  });

  it("an exchange for a cheaper item refunds the difference once every unit is in (once, even settled again); a dearer one is left to collect (exchange_balance_due)", async () => {
    const variant = async (sku: string) => (await db().stockLevel.findFirstOrThrow({ where: { shop: SHOP, sku } })).variantId!;
    const exchangeAndReceive = async (sku: string, email: string) => {
      const { order, fulfilled } = await shippedOrder([{ sku: "TEE-M", quantity: 1 }], email); // 24.00 + 9.95 shipping
      const opened = await requestReturn(
        returnRequest(order.id, [{ fulfillmentLineItemId: fulfilled.fulfilled[0]!.fulfillmentLineItemId, quantity: 1 }], {
          approveNow: true,
          reason: "swap",
          exchange: [{ variantId: await variant(sku), quantity: 1 }],
        }),
        new Date(),
      );
      if (!opened.ok) throw new Error(JSON.stringify(opened.error));
      const r = await db().returnCase.findUniqueOrThrow({ where: { id: opened.value.returnId }, include: { lines: true } });
      expect(
        await receiveReturn(
          {
            shop: SHOP,
            returnId: r.id,
            version: r.version,
            locationId: await locationId("Dallas TX"),
            receipts: [{ lineId: r.lines[0]!.id, restock: 1 }],
            actor: ACTOR,
          },
          new Date(),
        ),
      ).toMatchObject({ ok: true });
      return { order, returnId: r.id };
    };

    // Cheaper: a 24.00 tee for 8.00 socks — 16.00 back, through the guarded refund path.
    const cheaper = await exchangeAndReceive("SOCK-M", "socks@example.com");
    expect((await returnDetailView(SHOP, cheaper.returnId, new Date()))!.exchangeDifference).toEqual({
      returned: "24.00 USD",
      exchange: "8.00 USD",
      refund: "16.00 USD",
      collect: null,
    });
    const refunds = () => db().refundRecord.findMany({ where: { orderId: cheaper.order.id } });
    // Settled by its own job (settle-exchange), after the receipt.
    await waitFor(
      async () => (await db().exchangeSettlement.findFirst({ where: { shop: SHOP, returnId: cheaper.returnId, status: "settled" } })) ?? undefined,
      20_000,
      "the exchange settled",
    );
    expect((await refunds()).map((f) => [f.requestKey, f.status, f.amountMinor])).toEqual([[exchangeRefundKey(cheaper.returnId), "succeeded", 1600n]]);
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: cheaper.order.id } })).toMatchObject({
      capturedMinor: 3395n,
      refundedMinor: 1600n,
      pendingMinor: 0n,
    });
    // Settled again (a retried receipt, a replay): the same request key, nothing more refunded.
    expect(await requestExchangeSettlement((await findReturn(SHOP, cheaper.returnId))!, ACTOR, new Date())).toBe("requested");
    expect(await settleExchange(SHOP, cheaper.returnId, new Date(), false)).toBe("already_settled");
    expect(await refunds()).toHaveLength(1);
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: cheaper.order.id } })).toMatchObject({ refundedMinor: 1600n });

    // Dearer: a 24.00 tee for an 80.00 jacket — nothing refunded, 56.00 to collect, shown and on the timeline.
    const dearer = await exchangeAndReceive("JKT-M", "jacket@example.com");
    expect((await returnDetailView(SHOP, dearer.returnId, new Date()))!.exchangeDifference).toEqual({
      returned: "24.00 USD",
      exchange: "80.00 USD",
      refund: null,
      collect: "56.00 USD",
    });
    await waitFor(
      async () => (await db().exchangeSettlement.findFirst({ where: { shop: SHOP, returnId: dearer.returnId, status: "settled" } })) ?? undefined,
      20_000,
      "the exchange recorded to collect",
    );
    expect(await db().refundRecord.count({ where: { orderId: dearer.order.id } })).toBe(0);
    const events = await db().orderEvent.findMany({ where: { orderId: dearer.order.id, kind: "return" } });
    expect(events.map((e) => e.summary).filter((x) => x.includes("to collect"))).toEqual([expect.stringContaining("56.00 USD to collect from the customer")]);
    expect(await findException(SHOP, "exchange_balance_due", dearer.returnId)).toMatchObject({ status: "open", orderId: dearer.order.id });
  });

  it("a refund above captured − refunded is refused with the numbers; two staff refunding at once never exceed it", async () => {
    const { order } = await shippedOrder([{ sku: "TEE-M", quantity: 2 }]); // 48.00 + 9.95 shipping = 57.95 captured
    const line = order.lines[0]!.sourceLineId;
    const base = { shop: SHOP, orderId: order.id, returnId: null, lines: [], restockingFeePercent: 0, storeCreditMinor: 0n, note: null };
    const over = await issueRefund(
      { ...base, requestKey: "over-1", lines: [{ sourceLineId: line, quantity: 2 }], shippingMinor: 1000n, actor: ACTOR },
      new Date(),
    );
    expect(over).toEqual({
      ok: false,
      error: {
        code: "OVER_CAPTURE",
        currency: "USD",
        requestedMinor: 5800n,
        capturedMinor: 5795n,
        refundedMinor: 0n,
        pendingMinor: 0n,
        exchangeMinor: 0n,
        refundableMinor: 5795n,
      },
    });
    expect(describeRefusal((over as { error: Parameters<typeof describeRefusal>[0] }).error)).toBe(
      "Refund of 58.00 USD refused: captured 57.95 USD, already refunded 0.00 USD; at most 57.95 USD can be refunded.",
    );
    // Two staff members refund both units (48.00, 40.00 of it as store credit) at the same moment: one goes through.
    const both = await Promise.all(
      ["alice", "bob"].map((who) =>
        issueRefund(
          {
            ...base,
            requestKey: `race-${who}`,
            lines: [{ sourceLineId: line, quantity: 2 }],
            shippingMinor: 0n,
            storeCreditMinor: 4000n,
            actor: `user:${who}`,
          },
          new Date(),
        ),
      ),
    );
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(both.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: "OVER_CAPTURE", refundableMinor: 995n } });
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      capturedMinor: 5795n,
      refundedMinor: 4800n,
      pendingMinor: 0n,
    });
    const refunds = await db().financePosting.findMany({ where: { orderId: order.id, kind: "refund" } });
    expect(refunds.map((p) => [p.gateway, p.amountMinor])).toEqual([["bogus", 800n]]);
    const storeCredit = await db().financePosting.findMany({ where: { orderId: order.id, kind: "store_credit" } });
    expect(storeCredit.map((p) => [p.gateway, p.amountMinor])).toEqual([["store_credit", 4000n]]);
  });

  // A refund made in Shopify itself (admin, another app, or an OMS request that stopped before recording its answer).
  async function refundInShopify(orderId: string, amount: string, key: string) {
    const res = await fetch(`${standIn.url}/admin/api/2026-04/graphql.json`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-shopify-access-token": (await db().session.findFirstOrThrow({ where: { shop: SHOP } })).accessToken,
        "x-forwarded-host": SHOP,
      },
      body: JSON.stringify({
        query: `mutation R($input: RefundInput!) { refundCreate(input: $input) @idempotent(key: "${key}") { refund { id } userErrors { message } } }`,
        variables: { input: { orderId, allowOverRefunding: true, transactions: [{ orderId, amount, gateway: "bogus", kind: "REFUND" }] } },
      }),
    });
    return ((await res.json()) as { data: { refundCreate: { refund: { id: string } } } }).data.refundCreate.refund.id;
  }

  it("a refunds/create from Shopify above what was captured raises refund_over_capture and is not posted", async () => {
    const { order, placed } = await shippedOrder([{ sku: "TEE-M", quantity: 1 }]); // 24.00 + 9.95
    const refundId = await refundInShopify(placed.orderId, "50.00", "drift-1");
    const exception = await waitFor(
      () => findException(SHOP, "refund_over_capture", refundId).then((e) => e ?? undefined),
      15_000,
      "the refund_over_capture exception",
    );
    expect(exception).toMatchObject({ status: "open", severity: "critical", orderId: order.id });
    expect(exception.summary).toMatch(/refunded 50\.00 USD .* refunds now 50\.00 USD against 33\.95 USD captured/);
    expect(await db().refundRecord.findFirstOrThrow({ where: { shop: SHOP, sourceId: refundId } })).toMatchObject({
      status: "over_capture",
      amountMinor: 5000n,
    });
    expect(await db().financePosting.count({ where: { refundId } })).toBe(0);
    const missing = await refundsWithoutPosting(SHOP, new Date(Date.now() - 3_600_000), new Date(Date.now() + 3_600_000));
    expect(missing.find((m) => m.refundId === refundId)).toMatchObject({ explainedBy: "refund_over_capture", missing: ["refund"] });
  });

  it("an OMS refund whose request stopped after Shopify made it: its webhook completes the pending record once and gives back what it held", async () => {
    const { order, placed } = await shippedOrder([{ sku: "TEE-M", quantity: 1 }]); // 24.00 + 9.95 captured
    await syncOrderMoney(SHOP, placed.orderId, new Date());
    // The request reserved 20.00 ten minutes ago, sent it, and stopped before recording Shopify's answer.
    const reserved = await reserveRefund({
      shop: SHOP,
      orderId: order.id,
      orderName: order.name,
      returnId: null,
      requestKey: "stopped-1",
      currency: "USD",
      amountMinor: 2000n,
      linesMinor: 2000n,
      shippingMinor: 0n,
      restockingFeeMinor: 0n,
      storeCreditMinor: 0n,
      exchangeHeldMinor: 0n,
      note: null,
      actor: ACTOR,
      at: new Date(Date.now() - 10 * 60_000),
    });
    expect(reserved.kind).toBe("reserved");
    const refundId = await refundInShopify(placed.orderId, "20.00", "stopped-1");
    const record = await waitFor(
      async () => {
        const r = await db().refundRecord.findFirst({ where: { shop: SHOP, requestKey: "stopped-1" } });
        return r?.status === "succeeded" ? r : undefined;
      },
      15_000,
      "the stopped refund completed by its webhook",
    );
    expect(record).toMatchObject({ sourceId: refundId, amountMinor: 2000n });
    expect(await db().refundRecord.count({ where: { orderId: order.id } })).toBe(1); // not recorded a second time beside it
    expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId: order.id } })).toMatchObject({
      capturedMinor: 3395n,
      refundedMinor: 2000n,
      pendingMinor: 0n,
    });
    expect(await db().financePosting.count({ where: { refundId } })).toBeGreaterThan(0);
    expect(await findException(SHOP, "refund_over_capture", refundId)).toBeNull();
  });

  it("parcels without an order reference: scored and explained, restocked before the match, matched by a person without a refund; another left waiting with its age", async () => {
    const { order } = await shippedOrder([{ sku: "SHELL-M", quantity: 1 }], "grace@example.com");
    const seattle = await locationId("Seattle WA");
    const before = await level("SHELL-M", "Seattle WA");
    const parcel = await receiveParcel(
      seattleParcel(seattle, "parcel-1", [{ sku: "SHELL-M", quantity: 1, disposition: "restock" }], { name: "Grace H", email: "Grace@Example.com" }),
      new Date(),
    );
    if (!parcel.ok) throw new Error(JSON.stringify(parcel.error));
    expect((await level("SHELL-M", "Seattle WA")).available).toBe(before.available + 1); // restocked before any match
    const replay = await receiveParcel(
      seattleParcel(seattle, "parcel-1", [{ sku: "SHELL-M", quantity: 1, disposition: "restock" }], { name: "Grace H", email: "Grace@Example.com" }),
      new Date(),
    );
    expect(replay).toMatchObject({ ok: true, value: { returnId: parcel.value.returnId, replayed: true } });
    expect((await level("SHELL-M", "Seattle WA")).available).toBe(before.available + 1);
    expect(await findException(SHOP, "unmatched_return", parcel.value.returnId)).toMatchObject({ status: "open", occurrences: 2 });

    const candidates = await parcelCandidates(SHOP, parcel.value.returnId, new Date());
    expect(candidates![0]).toMatchObject({ orderId: order.id, explanation: "same email, bought 1 of SHELL-M 0 days ago, not yet returned" });
    const r = await db().returnCase.findUniqueOrThrow({ where: { id: parcel.value.returnId } });
    const matched = await confirmParcelMatch({ shop: SHOP, returnId: r.id, version: r.version, orderId: order.id, actor: ACTOR }, new Date());
    expect(matched).toMatchObject({ ok: true });
    expect(await confirmParcelMatch({ shop: SHOP, returnId: r.id, version: r.version, orderId: order.id, actor: ACTOR }, new Date())).toMatchObject({
      ok: false,
    });
    expect(await db().returnCase.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({ status: "received", orderId: order.id });
    expect((await level("SHELL-M", "Seattle WA")).available).toBe(before.available + 1); // not restocked twice
    expect(await findException(SHOP, "unmatched_return", r.id)).toMatchObject({ status: "resolved", resolvedBy: ACTOR });
    expect(await db().refundRecord.count({ where: { orderId: order.id } })).toBe(0); // nothing refunded automatically

    const lonely = await receiveParcel(
      seattleParcel(seattle, "parcel-2", [{ sku: "TEE-M", quantity: 1, disposition: "damaged" }], { name: "Nobody" }),
      new Date(),
    );
    if (!lonely.ok) throw new Error(JSON.stringify(lonely.error));
    const waiting = await findException(SHOP, "unmatched_return", lonely.value.returnId);
    expect(waiting).toMatchObject({ status: "open" });
    expect(waiting!.raisedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await db().returnCase.findUniqueOrThrow({ where: { id: lonely.value.returnId } })).status).toBe("awaiting_match");
  });

  it("a parcel match whose run stopped: finished by the order watch from the Shopify return it opened, or given back to the queue when it stopped before that", async () => {
    const { order } = await shippedOrder([{ sku: "TEE-M", quantity: 2 }], "hedy@example.com");
    const seattle = await locationId("Seattle WA");
    const parcelOf = async (key: string) => {
      const p = await receiveParcel(
        seattleParcel(seattle, key, [{ sku: "TEE-M", quantity: 1, disposition: "restock" }], { name: "Hedy L", email: "hedy@example.com" }),
        new Date(),
      );
      if (!p.ok) throw new Error(JSON.stringify(p.error));
      return db().returnCase.findUniqueOrThrow({ where: { id: p.value.returnId } });
    };
    const fault = (operation: string) => post(`/_dev/shops/${SHOP}/faults/admin`, { operations: [operation], mode: "unavailable", count: 1 });
    const later = () => new Date(Date.now() + 11 * 60_000);

    // Stopped after Shopify opened the return (its processing could not be sent): finished from the return recorded on the parcel.
    const first = await parcelOf("parcel-stopped-1");
    await fault("OmsReturnProcess");
    await expect(confirmParcelMatch({ shop: SHOP, returnId: first.id, version: first.version, orderId: order.id, actor: ACTOR }, new Date())).rejects.toThrow();
    const stuck = await db().returnCase.findUniqueOrThrow({ where: { id: first.id } });
    expect(stuck).toMatchObject({ status: "matching", orderId: order.id });
    expect(stuck.sourceId).toMatch(/^gid:\/\/shopify\/Return\//);
    expect(await resumeParcelMatches(new Date())).toBe(0); // not yet: its run may still be going
    expect(await resumeParcelMatches(later())).toBe(1);
    expect(await db().returnCase.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "received", sourceId: stuck.sourceId });
    expect(await findException(SHOP, "unmatched_return", first.id)).toMatchObject({ status: "resolved", resolvedBy: "oms:order-watch" });
    const shopifyReturn = (await (
      await import("~/.server/shopify/returns")
    ).readReturn(await (await import("~/.server/shopify/admin")).adminFor(SHOP), stuck.sourceId!))!;
    expect(shopifyReturn.returnLineItems.nodes.map((n) => ("processedQuantity" in n ? n.processedQuantity : null))).toEqual([1]);
    expect(await resumeParcelMatches(later())).toBe(0);

    // Stopped before Shopify answered returnCreate: given back to the match queue, its item saying so.
    const second = await parcelOf("parcel-stopped-2");
    await fault("OmsReturnCreate");
    await expect(
      confirmParcelMatch({ shop: SHOP, returnId: second.id, version: second.version, orderId: order.id, actor: ACTOR }, new Date()),
    ).rejects.toThrow();
    expect(await db().returnCase.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({ status: "matching", sourceId: "parcel:parcel-stopped-2" });
    expect(await resumeParcelMatches(later())).toBe(1);
    const back = await db().returnCase.findUniqueOrThrow({ where: { id: second.id } });
    expect(back).toMatchObject({ status: "awaiting_match", orderId: null });
    expect((await findException(SHOP, "unmatched_return", second.id))?.summary).toMatch(/stopped before it was recorded/);
    // Matched again by a person: the order still has the unit shipped and not returned.
    expect(await confirmParcelMatch({ shop: SHOP, returnId: second.id, version: back.version, orderId: order.id, actor: ACTOR }, new Date())).toMatchObject({
      ok: true,
    });
  });

  it("the day reconciles with no unexplained difference; the CSV opens cleanly with totals; replaying every delivery changes nothing", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = await reconcileDays(SHOP, today, today, { readShopify: true });
    expect(report.unexplained).toBe(0);
    expect(report.differences.every((d) => d.explainedBy)).toBe(true);
    expect(report.totals.some((t) => t.kind === "capture" && t.currency === "USD")).toBe(true);
    const csv = await postingsCsvFor(SHOP, today, today);
    const rows = csv.trimEnd().split("\r\n");
    expect(rows.every((r) => r.split('","').length === 11)).toBe(true);
    expect(rows.filter((r) => r.startsWith('"TOTAL"')).length).toBeGreaterThanOrEqual(3);

    const counts = async () => ({
      refunds: await db().refundRecord.count(),
      postings: await db().financePosting.count(),
      returns: await db().returnCase.count(),
      events: await db().orderEvent.count({ where: { shop: SHOP } }),
      exceptions: await db().opsException.count({ where: { shop: SHOP } }),
    });
    // What the earlier cases set going (webhook retries, the money sweep's window) finishes first.
    await shopSettled(SHOP, dispatcher);
    const before = await counts();
    const deliveries = await db().webhookDelivery.findMany({
      where: { shop: SHOP, topic: { in: ["refunds/create", "returns/request", "returns/approve", "returns/decline", "returns/close"] } },
    });
    expect(deliveries.length).toBeGreaterThan(5);
    await db().webhookDelivery.updateMany({ where: { id: { in: deliveries.map((d) => d.id) } }, data: { status: "received" } });
    for (const d of deliveries) await processWebhook(d.id, new Date());
    await shopSettled(SHOP, dispatcher); // and what the replays set going, if anything
    expect(await counts()).toEqual(before);

    // A refund whose webhook was lost: Shopify has it, the OMS does not — the reconciliation says so.
    const lost = await db().refundRecord.findFirstOrThrow({ where: { shop: SHOP, status: "succeeded" } });
    await db().refundRecord.delete({ where: { id: lost.id } });
    const after = await reconcileDays(SHOP, today, today, { readShopify: true });
    expect(after.differences.filter((d) => !d.explainedBy).map((d) => [d.kind, d.refundId])).toEqual(
      expect.arrayContaining([["refund_not_recorded", lost.sourceId]]),
    );
  });
});
