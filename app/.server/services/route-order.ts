import { explanationText } from "~/domain/sourcing/record-decision";
import { atp } from "~/domain/inventory/atp";
import { planFulfillmentChanges, type FoGroup } from "~/domain/sourcing/plan-fulfillment-changes";
import { decideSourcing } from "~/domain/sourcing/decide-sourcing";
import type { Delivery, OrderLine, RuleSet, SourcingLocation, SourcingPlan, SourcingRequest } from "~/domain/sourcing/types";
import { activeRuleSet, locationProfiles, orderForSourcing, saveDecision, type OrderForSourcing } from "../db/sourcing";
import { LEASE_MS, withSourcingLease, type SourcingLease } from "../db/sourcing-lease";
import { inventoryPolicy, stockLocations } from "../db/stock-settings";
import { destinationOf } from "../geo/destination";
import { adminFor } from "../shopify/admin";
import { fetchProductTagsByItem } from "../shopify/order-sync";
import { readsProductTags } from "~/domain/sourcing/eligibility";
import { applyFoOp, backorderHandle } from "../shopify/fulfillment-orders";
import { enqueue } from "../queue/queues";
import { applyWholeMoves, syncOrderFromShopify } from "./sync-order";
import { startGroupsRead } from "../db/order-lock";
import { sourcingLocation } from "./sourcing-candidates";
import { checkRoutedPromise } from "./promise/order-promise";

/** Until a merchant activates a rule set: Shopify's own order (fewest splits, then closest), ranks next. */
export const DEFAULT_RULE_SET: RuleSet = {
  id: "default",
  version: 0,
  rules: [{ type: "fewest_shipments" }, { type: "priority" }, { type: "distance" }],
  split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
  backorder: { mode: "ship_available" },
};

export type SourcingInput = NonNullable<Awaited<ReturnType<typeof loadSourcingInput>>>;

/**
 * Everything the engine needs for one order, read from the OMS's own records — and, only when the
 * active rule set (or one of `alsoFor`, a what-if's draft) excludes by product tag and the order
 * was synced without its tags (no rule needed them then), its products' tags from Shopify.
 */
