// The refund race of refund-concurrency*.test.ts: two (or eight) staff refunding the same order at the same moment, on SQLite and on PostgreSQL:
// the guarded write on OrderMoney lets through exactly what captured − refunded − in flight allows,
// never more, and a repeated request key is the same request.
import { expect } from "vitest";
import { db } from "~/.server/db/client";
import { completeRefund, failRefund, observeCaptured, reserveRefund } from "~/.server/db/finance";

const draft = (orderId: string, key: string, amountMinor: bigint, exchangeHeldMinor = 0n) => ({
  shop: "race.myshopify.com",
  orderId,
  orderName: "#1001",
  returnId: null,
  requestKey: key,
  currency: "USD",
  amountMinor,
  linesMinor: amountMinor,
  shippingMinor: 0n,
  restockingFeeMinor: 0n,
  storeCreditMinor: 0n,
  exchangeHeldMinor,
  note: null,
  actor: `user:${key}`,
  at: new Date(),
});

export async function refundRace(orderId: string) {
  // Captured 100.00; eight people each try to refund 30.00 at once: three fit.
  await observeCaptured("race.myshopify.com", [{ orderId, currency: "USD", capturedMinor: 10000n }], new Date());
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => reserveRefund(draft(orderId, `${orderId}-k${i}`, 3000n))));
  const reserved = results.filter((r) => r.kind === "reserved");
  expect(reserved).toHaveLength(3);
  const refused = results.filter((r) => r.kind === "refused");
  expect(refused).toHaveLength(5);
  // The refusal carries the numbers it was refused on.
  expect(refused[0]).toMatchObject({ kind: "refused", funds: { capturedMinor: 10000n, refundedMinor: 0n, pendingMinor: 9000n } });
  // A double click: the same key is the same request, nothing more is reserved. Which of the eight
  // went through is the race's to decide (on PostgreSQL not always the first asked): one of each.
  const wonKey = `${orderId}-k${results.findIndex((r) => r.kind === "reserved")}`;
  const lostKey = `${orderId}-k${results.findIndex((r) => r.kind === "refused")}`;
  expect((await reserveRefund(draft(orderId, wonKey, 3000n))).kind).toBe("replayed");
  // A refused request is not kept: asked again, it is weighed again, and still does not fit.
  expect(await reserveRefund(draft(orderId, lostKey, 3000n))).toMatchObject({ kind: "refused", funds: { pendingMinor: 9000n } });
  // Completing one and failing one: refunded 30.00, in flight 30.00, and 40.00 left.
  const [a, b] = reserved.map((r) => (r.kind === "reserved" ? r.record : null!));
  await completeRefund(
    a!.id,
    {
      sourceId: `gid://shopify/Refund/${orderId}`,
      amountMinor: 3000n,
      presentmentMinor: 3000n,
      presentmentCurrency: "USD",
      gateway: "bogus",
      transactions: [],
      processedAt: new Date(),
    },
    () => [],
    new Date(),
  );
  await completeRefund(
    a!.id,
    {
      sourceId: `gid://shopify/Refund/${orderId}`,
      amountMinor: 3000n,
      presentmentMinor: 3000n,
      presentmentCurrency: "USD",
      gateway: "bogus",
      transactions: [],
      processedAt: new Date(),
    },
    () => [],
    new Date(),
  );
  await failRefund(b!.id, "declined by the gateway", new Date());
  await failRefund(b!.id, "declined by the gateway", new Date());
  const money = await db().orderMoney.findUniqueOrThrow({ where: { orderId } });
  expect(money).toMatchObject({ capturedMinor: 10000n, refundedMinor: 3000n, pendingMinor: 3000n });
}

/** The same race on an order with 40.00 of exchange items sent in place of returned goods: two of the eight fit, and the refusal says what was held. */
export async function refundRaceWithExchange(orderId: string) {
  await observeCaptured("race.myshopify.com", [{ orderId, currency: "USD", capturedMinor: 10000n }], new Date());
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => reserveRefund(draft(orderId, `${orderId}-k${i}`, 3000n, 4000n))));
  expect(results.filter((r) => r.kind === "reserved")).toHaveLength(2);
  expect(results.find((r) => r.kind === "refused")).toMatchObject({
    kind: "refused",
    funds: { capturedMinor: 10000n, refundedMinor: 0n, pendingMinor: 6000n, exchangeMinor: 4000n },
  });
  expect(await db().orderMoney.findUniqueOrThrow({ where: { orderId } })).toMatchObject({ capturedMinor: 10000n, refundedMinor: 0n, pendingMinor: 6000n });
}
