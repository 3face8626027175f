import { DEFAULT_CHANGE_POLICY, type ChangeAction, type ChangePolicy } from "~/domain/changes/policy";
import { db } from "./client";
import { isUniqueViolation } from "./orders";
import { bumpShopVersion } from "./promise-versions";

// Changes after purchase: the shop's cut-offs, the change requests staff made (one per key), the
// merchant's substitutes, and locations marked offline.

export async function changePolicy(shop: string): Promise<ChangePolicy> {
  const row = await db().changePolicy.findUnique({ where: { shop } });
  return row ? { ...DEFAULT_CHANGE_POLICY, ...(JSON.parse(row.definition) as ChangePolicy) } : DEFAULT_CHANGE_POLICY;
}

/** Saves the policy and its audit entry together. */
export async function saveChangePolicy(shop: string, policy: ChangePolicy, by: string, at: Date): Promise<void> {
  const definition = JSON.stringify(policy);
  await db().$transaction([
    db().changePolicy.upsert({ where: { shop }, create: { shop, definition, updatedBy: by }, update: { definition, updatedBy: by } }),
    db().auditEvent.create({
      data: {
        shop,
        at,
        actor: by,
        subject: "change-policy",
        summary: `Cancellation cut-offs: ${Object.entries(policy.cancelUntil)
          .map(([k, v]) => `${k} until ${v.replace("_", " ")}`)
          .join(", ")}; restock ${policy.restock ? "on" : "off"}, refund ${policy.refund ? "on" : "off"}`,
        data: definition,
      },
    }),
  ]);
}

export type ChangeStatus = "pending" | "waiting" | "done" | "refused" | "failed";
export type ChangeRow = NonNullable<Awaited<ReturnType<typeof findChangeRequest>>>;

export const findChangeRequest = (shop: string, idempotencyKey: string) =>
  db().changeRequest.findUnique({ where: { shop_idempotencyKey: { shop, idempotencyKey } } });

/**
 * Takes the key for one staff intent: a new row (pending) the first time; the existing row on a
 * double click, a replay or a concurrent duplicate (the unique key decides, on any database).
 */
export async function claimChangeRequest(
  shop: string,
  r: { orderId: string; action: ChangeAction; idempotencyKey: string; input: unknown; actor: string },
): Promise<{ row: ChangeRow; fresh: boolean }> {
  try {
    const row = await db().changeRequest.create({
      data: { shop, orderId: r.orderId, action: r.action, idempotencyKey: r.idempotencyKey, status: "pending", input: JSON.stringify(r.input), actor: r.actor },
    });
    return { row, fresh: true };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const row = await findChangeRequest(shop, r.idempotencyKey);
    if (!row) throw e;
    return { row, fresh: false };
  }
}

/** Moves a request on only from the status it was read in (a guarded write): false if another pass got there first. */
export async function settleChangeRequest(id: string, from: ChangeStatus, to: ChangeStatus, outcome: unknown): Promise<boolean> {
  const { count } = await db().changeRequest.updateMany({ where: { id, status: from }, data: { status: to, outcome: JSON.stringify(outcome) } });
  return count === 1;
}

/** Cancellations waiting on a fulfilment service's answer for this order. */
export const waitingCancellations = (shop: string, orderId: string) =>
  db().changeRequest.findMany({ where: { shop, orderId, status: "waiting", action: "cancel_order" }, orderBy: { createdAt: "asc" } });

export const changeRequestsFor = (shop: string, orderId: string) =>
  db().changeRequest.findMany({ where: { shop, orderId }, orderBy: { createdAt: "desc" }, take: 20 });

/** Location kinds by location id (a location without a profile is a warehouse). */
export async function locationKinds(shop: string): Promise<Map<string, string>> {
  const rows = await db().locationProfile.findMany({ where: { shop }, select: { locationId: true, kind: true } });
  return new Map(rows.map((r) => [r.locationId, r.kind]));
}

export const substituteRules = (shop: string, variantId?: string) =>
  db().substituteRule.findMany({ where: { shop, ...(variantId ? { variantId } : {}) }, orderBy: [{ variantId: "asc" }, { priority: "asc" }] });

export async function saveSubstituteRule(
  shop: string,
  r: { variantId: string; substituteVariantId: string; priority: number },
  by: string,
  at: Date,
): Promise<void> {
  await db().$transaction([
    db().substituteRule.upsert({
      where: { shop_variantId_substituteVariantId: { shop, variantId: r.variantId, substituteVariantId: r.substituteVariantId } },
      create: { shop, ...r, updatedBy: by },
      update: { priority: r.priority, updatedBy: by },
    }),
    db().auditEvent.create({
      data: {
        shop,
        at,
        actor: by,
        subject: "substitutes",
        summary: `Substitute for ${r.variantId}: ${r.substituteVariantId} (priority ${r.priority})`,
        data: JSON.stringify(r),
      },
    }),
  ]);
}

