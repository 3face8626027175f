import { decideChange, type Decision } from "~/domain/changes/policy";
import { settleChangeRequest, waitingCancellations } from "../../db/changes";
import { findGroupsBySourceIds, findOrderHead } from "../../db/orders";
import { LEASE_MS, withSourcingLease } from "../../db/sourcing-lease";
import { adminFor } from "../../shopify/admin";
import { cancelOrderInShopify, editOrderInShopify, refundAmount, requestCancellation } from "../../shopify/order-changes";
import { clearException, raiseException } from "../exceptions/raise-exception";
import { syncOrderFromShopify } from "../sync-order";
import { loadChangeContext, releaseOwnHoldsFor, type ChangeContext } from "./context";
import { noteChange, retryTransient, returnUrlFor, runChangeOnce, type ChangeOutcome, type ChangeRun } from "./run-change";

type Staff = { shop: string; actor: string };
const refusal = (orderId: string, d: Extract<Decision, { allowed: false }>): ChangeOutcome => ({
  status: "refused",
  message: d.reason,
  instead: d.instead,
  ...(d.returnInstead ? { returnUrl: returnUrlFor(orderId) } : {}),
});

/**
 * Cancels a whole order as the stage allows: orderCancel in Shopify (restock and refund as the
 * merchant configured), or — while a fulfilment service holds the work — a cancellation request,
 * the order waiting on its answer. After pick or ship it is refused and offered as a return.
 */
export async function cancelOrder(staff: Staff, orderId: string, idempotencyKey: string, now: Date): Promise<ChangeOutcome> {
  const run: ChangeRun = { shop: staff.shop, orderId, action: "cancel_order", idempotencyKey, input: {}, actor: staff.actor, now };
  return runChangeOnce(run, async (requestId) => {
    const ctx = await loadChangeContext(staff.shop, orderId);
    if (!ctx) return { status: "failed", message: "No such order." };
    const d = decideChange(ctx.changeOrder, ctx.policy, "cancel_order");
    if (!d.allowed) {
      await noteChange(run, requestId, "refused", `Cancel refused: ${d.reason} ${d.instead}`);
      return refusal(orderId, d);
    }
    const graphql = await adminFor(staff.shop);
    if (d.how === "cancellation_request") {
      for (const foId of d.requestTo ?? []) {
        const r = await retryTransient(() => requestCancellation(graphql, foId, `Cancelled by the merchant (${staff.actor})`));
        if (!r.ok) {
          await noteChange(run, requestId, "request-failed", `Cancellation request refused by Shopify: ${r.message}`, "exception");
          return { status: "failed", message: `Shopify refused the cancellation request: ${r.message}` };
        }
      }
      const where = ctx.order.groups
        .filter((g) => d.requestTo?.includes(g.sourceId))
        .map((g) => g.locationName ?? g.sourceId)
        .join(", ");
      const waiting: ChangeOutcome = {
        status: "waiting",
        message: `Asked ${where} to cancel. The order is cancelled in Shopify once it accepts; if it rejects, it ships and a return is offered.`,
      };
      // Waiting from the moment the service has the request: its answer (continueCancellation) finds
      // only waiting requests, so a failure in what follows must not leave this one pending or failed.
      await settleChangeRequest(requestId, "pending", "waiting", waiting);
      await raiseException(
        {
          shop: staff.shop,
          kind: "cancellation_request_pending",
          severity: "warning",
          subjectKey: orderId,
          orderId,
          summary: `${ctx.order.name}: waiting for ${where} to answer a cancellation request`,
          data: { requestId, fulfillmentOrders: d.requestTo },
        },
        now,
      );
      await noteChange(
        run,
        requestId,
        "requested",
        `Cancellation requested from ${where} (a fulfilment service) by ${staff.actor}; the order waits for its answer`,
      );
      // Best effort: the fulfilment orders' webhooks bring the same facts.
      await syncOrderFromShopify(staff.shop, { orderId: ctx.order.sourceId }, "changes", now, "fulfilment").catch(() => undefined);
      return waiting;
    }
    return cancelInShopify(run, requestId, ctx);
  });
}