export async function loadSourcingInput(shop: string, orderId: string, now: Date, o: { alsoFor?: readonly RuleSet[]; read?: OrderForSourcing | null } = {}) {
  // The order, its items' stock levels, what it holds, today's counts per location and its promise:
  // one statement (or none: the routing pass's lease claim returned it).
  const order = o.read ?? (await orderForSourcing(shop, orderId, now));
  if (!order) return null;
  const open = order.groups.filter((g) => g.lines.some((l) => l.remaining > 0));
  const units = new Map<string, { inventoryItemId: string; sku: string; quantity: number; productTags: string[] | undefined }>();
  for (const g of open) {
    for (const l of g.lines) {
      if (!l.inventoryItemId || l.remaining <= 0) continue;
      const u = units.get(l.lineItemId) ?? { inventoryItemId: l.inventoryItemId, sku: l.sku ?? "", quantity: 0, productTags: l.productTags };
      u.quantity += l.remaining;
      units.set(l.lineItemId, u);
    }
  }
  const items = [...new Set([...units.values()].map((u) => u.inventoryItemId))];
  const [locations, profiles, policy, ruleSet] = await Promise.all([stockLocations(shop), locationProfiles(shop), inventoryPolicy(shop), activeRuleSet(shop)]);
  const { held, ordersToday: today } = order;
  // The levels of the items sourced (the order read those of every item its groups name).
  const sourced = new Set(items);
  const levels = order.levels.filter((l) => sourced.has(l.inventoryItemId));
  const unread = [...units.values()].filter((u) => u.productTags === undefined).map((u) => u.inventoryItemId);
  const tags =
    unread.length && [ruleSet ?? DEFAULT_RULE_SET, ...(o.alsoFor ?? [])].some(readsProductTags)
      ? await fetchProductTagsByItem(await adminFor(shop), unread)
      : new Map<string, string[]>();
  const lines: OrderLine[] = [...units].map(([lineId, u]) => ({
    lineId,
    inventoryItemId: u.inventoryItemId,
    sku: u.sku,
    quantity: u.quantity,
    unitPriceMinor: order.prices.get(lineId) ?? 0,
    productTags: u.productTags ?? tags.get(u.inventoryItemId) ?? [],
  }));
  const profileOf = new Map(profiles.map((p) => [p.locationId, p]));
  const ownUnits = new Map<string, number>();
  for (const g of open)
    for (const l of g.lines)
      if (l.inventoryItemId && g.locationId)
        ownUnits.set(`${l.inventoryItemId}|${g.locationId}`, (ownUnits.get(`${l.inventoryItemId}|${g.locationId}`) ?? 0) + l.remaining);
  const candidates: SourcingLocation[] = locations.map((l) => {
    const p = profileOf.get(l.id);
    const stock: Record<string, number> = {};
    for (const lv of levels.filter((x) => x.locationId === l.id)) {
      // What this order already holds here — its OMS reservation, and the units Shopify committed to
      // its own fulfilment orders — is stock it may keep: take it out of what others have claimed.
      const ownReserved = held.find((h) => h.inventoryItemId === lv.inventoryItemId && h.locationId === l.id)?.reserved ?? 0;
      const ownCommitted = ownUnits.get(`${lv.inventoryItemId}|${l.id}`) ?? 0;
      stock[lv.inventoryItemId] = atp(
        { ...lv, reserved: Math.max(0, lv.reserved - ownReserved), committed: Math.max(0, lv.committed - ownCommitted) },
        policy,
        now,
      );
    }
    return sourcingLocation(l, p, stock, today.get(l.id) ?? 0);
  });
  const dest = destinationOf(order.address);
  const groups: FoGroup[] = open.map((g) => ({
    id: g.id,
    status: g.status,
    locationId: g.locationId,
    lines: g.lines.filter((l) => l.inventoryItemId && l.foLineId).map((l) => ({ foLineId: l.foLineId!, lineItemId: l.lineItemId, remaining: l.remaining })),
  }));
  // BOPIS: the customer chose the store; the engine considers it alone.
  const pickupAt = open.find((g) => g.deliveryMethod === "PICK_UP")?.locationId ?? null;
  const delivery: Delivery = pickupAt ? { method: "pickup", pickupLocationId: pickupAt } : { method: "ship" };
  return { order, lines, groups, candidates, dest, delivery, ruleSet: ruleSet ?? DEFAULT_RULE_SET };
}

/** The engine on a loaded order; pass `{ ...input, ruleSet }` to try another rule set (what-if). */
export function decideFor(x: SourcingInput, now: Date, exclude: ReadonlySet<string> = new Set()) {
  // The same decision the checkout promise took (decide-sourcing.ts): lines in canonical order.
  return decideSourcing(requestFor(x, now, exclude));
}

export const requestFor = (x: SourcingInput, now: Date, exclude: ReadonlySet<string> = new Set()): SourcingRequest => ({
  lines: x.lines,
  destination: { countryCode: x.dest.countryCode ?? "", provinceCode: x.dest.provinceCode, latitude: x.dest.latitude, longitude: x.dest.longitude },
  delivery: x.delivery,
  locations: x.candidates.filter((c) => !exclude.has(c.id)),
  ruleSet: x.ruleSet,
  now,
});

export const outcomeOf = (plan: SourcingPlan) =>
  plan.hold ? "held" : plan.backorders.length ? "backordered" : new Set(plan.assignments.map((a) => a.locationId)).size > 1 ? "split" : "assigned";

/** The routing-decision row for a plan (or none: an error) under a rule set, as every sourcing pass records it. */
export const decisionRow = (
  shop: string,
  orderId: string,
  mode: "live" | "dry_run",
  ruleSet: Pick<RuleSet, "id" | "version">,
  plan: SourcingPlan | null,
  applied: string,
  error: string | null,
  at: Date,
) => ({
  shop,
  orderId,
  mode,
  ruleSetId: ruleSet.id,
  version: ruleSet.version,
  outcome: plan ? outcomeOf(plan) : "error",
  applied,
  error,
  shipments: plan?.decision.shipments.length ?? 0,
  backordered: plan?.backorders.reduce((n, b) => n + b.quantity, 0) ?? 0,
  plan: plan ?? {},
  at,
});

