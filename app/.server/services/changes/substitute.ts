import { decideChange } from "~/domain/changes/policy";
import { formatMoney } from "~/domain/shared/money";
import { substituteRules } from "../../db/changes";
import { stockLevels } from "../../db/stock";
import { adminFor } from "../../shopify/admin";
import { editOrderInShopify, refundAmount, variantSiblings } from "../../shopify/order-changes";
import { clearException } from "../exceptions/raise-exception";
import { syncOrderFromShopify } from "../sync-order";
import { loadChangeContext, releaseOwnHoldsFor } from "./context";
import { resourceOrder } from "./resource-order";
import { noteChange, runChangeOnce, type ChangeOutcome, type ChangeRun } from "./run-change";

/** Substitutes for a line: the merchant's list first, then the product's other variants; with what the OMS can promise of each. */
export async function substituteOptions(shop: string, variantId: string) {
  const [rules, siblings] = await Promise.all([substituteRules(shop, variantId), variantSiblings(await adminFor(shop), variantId)]);
  const fromList = rules.map((r) => r.substituteVariantId);
  const known = new Map(siblings.map((s) => [s.id, s]));
  const ids = [...new Set([...fromList, ...siblings.map((s) => s.id)])];
  const items = siblings.map((s) => s.inventoryItemId);
  const levels = items.length ? await stockLevels(shop, { inventoryItemIds: items }) : [];
  return ids.map((id) => {
    const s = known.get(id);
    const free = s
      ? levels
          .filter((l) => l.inventoryItemId === s.inventoryItemId)
          .reduce((n, l) => n + Math.max(0, l.onHand - Math.max(l.reserved, l.committed) - l.safetyStock - l.unavailable), 0)
      : null;
    return {
      variantId: id,
      title: s?.title ?? id,
      sku: s?.sku ?? null,
      price: s?.price ?? null,
      available: free,
      source: fromList.includes(id) ? ("merchant list" as const) : ("same product" as const),
    };
  });
}

/**
 * Swaps some units of a line for another variant with Shopify's order editing: the line goes down,
 * the substitute is added; the price difference is refunded (once, keyed by this request) or left
 * to collect, and whether the customer agreed is recorded. Sourcing then routes the new line.
 */
export async function substituteLine(
  staff: { shop: string; actor: string },
  orderId: string,
  s: { lineItemId: string; quantity: number; variantId: string; customerAgreed: boolean },
  idempotencyKey: string,
  now: Date,
): Promise<ChangeOutcome> {
  const run: ChangeRun = { shop: staff.shop, orderId, action: "substitute_line", idempotencyKey, input: s, actor: staff.actor, now };
  return runChangeOnce(run, async (requestId) => {
    const ctx = await loadChangeContext(staff.shop, orderId);
    if (!ctx) return { status: "failed", message: "No such order." };
    const d = decideChange(ctx.changeOrder, ctx.policy, "substitute_line", s.lineItemId);
    if (!d.allowed) {
      await noteChange(run, requestId, "refused", `Substitution refused: ${d.reason} ${d.instead}`);
      return { status: "refused", message: d.reason, instead: d.instead };
    }
    const line = ctx.order.lines.find((l) => l.sourceLineId === s.lineItemId);
    if (!line) return { status: "refused", message: "No such line on the order.", instead: "Pick a line of this order." };
    if (!s.customerAgreed) {
      await noteChange(
        run,
        requestId,
        "declined",
        `Substitution of ${line.sku ?? line.title} not made: the customer did not agree (recorded by ${staff.actor})`,
      );
      return { status: "refused", message: "The customer did not agree to the substitute.", instead: "Wait for stock, or cancel the line." };
    }
    if (s.quantity < 1 || s.quantity > line.currentQuantity)
      return { status: "refused", message: `The line has ${line.currentQuantity} unit(s).`, instead: `Substitute at most ${line.currentQuantity}.` };
    const graphql = await adminFor(staff.shop);
    await releaseOwnHoldsFor(graphql, ctx, s.lineItemId);
    const edited = await editOrderInShopify(
      graphql,
      ctx.order.sourceId,
      [
        { kind: "quantity", lineItemId: s.lineItemId, quantity: line.currentQuantity - s.quantity },
        { kind: "add", variantId: s.variantId, quantity: s.quantity, locationId: null },
      ],
      `Substitution agreed with the customer, by ${staff.actor}`,
    );
    if (!edited.ok) {
      await noteChange(run, requestId, "edit-failed", `Shopify refused the substitution: ${edited.message}`, "exception");
      return { status: "failed", message: `Shopify refused the substitution: ${edited.message}` };
    }
    const money = (m: bigint) => `${formatMoney({ amount: m < 0n ? -m : m, currency: edited.currency })} ${edited.currency}`;
    let difference = "no price difference";
    if (edited.outstandingMinor < 0n) {
      const rf = await refundAmount(
        graphql,
        ctx.order.sourceId,
        -edited.outstandingMinor,
        edited.currency,
        `Substitution for ${line.sku ?? line.title}`,
        `oms-change-${requestId}`,
      );
      difference = rf.ok ? `${money(edited.outstandingMinor)} refunded` : `${money(edited.outstandingMinor)} to refund (refund failed: ${rf.message})`;
    } else if (edited.outstandingMinor > 0n) {
      difference = `${money(edited.outstandingMinor)} to be collected from the customer`;
    }
    await noteChange(
      run,
      requestId,
      "substituted",
      `${s.quantity} × ${line.sku ?? line.title} substituted by ${s.variantId} (customer agreed, recorded by ${staff.actor}); ${difference}`,
    );
    await syncOrderFromShopify(staff.shop, { orderId: ctx.order.sourceId }, "changes", now, "order");
    const routed = await resourceOrder(staff.shop, orderId, ctx.order.sourceId, now, { reason: "substitution", actor: "oms:sourcing" });
    await clearException(staff.shop, "line_unsourceable", `${orderId}:${s.lineItemId}`, staff.actor, "substituted", now);
    return { status: "done", message: `Substituted; ${difference}; sourcing ${routed.applied}.` };
  });
}

/** The staff chose to wait for stock: the exception is closed with that decision; stock arriving releases the backorder. */
export async function waitForStock(staff: { shop: string; actor: string }, orderId: string, lineItemId: string, now: Date): Promise<boolean> {
  return clearException(staff.shop, "line_unsourceable", `${orderId}:${lineItemId}`, staff.actor, "wait for stock (released when it arrives)", now);
}