async function cancelInShopify(run: Pick<ChangeRun, "shop" | "orderId" | "actor" | "now">, requestId: string, ctx: ChangeContext): Promise<ChangeOutcome> {
  const graphql = await adminFor(run.shop);
  const r = await retryTransient(() =>
    cancelOrderInShopify(graphql, ctx.order.sourceId, {
      restock: ctx.policy.restock,
      refund: ctx.policy.refund,
      reason: "CUSTOMER",
      note: `Cancelled in the OMS by ${run.actor}`,
    }),
  );
  if (!r.ok && /has fulfillments/i.test(r.message)) {
    // Shipped before the OMS knew: a cancel is a return now.
    await noteChange(run, requestId, "refused", `Cancel refused by Shopify: ${r.message} Offered as a return.`);
    return {
      status: "refused",
      message: "Units of this order have shipped: a cancel would no longer stop them.",
      instead: "Start a return for the shipped units.",
      returnUrl: returnUrlFor(run.orderId),
    };
  }
  if (!r.ok) {
    await noteChange(run, requestId, "cancel-failed", `Shopify refused the cancel: ${r.message}`, "exception");
    return { status: "failed", message: `Shopify refused the cancel: ${r.message}` };
  }
  await noteChange(
    run,
    requestId,
    "cancelled",
    `Cancelled by ${run.actor}${ctx.policy.restock ? ", stock put back" : ""}${ctx.policy.refund ? ", payment refunded" : ""}`,
  );
  // The cancelled order is read back: its state, and the reservations it releases. If that read
  // fails, Shopify's orders/cancelled webhook brings the same facts: the cancel itself is done.
  await syncOrderFromShopify(run.shop, { orderId: ctx.order.sourceId }, "changes", run.now, "order").catch(() => undefined);
  return {
    status: "done",
    message: r.alreadyCancelled ? "The order was already cancelled in Shopify." : "Cancelled in Shopify; its reservations are released.",
  };
}

/**
 * A fulfilment service answered a cancellation request (webhook): accepted → the waiting cancel
 * goes on in Shopify; rejected → the order ships and the request says why, with a return offered.
 * Replays find no waiting request and change nothing.
 */
export async function continueCancellation(shop: string, fulfillmentOrderId: string, accepted: boolean, message: string | null, now: Date): Promise<string> {
  const known = (await findGroupsBySourceIds(shop, [fulfillmentOrderId])).get(fulfillmentOrderId);
  if (!known) return "fulfilment order not known";
  const orderId = (await findOrderHead(shop, known.orderSourceId))?.id ?? null;
  if (!orderId) return "order not known";
  const waiting = await waitingCancellations(shop, orderId);
  if (!waiting.length) {
    // Answered before (a replay, or a retry after its requests were settled): its queue item goes
    // too, in case the run that settled them stopped before clearing it.
    await clearException(shop, "cancellation_request_pending", orderId, "oms:changes", "no cancellation waiting", now);
    return "no cancellation waiting";
  }
  const r = await withSourcingLease(
    shop,
    orderId,
    async () => {
      await syncOrderFromShopify(shop, { orderId: known.orderSourceId }, "changes", now, "fulfilment");
      const results: string[] = [];
      for (const req of waiting) {
        const run = { shop, orderId: orderId, actor: req.actor, now };
        if (!accepted) {
          const outcome: ChangeOutcome = {
            status: "refused",
            message: `The fulfilment service rejected the cancellation${message ? `: ${message}` : ""}.`,
            instead: "It ships; start a return when it arrives.",
            returnUrl: returnUrlFor(orderId),
          };
          if (await settleChangeRequest(req.id, "waiting", "refused", outcome)) {
            await noteChange(
              run,
              req.id,
              "rejected",
              `Cancellation rejected by the fulfilment service${message ? `: ${message}` : ""}; the order ships, a return is offered`,
              "exception",
            );
            results.push("rejected");
          }
          continue;
        }
        const ctx = await loadChangeContext(shop, orderId);
        if (!ctx) continue;
        const d = decideChange(ctx.changeOrder, ctx.policy, "cancel_order");
        // Other work may still wait on another service's answer: the request stays waiting for it.
        if (d.allowed && d.how === "cancellation_request") continue;
        const outcome = d.allowed ? await cancelInShopify(run, req.id, ctx) : refusal(orderId, d);
        await noteChange(run, req.id, "accepted", `Cancellation accepted by the fulfilment service${message ? `: ${message}` : ""}`);
        if (await settleChangeRequest(req.id, "waiting", outcome.status, outcome)) results.push(outcome.status);
      }
      await clearException(
        shop,
        "cancellation_request_pending",
        orderId,
        "oms:changes",
        accepted ? "the fulfilment service accepted" : "the fulfilment service rejected",
        now,
      );
      return results.join(", ") || "nothing to do";
    },
    { waitMs: LEASE_MS + 1_000 },
  );
  if (r === "busy") throw new Error(`order ${orderId} is being changed by another job; will retry`);
  return r;
}

