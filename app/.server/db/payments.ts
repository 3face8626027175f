import type { PaymentTx } from "~/domain/payments/consistency";
import { db } from "./client";
import { isUniqueViolation } from "./orders";

// Authorisations tracked to expiry, and the captures the OMS asked for (one per shipment and
// authorisation: the unique key is what makes a retried job or a second worker capture once).

export async function saveAuthorizations(
  shop: string,
  orderId: string,
  currency: string,
  auths: { tx: PaymentTx; capturedMinor: bigint; status: string }[],
): Promise<void> {
  for (const a of auths) {
    const data = { amountMinor: a.tx.amountMinor, capturedMinor: a.capturedMinor, status: a.status, expiresAt: a.tx.authorizationExpiresAt, currency };
    const where = { shop_transactionId: { shop, transactionId: a.tx.id } };
    try {
      await db().paymentAuthorization.upsert({ where, create: { shop, orderId, transactionId: a.tx.id, ...data }, update: data });
    } catch (e) {
      // Two checks of the same order created it at once (PostgreSQL's upsert is not atomic): update the winner's row.
      if (!isUniqueViolation(e)) throw e;
      await db().paymentAuthorization.update({ where, data });
    }
  }
}

/** Orders with an open authorisation lapsing before `before`. */
export async function authorizationsLapsingBefore(before: Date, take = 500) {
  return db().paymentAuthorization.findMany({
    where: { status: "open", expiresAt: { lte: before } },
    select: { shop: true, orderId: true },
    distinct: ["orderId"],
    take,
  });
}

/** Claims the capture for (shipment, authorisation). False when it was claimed before (by a replay or another worker). */
export async function claimCapture(c: {
  shop: string;
  orderId: string;
  captureKey: string;
  parentTransactionId: string;
  amountMinor: bigint;
  currency: string;
  actor: string;
  at: Date;
}): Promise<{ claimed: true; id: string } | { claimed: false; status: string }> {
  try {
    const row = await db().paymentCapture.create({ data: { ...c, status: "requested" }, select: { id: true } });
    return { claimed: true, id: row.id };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const row = await db().paymentCapture.findUnique({
      where: { shop_captureKey_parentTransactionId: { shop: c.shop, captureKey: c.captureKey, parentTransactionId: c.parentTransactionId } },
      select: { status: true },
    });
    return { claimed: false, status: row?.status ?? "requested" };
  }
}

export async function finishCapture(id: string, outcome: { status: "captured"; transactionId: string } | { status: "failed"; error: string }): Promise<void> {
  await db().paymentCapture.updateMany({ where: { id, status: "requested" }, data: outcome });
}

/** The capture claimed for this shipment and still waiting on Shopify's answer (its run going on, or stopped), if any. */
export const requestedCaptureFor = (shop: string, captureKey: string) =>
  db().paymentCapture.findFirst({ where: { shop, captureKey, status: "requested" }, orderBy: { at: "asc" } });

/** Shopify capture transactions the OMS has already recorded for the order's other claims. */
export async function recordedCaptureIds(orderId: string): Promise<Set<string>> {
  const rows = await db().paymentCapture.findMany({ where: { orderId, status: "captured" }, select: { transactionId: true } });
  return new Set(rows.flatMap((r) => (r.transactionId ? [r.transactionId] : [])));
}
