// What Shopify says the order's money is: captured (successful sales and captures) is observed into
// OrderMoney, and every capture is posted to the finance ledger once (by its transaction id).
import { capturePosting } from "~/domain/finance/postings";
import { findOrderHead } from "../../db/orders";
import { clearMoneyDue, observeCaptured, postCaptures } from "../../db/finance";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import { fetchOrderTransactions, type OrderTransactions } from "../../shopify/returns";

export const isCapture = (t: { kind: string; status: string }) => (t.kind === "SALE" || t.kind === "CAPTURE") && t.status === "SUCCESS";

export async function syncOrderMoney(shop: string, orderGid: string, now: Date, graphql?: AdminGraphql): Promise<OrderTransactions | null> {
  const head = await findOrderHead(shop, orderGid);
  if (!head) return null;
  const read = await fetchOrderTransactions(graphql ?? (await adminFor(shop)), orderGid);
  if (!read) return null;
  await recordOrderMoney(shop, head.id, read, now);
  return read;
}

/** Applies one read of the order's transactions (recordOrdersMoney). */
export const recordOrderMoney = (shop: string, orderId: string, read: OrderTransactions, now: Date) => recordOrdersMoney(shop, [{ orderId, read }], now);

/**
 * Applies reads of orders' transactions: each capture posted once, then what each order captured,
 * then the orders no longer await the money sweep (three statements for them all). In that order:
 * an order stays due (money-sweep.ts) until its postings and its OrderMoney row are written.
 */
export async function recordOrdersMoney(shop: string, reads: readonly { orderId: string; read: OrderTransactions }[], now: Date): Promise<void> {
  if (!reads.length) return;
  await postCaptures(
    shop,
    reads.flatMap(({ orderId, read }) =>
      read.transactions.filter(isCapture).map((t) => ({
        orderId,
        posting: capturePosting({
          transactionId: t.id,
          orderName: read.name,
          gateway: t.gateway,
          amountMinor: t.amountMinor,
          currency: read.currency,
          presentmentMinor: t.presentmentMinor,
          presentmentCurrency: t.presentmentCurrency,
          at: t.at,
        }),
      })),
    ),
    now,
  );
  await observeCaptured(
    shop,
    reads.map(({ orderId, read }) => ({
      orderId,
      currency: read.currency,
      capturedMinor: read.transactions.filter(isCapture).reduce((n, t) => n + t.amountMinor, 0n),
    })),
    now,
  );
  await clearMoneyDue(reads.map((r) => r.orderId));
}