export async function deleteSubstituteRule(shop: string, id: string, by: string, at: Date): Promise<void> {
  const row = await db().substituteRule.findFirst({ where: { id, shop } });
  if (!row) return;
  await db().$transaction([
    db().substituteRule.deleteMany({ where: { id, shop } }),
    db().auditEvent.create({
      data: {
        shop,
        at,
        actor: by,
        subject: "substitutes",
        summary: `Substitute removed: ${row.substituteVariantId} for ${row.variantId}`,
        data: JSON.stringify(row),
      },
    }),
  ]);
}

/** Marks a location offline (or back), audited; returns false when it already was in that state. */
export async function setLocationOffline(shop: string, locationId: string, offline: boolean, reason: string | null, by: string, at: Date): Promise<boolean> {
  try {
    const flipped = await flipLocation(shop, locationId, offline, reason, by, at);
    // An offline location ships nothing: cached delivery promises from it are no longer current.
    if (flipped) await bumpShopVersion(shop);
    return flipped;
  } catch (e) {
    // Two first-ever writers raced to create the profile: the loser runs again on the row that exists.
    if (!isUniqueViolation(e)) throw e;
    const flipped = await flipLocation(shop, locationId, offline, reason, by, at);
    if (flipped) await bumpShopVersion(shop);
    return flipped;
  }
}

function flipLocation(shop: string, locationId: string, offline: boolean, reason: string | null, by: string, at: Date): Promise<boolean> {
  return db().$transaction(async (tx) => {
    await tx.locationProfile.upsert({ where: { shop_locationId: { shop, locationId } }, create: { shop, locationId }, update: {} });
    const { count } = await tx.locationProfile.updateMany({
      where: { shop, locationId, offline: !offline },
      data: { offline, offlineReason: offline ? reason : null, offlineSince: offline ? at : null },
    });
    if (count === 0) return false;
    await tx.auditEvent.create({
      data: {
        shop,
        at,
        actor: by,
        subject: "location-availability",
        summary: offline ? `Location ${locationId} marked offline${reason ? `: ${reason}` : ""}` : `Location ${locationId} back online`,
        data: JSON.stringify({ locationId, offline, reason }),
      },
    });
    return true;
  });
}

export const offlineLocations = (shop: string) => db().locationProfile.findMany({ where: { shop, offline: true } });

export const recentAudit = (shop: string, subjects: string[]) =>
  db().auditEvent.findMany({ where: { shop, subject: { in: subjects } }, orderBy: { at: "desc" }, take: 20 });

/** Open, unpicked fulfilment groups at a location: what going offline re-sources. */
export async function unpickedGroupsAt(shop: string, locationId: string) {
  return db().fulfillmentGroup.findMany({
    where: { locationId, status: { in: ["OPEN", "SCHEDULED"] }, order: { shop, state: { notIn: ["cancelled"] } } },
    select: { orderId: true, sourceId: true, lines: true, order: { select: { name: true } } },
  });
}

/** Orders holding reservations at a level, newest first, with their unpicked groups there. */
export async function ordersHoldingAt(shop: string, inventoryItemId: string, locationId: string) {
  const rows = await db().stockMovement.groupBy({
    by: ["reference"],
    where: { shop, inventoryItemId, locationId, reference: { not: null } },
    _sum: { reservedDelta: true },
    _max: { at: true },
  });
  return rows
    .filter((r) => (r._sum.reservedDelta ?? 0) > 0)
    .map((r) => ({ orderId: r.reference!, reserved: r._sum.reservedDelta ?? 0, lastAt: r._max.at }))
    .sort((a, b) => (b.lastAt?.getTime() ?? 0) - (a.lastAt?.getTime() ?? 0));
}

/** Open exceptions about an order from changes after purchase (what its page must show). */
export const openChangeExceptions = (shop: string, orderId: string) =>
  db().opsException.findMany({
    where: {
      shop,
      orderId,
      status: { in: ["open", "snoozed"] },
      kind: { in: ["line_unsourceable", "out_of_stock_after_release", "address_intercept", "cancellation_request_pending"] },
    },
    orderBy: { raisedAt: "asc" },
  });

/** An order as changes after purchase (and the stock-loss re-plan) read it: lines, and groups with their lines and holds as stored. */
export function orderForChanges(shop: string, orderId: string) {
  return db().order.findFirst({
    where: { id: orderId, shop },
    select: {
      id: true,
      sourceId: true,
      name: true,
      state: true,
      currency: true,
      shippingAddress: true,
      lines: { select: { sourceLineId: true, sku: true, title: true, variantId: true, quantity: true, currentQuantity: true, unitPriceMinor: true } },
      groups: { select: { sourceId: true, status: true, requestStatus: true, locationId: true, locationName: true, lines: true, holdHandles: true } },
    },
  });
}
