// Approve (with the label or instructions the customer gets) or decline (with Shopify's reason) a
// requested return. Each is a guarded move from the version the person looked at.
import { err, ok, type Result } from "~/domain/shared/result";
import { findReturn, transitionReturn } from "../../db/returns";
import { adminFor, type AdminGraphql } from "../../shopify/admin";
import type { DeclineReason } from "~/domain/returns/status";
import { approveReturn as approveInShopify, attachReverseDelivery, declineReturn as declineInShopify } from "../../shopify/returns";
import { onTimeline, staffProvenance, type ReturnError } from "./shared";

export type Approval = {
  shop: string;
  returnId: string;
  version: number;
  instructions: string | null;
  tracking: { number: string; url: string | null } | null;
  labelUrl: string | null;
  actor: string;
};

export async function approveReturn(a: Approval, now: Date, graphql?: AdminGraphql): Promise<Result<null, ReturnError>> {
  const r = await findReturn(a.shop, a.returnId);
  if (!r?.sourceId) return err({ code: "NOT_FOUND" });
  if (r.version !== a.version) return err({ code: "CHANGED", message: "the return changed since you opened it" });
  if (r.status !== "requested" && r.status !== "in_transit")
    return err({ code: "INVALID", message: `a ${r.status.replace("_", " ")} return cannot be approved` });
  // Claimed first (Shopify's returns/approve webhook then finds it approved), given back if Shopify refuses.
  if (
    !(await transitionReturn(r.id, ["requested", "in_transit"], a.version, {
      status: "in_transit",
      instructions: a.instructions ?? r.instructions,
      tracking: a.tracking ? JSON.stringify(a.tracking) : r.tracking,
    }))
  )
    return err({ code: "CHANGED", message: "the return changed meanwhile" });
  const undo = () => transitionReturn(r.id, ["in_transit"], a.version + 1, { status: r.status, instructions: r.instructions, tracking: r.tracking });
  const admin = graphql ?? (await adminFor(a.shop));
  if (r.status === "requested") {
    const approved = await approveInShopify(admin, r.sourceId);
    if (!approved.ok) {
      await undo();
      return err({ code: "SHOPIFY_REFUSED", message: approved.message });
    }
  }
  if ((a.tracking || a.labelUrl) && r.reverseFulfillmentOrderId) {
    const lines = r.lines.filter((l) => l.reverseLineItemId).map((l) => ({ reverseLineItemId: l.reverseLineItemId!, quantity: l.quantity }));
    const attached = await attachReverseDelivery(admin, r.reverseFulfillmentOrderId, lines, a.tracking, a.labelUrl);
    if (!attached.ok) return err({ code: "SHOPIFY_REFUSED", message: `approved, but the label was refused: ${attached.message}` });
  }
  await onTimeline(
    r.orderId,
    a.shop,
    `Return ${r.name} approved${a.tracking ? `, label ${a.tracking.number}` : ""}${a.instructions ? `: ${a.instructions}` : ""}`,
    `return:${r.sourceId}:approved`,
    staffProvenance(a.actor, now),
  );
  return ok(null);
}

export type Decline = { shop: string; returnId: string; version: number; reason: DeclineReason; note: string | null; actor: string };

export async function declineReturn(d: Decline, now: Date, graphql?: AdminGraphql): Promise<Result<null, ReturnError>> {
  const r = await findReturn(d.shop, d.returnId);
  if (!r?.sourceId) return err({ code: "NOT_FOUND" });
  if (r.status !== "requested") return err({ code: "INVALID", message: `a ${r.status.replace("_", " ")} return cannot be declined` });
  if (r.version !== d.version) return err({ code: "CHANGED", message: "the return changed since you opened it" });
  if (
    !(await transitionReturn(r.id, ["requested"], d.version, { status: "declined", declineReason: `${d.reason}${d.note ? `: ${d.note}` : ""}`, closedAt: now }))
  )
    return err({ code: "CHANGED", message: "the return changed meanwhile" });
  const declined = await declineInShopify(graphql ?? (await adminFor(d.shop)), r.sourceId, d.reason, d.note);
  if (!declined.ok) {
    await transitionReturn(r.id, ["declined"], d.version + 1, { status: "requested", declineReason: null, closedAt: null });
    return err({ code: "SHOPIFY_REFUSED", message: declined.message });
  }
  await onTimeline(
    r.orderId,
    d.shop,
    `Return ${r.name} declined (${d.reason.toLowerCase().replace(/_/g, " ")})${d.note ? `: ${d.note}` : ""}`,
    `return:${r.sourceId}:declined`,
    staffProvenance(d.actor, now),
  );
  return ok(null);
}
