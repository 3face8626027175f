import { db } from "./client";
import { bumpShopVersion } from "./promise-versions";
import type { RuleSetDefinition } from "./sourcing";

// The sourcing admin page's reads and writes: rule-set versions (drafts saved immutably, one
// activated in place), location profiles with their audit trail, and live decisions for KPIs.

export type RuleSetVersionRow = {
  id: string;
  version: number;
  status: string;
  name: string;
  definition: RuleSetDefinition;
  createdBy: string;
  createdAt: Date;
  activatedAt: Date | null;
};

const toVersion = (r: {
  id: string;
  version: number;
  status: string;
  name: string;
  definition: string;
  createdBy: string;
  createdAt: Date;
  activatedAt: Date | null;
}): RuleSetVersionRow => ({
  ...r,
  definition: JSON.parse(r.definition) as RuleSetDefinition,
});

export async function ruleSetVersions(shop: string, take = 50): Promise<RuleSetVersionRow[]> {
  const rows = await db().sourcingRuleSet.findMany({ where: { shop }, orderBy: { version: "desc" }, take });
  return rows.map(toVersion);
}

export async function ruleSetVersion(shop: string, version: number): Promise<RuleSetVersionRow | null> {
  const row = await db().sourcingRuleSet.findUnique({ where: { shop_version: { shop, version } } });
  return row ? toVersion(row) : null;
}

/** A new immutable draft version (the next number; the unique (shop, version) key refuses a race). */
export async function saveDraftRuleSet(shop: string, name: string, definition: RuleSetDefinition, by: string): Promise<number> {
  return db().$transaction(async (tx) => {
    const last = await tx.sourcingRuleSet.findFirst({ where: { shop }, orderBy: { version: "desc" }, select: { version: true } });
    const row = await tx.sourcingRuleSet.create({
      data: { shop, version: (last?.version ?? 0) + 1, status: "draft", name, definition: JSON.stringify(definition), createdBy: by },
    });
    return row.version;
  });
}

/**
 * Makes a draft the active version, archives the previous active one and records the audit entry,
 * in one transaction. The draft is claimed with a conditional update, so two clicks activate once;
 * false when the version is no longer a draft.
 */
export async function activateDraftRuleSet(shop: string, version: number, audit: { at: Date; actor: string; summary: string }): Promise<boolean> {
  const activated = await db().$transaction(async (tx) => {
    const claimed = await tx.sourcingRuleSet.updateMany({ where: { shop, version, status: "draft" }, data: { status: "active", activatedAt: audit.at } });
    if (claimed.count === 0) return false;
    const previous = await tx.sourcingRuleSet.findMany({ where: { shop, status: "active", version: { not: version } }, select: { version: true } });
    await tx.sourcingRuleSet.updateMany({ where: { shop, status: "active", version: { not: version } }, data: { status: "archived" } });
    await tx.auditEvent.create({
      data: {
        shop,
        at: audit.at,
        actor: audit.actor,
        subject: "sourcing-rules",
        summary: audit.summary,
        data: JSON.stringify({ version, archived: previous.map((p) => p.version) }),
      },
    });
    return true;
  });
  if (activated) await bumpShopVersion(shop);
  return activated;
}

export type LocationProfileFields = {
  kind: string;
  priority: number;
  dailyCapacity: number | null;
  handlingCostMinor: number;
  costPerKmMinor: number;
  tags: string;
  servesCountries: string;
  shipDays: string;
  cutoffMinutes: number;
  timeZone: string;
  closedDates: string;
};

export async function saveLocationProfileAudited(
  shop: string,
  locationId: string,
  fields: LocationProfileFields,
  audit: { at: Date; actor: string; summary: string },
): Promise<void> {
  await db().$transaction([
    db().locationProfile.upsert({ where: { shop_locationId: { shop, locationId } }, create: { shop, locationId, ...fields }, update: fields }),
    db().auditEvent.create({
      data: { shop, at: audit.at, actor: audit.actor, subject: "location-profile", summary: audit.summary, data: JSON.stringify({ locationId, ...fields }) },
    }),
  ]);
  await bumpShopVersion(shop);
}

/** Live decisions since `since`, the figures the KPIs need. */
export function liveDecisionsSince(shop: string, since: Date) {
  return db().routingDecision.findMany({
    where: { shop, mode: "live", at: { gte: since } },
    select: { orderId: true, outcome: true, applied: true, shipments: true, backordered: true },
  });
}

/** The last `take` orders with a live decision, newest decision first, with the order's name. */
export async function recentlyRoutedOrders(shop: string, take: number): Promise<{ orderId: string; name: string }[]> {
  const decisions = await db().routingDecision.findMany({
    where: { shop, mode: "live" },
    orderBy: { at: "desc" },
    distinct: ["orderId"],
    take,
    select: { orderId: true },
  });
  const orders = await db().order.findMany({ where: { shop, id: { in: decisions.map((d) => d.orderId) } }, select: { id: true, name: true } });
  const names = new Map(orders.map((o) => [o.id, o.name]));
  return decisions.filter((d) => names.has(d.orderId)).map((d) => ({ orderId: d.orderId, name: names.get(d.orderId)! }));
}
