import { LOCATION_KINDS, type ChangeOrder, type ChangePolicy, type LocationKind } from "~/domain/changes/policy";
import { changePolicy, locationKinds, orderForChanges } from "../../db/changes";
import { liveDecision } from "../../db/sourcing";
import { backorderHandle, releaseBackorderHolds } from "../../shopify/fulfillment-orders";

export type GroupLine = { foLineId?: string; lineItemId: string; sku: string | null; inventoryItemId?: string | null; quantity: number; remaining: number };

/** An order as changes after purchase need it: lines, groups with their location kinds, the policy. */
export async function loadChangeContext(shop: string, orderId: string) {
  const o = await orderForChanges(shop, orderId);
  if (!o) return null;
  const [kinds, policy, decision] = await Promise.all([locationKinds(shop), changePolicy(shop), liveDecision(shop, orderId)]);
  const kindOf = (locationId: string | null): LocationKind => {
    const k = locationId ? kinds.get(locationId) : undefined;
    return (LOCATION_KINDS as readonly string[]).includes(k ?? "") ? (k as LocationKind) : "warehouse";
  };
  const groups = o.groups.map((g) => ({
    ...g,
    lines: JSON.parse(g.lines) as GroupLine[],
    holdHandles: g.holdHandles ? (JSON.parse(g.holdHandles) as string[]) : [],
  }));
  const changeOrder: ChangeOrder = {
    state: o.state,
    routed: decision !== null || o.state === "sourced",
    lines: o.lines.map((l) => ({ id: l.sourceLineId, sku: l.sku, currentQuantity: l.currentQuantity })),
    groups: groups.map((g) => ({
      id: g.sourceId,
      status: g.status,
      requestStatus: g.requestStatus,
      locationName: g.locationName,
      kind: kindOf(g.locationId),
      lines: g.lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity, remaining: l.remaining })),
    })),
  };
  return { order: { ...o, groups }, changeOrder, policy: policy as ChangePolicy };
}

export type ChangeContext = NonNullable<Awaited<ReturnType<typeof loadChangeContext>>>;

/**
 * Lifts the OMS's own backorder holds on the fulfilment orders holding a line, before an order
 * edit changes it: the edit may take the units from any of them, and sourcing decides again after.
 */
export async function releaseOwnHoldsFor(graphql: Parameters<typeof releaseBackorderHolds>[0], ctx: ChangeContext, lineItemId: string): Promise<void> {
  for (const g of ctx.order.groups) {
    if (
      g.status !== "ON_HOLD" ||
      !g.holdHandles.includes(backorderHandle(ctx.order.id)) ||
      !g.lines.some((l) => l.lineItemId === lineItemId && l.remaining > 0)
    )
      continue;
    await releaseBackorderHolds(graphql, g.sourceId, backorderHandle(ctx.order.id));
  }
}