/** A dry run: what the engine would decide now, recorded but never applied. */
export async function dryRunOrder(shop: string, orderId: string, now: Date) {
  const x = await loadSourcingInput(shop, orderId, now);
  if (!x || !x.lines.length) return null;
  const result = decideFor(x, now);
  if (!result.ok) return { ok: false as const, error: result.error };
  await saveDecision(decisionRow(shop, orderId, "dry_run", x.ruleSet, result.value, "not_applied", null, now));
  return { ok: true as const, plan: result.value };
}

/**
 * Routes an order once, when Shopify's fulfilment orders for it are known: the engine decides,
 * the decision becomes fulfilment-order moves and holds, and the order's timeline says why. If
 * Shopify refuses a move, the engine decides again without that location, once; if that fails
 * too, Shopify's own routing stands and the order says so. Reservations follow the fulfilment
 * orders through the sync that the changes trigger.
 */
export async function routeOrder(shop: string, orderId: string, now: Date): Promise<{ outcome: string; applied: string }> {
  // A lease left by a pass that died with its worker expires within LEASE_MS: wait that long for it.
  // The claim says whether the order has a live decision already (read by the claim statement itself).
  // The claim also takes the groups' read ticket a whole move's write needs, and returns the order's sourcing read (one statement, not three).
  const r = await withSourcingLease(shop, orderId, (lease) => routeClaimed(shop, orderId, now, lease), {
    waitMs: LEASE_MS + 1_000,
    groupsTicket: true,
    sourcingRead: now,
  });
  // Another pass is still at work on this order: the job is retried and then finds its decision.
  if (r === "busy") throw new Error(`order ${orderId} is being sourced by another job; will retry`);
  return r;
}