/**
 * Cancels some units of one line before they ship: Shopify's order editing removes them (restocked)
 * and what the customer overpaid is refunded once (the refund is keyed by this request).
 */
export async function cancelLine(
  staff: Staff,
  orderId: string,
  lineItemId: string,
  quantity: number,
  idempotencyKey: string,
  now: Date,
): Promise<ChangeOutcome> {
  const run: ChangeRun = { shop: staff.shop, orderId, action: "cancel_line", idempotencyKey, input: { lineItemId, quantity }, actor: staff.actor, now };
  return runChangeOnce(run, async (requestId) => {
    const ctx = await loadChangeContext(staff.shop, orderId);
    if (!ctx) return { status: "failed", message: "No such order." };
    const d = decideChange(ctx.changeOrder, ctx.policy, "cancel_line", lineItemId);
    if (!d.allowed) {
      await noteChange(run, requestId, "refused", `Line cancel refused: ${d.reason} ${d.instead}`);
      return refusal(orderId, d);
    }
    const line = ctx.order.lines.find((l) => l.sourceLineId === lineItemId)!;
    const open = ctx.order.groups
      .filter((g) => ["OPEN", "SCHEDULED", "ON_HOLD", "IN_PROGRESS"].includes(g.status))
      .flatMap((g) => g.lines)
      .filter((l) => l.lineItemId === lineItemId)
      .reduce((n, l) => n + l.remaining, 0);
    if (quantity < 1 || quantity > open)
      return {
        status: "refused",
        message: `Only ${open} unit(s) of ${line.sku ?? line.title} are left to ship.`,
        instead: open ? `Cancel at most ${open}.` : "Start a return.",
        ...(open ? {} : { returnUrl: returnUrlFor(orderId) }),
      };
    const graphql = await adminFor(staff.shop);
    await releaseOwnHoldsFor(graphql, ctx, lineItemId);
    const edited = await editOrderInShopify(
      graphql,
      ctx.order.sourceId,
      [{ kind: "quantity", lineItemId, quantity: line.currentQuantity - quantity }],
      `Line cancelled in the OMS by ${staff.actor}`,
    );
    if (!edited.ok) {
      await noteChange(run, requestId, "edit-failed", `Shopify refused the edit: ${edited.message}`, "exception");
      return { status: "failed", message: `Shopify refused the edit: ${edited.message}` };
    }
    let refunded = "";
    if (ctx.policy.refund && edited.outstandingMinor < 0n) {
      const rf = await refundAmount(
        graphql,
        ctx.order.sourceId,
        -edited.outstandingMinor,
        edited.currency,
        `Cancelled ${quantity} × ${line.sku ?? line.title}`,
        `oms-change-${requestId}`,
      );
      refunded = rf.ok ? `, ${(Number(-edited.outstandingMinor) / 100).toFixed(2)} ${edited.currency} refunded` : ` (refund not made: ${rf.message})`;
    }
    await noteChange(
      run,
      requestId,
      "line-cancelled",
      `Cancelled ${quantity} × ${line.sku ?? line.title} by ${staff.actor} (order edit, restocked)${refunded}`,
    );
    await syncOrderFromShopify(staff.shop, { orderId: ctx.order.sourceId }, "changes", now, "order");
    await clearException(staff.shop, "line_unsourceable", `${orderId}:${lineItemId}`, staff.actor, `cancelled ${quantity} unit(s)`, now);
    return { status: "done", message: `Cancelled ${quantity} × ${line.sku ?? line.title}${refunded}.` };
  });
}
