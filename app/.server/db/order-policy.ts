import type { OrderPolicy } from "~/domain/order/policy";
import { DEFAULT_ORDER_POLICY, parseOrderPolicy } from "~/domain/order/policy";
import { db } from "./client";
import { cachedSetting } from "./config-cache";
import { bumpShopVersion } from "./promise-versions";
import { guardedCreate } from "./staff";

// The shop's order policy (default staff role, release rules, capture). One row per shop; changes
// are guarded on the version read and audited with before and after.

/** The shop's order policy (a copy while the settings version stays put: db/config-cache.ts). */
export function orderPolicy(shop: string): Promise<OrderPolicy & { version: number }> {
  return cachedSetting(shop, "orderPolicy", async () => {
    const row = await db().orderPolicy.findUnique({ where: { shop } });
    if (!row) return { ...DEFAULT_ORDER_POLICY, version: 0 };
    return { ...parseOrderPolicy(row), version: row.version };
  });
}

/** Saves a new policy if it is still at `version` (0: never saved); false when someone changed it first. */
export async function saveOrderPolicy(
  shop: string,
  version: number,
  before: OrderPolicy,
  after: OrderPolicy,
  actor: string,
  action: string,
  at: Date,
): Promise<boolean> {
  const saved = await guardedCreate(() =>
    db().$transaction(async (tx) => {
      if (version === 0) {
        const exists = await tx.orderPolicy.findUnique({ where: { shop }, select: { shop: true } });
        if (exists) return false;
        await tx.orderPolicy.create({ data: { shop, ...after, updatedBy: actor } });
      } else {
        const n = await tx.orderPolicy.updateMany({ where: { shop, version }, data: { ...after, version: version + 1, updatedBy: actor } });
        if (n.count === 0) return false;
      }
      const json = (p: OrderPolicy) => ({ ...p, maxValueMinor: p.maxValueMinor === null ? null : p.maxValueMinor.toString() });
      await tx.auditEvent.create({
        data: {
          shop,
          at,
          actor,
          subject: "order-policy",
          summary: describeChange(before, after),
          data: JSON.stringify({ action, before: json(before), after: json(after) }),
        },
      });
      return true;
    }),
  );
  // After the commit: every process's copy of the policy (db/config-cache.ts) is no longer current.
  if (saved) await bumpShopVersion(shop);
  return saved;
}

function describeChange(before: OrderPolicy, after: OrderPolicy): string {
  const changed = (Object.keys(after) as (keyof OrderPolicy)[]).filter((k) => String(before[k]) !== String(after[k]));
  return changed.length
    ? `Order policy changed: ${changed.map((k) => `${k} ${String(before[k])} → ${String(after[k])}`).join(", ")}`
    : "Order policy saved unchanged";
}
