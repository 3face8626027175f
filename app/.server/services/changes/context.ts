import { LOCATION_KINDS, type ChangeOrder, type ChangePolicy, type LocationKind } from "~/domain/changes/policy";
import { changePolicy, locationKinds } from "../../db/changes";
import { db } from "../../db/client";
import { liveDecision } from "../../db/sourcing";

export type GroupLine = { foLineId?: string; lineItemId: string; sku: string | null; inventoryItemId?: string | null; quantity: number; remaining: number };

/** An order as changes after purchase need it: lines, groups with their location kinds, the policy. */
export async function loadChangeContext(shop: string, orderId: string) {
  const o = await db().order.findFirst({
    where: { id: orderId, shop },
    select: { id: true, sourceId: true, name: true, state: true, currency: true, shippingAddress: true, lines: { select: { sourceLineId: true, sku: true, title: true, variantId: true, quantity: true, currentQuantity: true, unitPriceMinor: true } }, groups: { select: { sourceId: true, status: true, requestStatus: true, locationId: true, locationName: true, lines: true, holdHandles: true } } },
  });
  if (!o) return null;
  const [kinds, policy, decision] = await Promise.all([locationKinds(shop), changePolicy(shop), liveDecision(shop, orderId)]);
  const kindOf = (locationId: string | null): LocationKind => {
    const k = locationId ? kinds.get(locationId) : undefined;
    return (LOCATION_KINDS as readonly string[]).includes(k ?? "") ? (k as LocationKind) : "warehouse";
  };
  const groups = o.groups.map((g) => ({ ...g, lines: JSON.parse(g.lines) as GroupLine[], holdHandles: g.holdHandles ? (JSON.parse(g.holdHandles) as string[]) : [] }));
  const changeOrder: ChangeOrder = {
    state: o.state,
    routed: decision !== null || o.state === "sourced",
    lines: o.lines.map((l) => ({ id: l.sourceLineId, sku: l.sku, currentQuantity: l.currentQuantity })),
    groups: groups.map((g) => ({ id: g.sourceId, status: g.status, requestStatus: g.requestStatus, locationName: g.locationName, kind: kindOf(g.locationId), lines: g.lines.map((l) => ({ lineItemId: l.lineItemId, quantity: l.quantity, remaining: l.remaining })) })),
  };
  return { order: { ...o, groups }, changeOrder, policy: policy as ChangePolicy };
}

export type ChangeContext = NonNullable<Awaited<ReturnType<typeof loadChangeContext>>>;
