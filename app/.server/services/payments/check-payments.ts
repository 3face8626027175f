import { openAuthorizations, paymentFindings, type Finding } from "~/domain/payments/consistency";
import { EXCEPTION_KINDS } from "~/domain/exceptions/kinds";
import { createExceptionIfAbsent, openExceptionsForOrder } from "../../db/exceptions";
import { findOrderById } from "../../db/order-queries";
import { orderPolicy } from "../../db/order-policy";
import { authorizationsLapsingBefore, saveAuthorizations } from "../../db/payments";
import { NonRetriableError } from "../../errors";
import { enqueue } from "../../queue/queues";
import { adminFor } from "../../shopify/admin";
import { fetchOrderPayments } from "../../shopify/payments";
import { clearException } from "../exceptions/raise-exception";

/** How long a cancelled order may take to be refunded before it is reported. */
export const REFUND_GRACE_MS = 15 * 60_000;
const KINDS: Finding["kind"][] = ["capture_after_cancel", "cancelled_not_refunded", "authorization_expiring"];

/**
 * Reads an order's payments from Shopify and checks them against its state: a capture after the
 * cancellation, a cancellation never refunded, an authorisation about to lapse. Each finding is
 * raised once — a replay of the same facts raises nothing new, and an item a person resolved is
 * not reopened by it; findings whose cause went away are cleared. Authorisations are tracked to
 * expiry for the scheduled scan.
 */
export async function checkOrderPayments(shop: string, orderId: string, now: Date): Promise<{ raised: string[]; cleared: number }> {
  const order = await findOrderById(shop, orderId);
  if (!order) throw new NonRetriableError(`no order ${orderId}`);
  const p = await fetchOrderPayments(await adminFor(shop), order.sourceId, orderId);
  if (!p) throw new NonRetriableError(`Shopify has no order ${order.sourceId}`);
  const policy = await orderPolicy(shop);
  const open = openAuthorizations(p.transactions, now);
  await saveAuthorizations(
    shop,
    orderId,
    p.currency,
    p.transactions
      .filter((t) => t.kind === "AUTHORIZATION" && t.status === "SUCCESS")
      .map((t) => {
        const o = open.find((x) => x.tx.id === t.id);
        const expired = t.authorizationExpiresAt !== null && t.authorizationExpiresAt <= now;
        return { tx: t, capturedMinor: t.amountMinor - (o?.remainingMinor ?? 0n), status: o ? "open" : expired ? "expired" : "closed" };
      }),
  );
  const findings = paymentFindings(p, now, { refundGraceMs: REFUND_GRACE_MS, warnMs: policy.authorizationWarnHours * 3_600_000 });
  const raised: string[] = [];
  // Each finding once: not counted again by a replay or by a check racing this one (the worker's own
  // and a person's), and not reopened once a person resolved it.
  for (const f of findings) {
    if (await createExceptionIfAbsent({ shop, kind: f.kind, severity: f.severity, subjectKey: f.subjectKey, orderId, summary: f.summary, data: f.data }, now))
      raised.push(f.kind);
  }
  // What no longer holds is cleared (refunded, captured, voided).
  let cleared = 0;
  const still = new Set(findings.map((f) => `${f.kind}|${f.subjectKey}`));
  const items = (await openExceptionsForOrder(shop, orderId)).filter((i) => (KINDS as string[]).includes(i.kind));
  // Within the refund grace period "not reported yet" is not "refunded": a check with an earlier
  // clock (another worker, a retried job) must not clear what a later check raised.
  const withinGrace = p.cancelledAt !== null && now.getTime() - p.cancelledAt.getTime() < REFUND_GRACE_MS;
  const unsure = (kind: string) => withinGrace && kind === "cancelled_not_refunded";
  for (const i of items)
    if (!still.has(`${i.kind}|${i.subjectKey}`) && !unsure(i.kind) && EXCEPTION_KINDS.includes(i.kind as Finding["kind"]))
      cleared += Number(await clearException(shop, i.kind as Finding["kind"], i.subjectKey, "oms:payment-check", "no longer the case on Shopify", now));
  // Cancelled with money still captured: look again when the grace period is over.
  if (p.cancelledAt && now.getTime() - p.cancelledAt.getTime() < REFUND_GRACE_MS && findings.every((f) => f.kind !== "cancelled_not_refunded")) {
    const due = p.cancelledAt.getTime() + REFUND_GRACE_MS;
    await enqueue("checkPayments", { shop, orderId, reason: `grace-${due}` }, { delayMs: Math.max(0, due - now.getTime()) + 1_000 });
  }
  return { raised, cleared };
}

/** The scheduled scan: orders whose open authorisations lapse within the warning window are checked again. */
export async function scanLapsingAuthorizations(now: Date, warnHours = 7 * 24): Promise<number> {
  const rows = await authorizationsLapsingBefore(new Date(now.getTime() + warnHours * 3_600_000));
  for (const r of rows) await enqueue("checkPayments", { shop: r.shop, orderId: r.orderId, reason: `scan-${now.toISOString().slice(0, 13)}` });
  return rows.length;
}