async function routeClaimed(shop: string, orderId: string, now: Date, lease: SourcingLease): Promise<{ outcome: string; applied: string }> {
  const { routed, groupsTicket: claimTicket } = lease;
  if (routed) return { outcome: "already routed", applied: "unchanged" };
  const x = await loadSourcingInput(shop, orderId, now, { read: lease.order });
  if (!x || !x.lines.length) return { outcome: "nothing to route", applied: "unchanged" };
  // Held orders (release rules) and orders not released yet are not routed; their release routes them.
  if (x.order.state === "on_hold" || x.order.state === "received") return { outcome: `not released (${x.order.state})`, applied: "unchanged" };
  // Before the first inventory sync the OMS knows no locations or stock: deciding now would hold
  // every order for "no stock". Shopify's routing stands; the sync is started.
  if (!x.candidates.length || x.lines.some((l) => !x.candidates.some((c) => l.inventoryItemId in c.atp))) {
    await enqueue("inventoryReconcile", { shop, reason: `route-${now.toISOString().slice(0, 13)}` });
    return { outcome: "inventory not synced yet", applied: "unchanged" };
  }
  const p = { at: now, actor: "oms:sourcing", source: "oms" as const, deliveryId: null };
  // The live decision and the timeline entry that explains it. Writing it is the pass's last write,
  // so it carries the lease's token and hands the order on with it.
  const liveDecision = (plan: SourcingPlan | null, applied: string, error: string | null) => {
    const why = plan ? explanationText(plan.decision.explanation) : "";
    const summary = error
      ? `Sourcing (rule set v${x.ruleSet.version}) not applied: ${error}`
      : `Sourced by the OMS (rule set v${x.ruleSet.version}, ${applied}): ${why}`;
    return {
      row: { ...decisionRow(shop, orderId, "live", x.ruleSet, plan, applied, error, now), leaseToken: lease.token },
      entries: [
        {
          kind: error ? ("exception" as const) : ("note" as const),
          summary,
          fromState: null,
          toState: null,
          owner: "oms" as const,
          dedupeKey: `sourcing:live`,
        },
      ],
    };
  };
  const record = async (plan: SourcingPlan | null, applied: string, error: string | null) => {
    const d = liveDecision(plan, applied, error);
    await saveDecision(d.row, { entries: d.entries, p }); // one transaction
    lease.handedOn();
  };

  const exclude = new Set<string>();
  const graphql = await adminFor(shop);
  for (let attempt = 0; attempt < 2; attempt++) {
    const decided = decideFor(x, now, exclude);
    if (!decided.ok) {
      await record(null, "not_applied", `invalid sourcing request: ${decided.error.code}`);
      return { outcome: "error", applied: "not_applied" };
    }
    const changes = planFulfillmentChanges(x.groups, decided.value);
    if (!changes.ok) {
      await record(
        decided.value,
        "not_applied",
        changes.error.code === "NOT_MOVABLE"
          ? `fulfilment order already ${changes.error.status.toLowerCase()}`
          : `plan does not cover line ${changes.error.lineItemId}`,
      );
      return { outcome: outcomeOf(decided.value), applied: "not_applied" };
    }
    if (!changes.ops.length) {
      await record(decided.value, "unchanged", null);
      await checkRoutedPromise(shop, orderId, requestFor(x, now, exclude), decided.value, now, x.order.promise);
      return { outcome: outcomeOf(decided.value), applied: "unchanged" };
    }
    let failed: { message: string; location: string | null } | null = null;
    // Whole moves only (the usual case): the moves' answers say where the fulfilment orders are now,
    // written under a ticket taken before them (the lease claim's, or for a second attempt a new one);
    // anything else (a split, a hold, a refusal) is read back.
    const wholeMoves = changes.ops.every((op) => op.kind === "move" && op.lines === "all");
    const ticket = wholeMoves ? (attempt === 0 && claimTicket ? claimTicket : await startGroupsRead(shop, orderId)) : 0;
    const moved: { sourceId: string; locationId: string; locationName: string | null }[] = [];
    for (const op of changes.ops) {
      const r = await applyFoOp(graphql, op, backorderHandle(orderId));
      if (!r.ok) {
        failed = { message: r.message, location: op.kind === "move" ? op.toLocationId : null };
        break;
      }
      if (op.kind === "move" && r.movedFulfillmentOrderId === op.fulfillmentOrderId)
        moved.push({
          sourceId: op.fulfillmentOrderId,
          locationId: op.toLocationId,
          locationName: x.candidates.find((c) => c.id === op.toLocationId)?.name ?? null,
        });
    }
    // The groups, and the reservations that follow them, move with the fulfilment orders: from the
    // moves' answers when every op moved a fulfilment order whole, else from a read of the order.
    // From the answers, the decision is written with the moves (one lock, one timeline insert).
    const fromAnswers =
      !failed &&
      wholeMoves &&
      moved.length === changes.ops.length &&
      (await applyWholeMoves(shop, orderId, ticket, moved, p, new Map(x.candidates.map((c) => [c.id, c.name])), liveDecision(decided.value, "applied", null)));
    if (fromAnswers) lease.handedOn();
    else await syncOrderFromShopify(shop, { orderId: x.order.sourceId }, "sourcing", now, "fulfilment");
    if (!failed) {
      if (!fromAnswers) await record(decided.value, "applied", null);
      await checkRoutedPromise(shop, orderId, requestFor(x, now, exclude), decided.value, now, x.order.promise);
      return { outcome: outcomeOf(decided.value), applied: "applied" };
    }
    if (attempt === 1 || !failed.location) {
      await record(decided.value, "rejected", `Shopify refused: ${failed.message}`);
      return { outcome: outcomeOf(decided.value), applied: "rejected" };
    }
    // Shopify refused a location (not stocked there, inactive…): decide again without it, on the groups as they are now.
    exclude.add(failed.location);
    const fresh = await loadSourcingInput(shop, orderId, now);
    if (fresh) Object.assign(x, { groups: fresh.groups, candidates: fresh.candidates });
  }
  return { outcome: "error", applied: "rejected" };
}
