import { randomUUID } from "node:crypto";
import { decideChange, decideChanges, describeStage, orderStage, type ChangeAction, type Decision } from "~/domain/changes/policy";
import { changeRequestsFor, openChangeExceptions } from "../../db/changes";
import { loadChangeContext } from "./context";
import { returnUrlFor } from "./run-change";
import { substituteOptions } from "./substitute";

const OPEN = new Set(["OPEN", "SCHEDULED", "ON_HOLD", "IN_PROGRESS"]);
const plain = (d: Decision) =>
  d.allowed
    ? { allowed: true as const, how: d.how, explanation: d.explanation }
    : { allowed: false as const, reason: d.reason, instead: d.instead, returnInstead: d.returnInstead };

/**
 * The order page's changes: the stage, every action with whether it is allowed and why (or why
 * not and what instead), per-line actions, lines nothing can source with their options, and the
 * requests made so far. `formKey` names this rendering: a double-submitted form carries the same key.
 */
export async function orderChangesView(shop: string, orderId: string) {
  const ctx = await loadChangeContext(shop, orderId);
  if (!ctx) return null;
  const stage = orderStage(ctx.changeOrder);
  const decisions = Object.fromEntries(decideChanges(ctx.changeOrder, ctx.policy).map((d) => [d.action, plain(d)])) as Record<
    ChangeAction,
    ReturnType<typeof plain>
  >;
  const openUnits = (lineItemId: string) =>
    ctx.order.groups
      .filter((g) => OPEN.has(g.status))
      .flatMap((g) => g.lines)
      .filter((l) => l.lineItemId === lineItemId)
      .reduce((n, l) => n + l.remaining, 0);
  const lines = ctx.order.lines.map((l) => ({
    lineItemId: l.sourceLineId,
    sku: l.sku,
    title: l.title,
    variantId: l.variantId,
    currentQuantity: l.currentQuantity,
    open: openUnits(l.sourceLineId),
    cancel: plain(decideChange(ctx.changeOrder, ctx.policy, "cancel_line", l.sourceLineId)),
  }));
  const exceptions = await openChangeExceptions(shop, orderId);
  const unsourceable = await Promise.all(
    exceptions
      .filter((e) => e.kind === "line_unsourceable")
      .map(async (e) => {
        const data = JSON.parse(e.data ?? "{}") as { lineId?: string; quantity?: number };
        const line = lines.find((l) => l.lineItemId === data.lineId);
        const options = line?.variantId ? await substituteOptions(shop, line.variantId).catch(() => []) : [];
        return { exceptionId: e.id, summary: e.summary, lineItemId: data.lineId ?? "", sku: line?.sku ?? null, quantity: data.quantity ?? 0, options };
      }),
  );
  const requests = (await changeRequestsFor(shop, orderId)).map((r) => ({
    id: r.id,
    action: r.action,
    status: r.status,
    actor: r.actor,
    at: r.createdAt.toISOString(),
    message: r.outcome ? ((JSON.parse(r.outcome) as { message?: string }).message ?? "") : "",
  }));
  return {
    stage,
    stageLabel: describeStage(stage),
    decisions,
    lines,
    unsourceable,
    alerts: exceptions.filter((e) => e.kind !== "line_unsourceable").map((e) => ({ kind: e.kind, summary: e.summary })),
    requests,
    returnUrl: returnUrlFor(orderId),
    formKey: randomUUID(),
  };
}
