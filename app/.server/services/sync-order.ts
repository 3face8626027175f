import { factsHeld, type FoFact } from "~/domain/order/fulfillment-facts";
import { progressEvents, type FulfillmentFact, type GroupSnapshot } from "~/domain/order/fulfillment-progress";
import { transition, type OrderState } from "~/domain/order/lifecycle";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import { startGroupsReadOf, withOrderLock } from "../db/order-lock";
import { findGroupsBySourceIds, moveGroupsWhole, recordTimeline, replaceGroups, transitionOrder, type Provenance } from "../db/orders";
import { NonRetriableError } from "../errors";
import { adminFor } from "../shopify/admin";
import { activeRuleSet, writeDecisionLocked, type DecisionInput } from "../db/sourcing";
import { bumpLoadVersion } from "../db/promise-versions";
import { readsProductTags } from "~/domain/sourcing/eligibility";
import { fetchFulfillmentOrderOwner, fetchOrderFromShopify, fetchOrderFulfilment, type GateFacts } from "../shopify/order-sync";
import type { ReleaseHead } from "../db/release";
import { applyReleaseGate, releaseAtOnce, type GateOutcome } from "./release/release-gate";
import { orderPolicy } from "../db/order-policy";
import { intakeOrderSnapshot } from "./intake-order";
import { enqueue } from "../queue/queues";
import { afterReservations, prepareOrderLevels, reserveForOrderLocked } from "./order-stock";
import { recordOrderPromise } from "./promise/order-promise";

// unlessHeld: skip the read if by then the OMS holds what a status-only event stated (its order's own
// sync, or the OMS's read after its moves, may have brought it in). onlyIfUnknown (jobs queued before
// unlessHeld was carried with a fulfilment order): skip once the fulfilment order is known at all.
export type SyncTarget =
  { orderId: string; unlessHeld?: readonly FoFact[] } | { fulfillmentOrderId: string; unlessHeld?: readonly FoFact[]; onlyIfUnknown?: boolean };

/**
 * What a sync reads: the whole order, or only its fulfilment side (fulfilment orders and
 * fulfilments) when nothing else can have changed — after orders/create, whose payload carried the
 * order, after a fulfillment_orders/* event, and after the OMS's own moves. An order the OMS does
 * not hold yet is always read whole.
 */
export type SyncScope = "order" | "fulfilment";

/**
 * Re-reads an order from the Admin API (Shopify's best practice after a webhook that carries only
 * ids) and applies it: the order snapshot, its fulfilment groups, and the progress they prove.
 */
export async function syncOrderFromShopify(
  shop: string,
  target: SyncTarget,
  via: string,
  now: Date,
  scope: SyncScope = "order",
  opts: { withMoney?: boolean; lines?: readonly { id: string; sku: string }[] } = {},
) {
  if (target.unlessHeld?.length) {
    // Another read (the OMS's own, after its moves) may have brought in what the event stated.
    if (
      factsHeld(
        target.unlessHeld,
        await findGroupsBySourceIds(
          shop,
          target.unlessHeld.map((f) => f.id),
        ),
      )
    )
      return { orderId: null, steps: 0, skipped: "the event's facts are held" };
  }
  let orderGid = "orderId" in target ? target.orderId : null;
  if (!("orderId" in target)) {
    // A fulfilment order the OMS already holds names its order without asking Shopify.
    const known = (await findGroupsBySourceIds(shop, [target.fulfillmentOrderId])).get(target.fulfillmentOrderId);
    if (known && target.onlyIfUnknown) return { orderId: null, steps: 0, skipped: "fulfilment order already known" };
    orderGid = known?.orderSourceId ?? null;
  }
  const graphql = await adminFor(shop);
  // Product tags cost a point per line: read only while a rule looks at them (routing reads them if that changes).
  const active = await activeRuleSet(shop);
  const withTags = active !== null && readsProductTags(active);
  orderGid ??= "orderId" in target ? null : await fetchFulfillmentOrderOwner(graphql, target.fulfillmentOrderId);
  if (!orderGid) throw new NonRetriableError(`Shopify has no order for ${JSON.stringify(target)}`);

  const provenance = { at: now, actor: `shopify:${via}`, source: "shopify" as const, deliveryId: null };
  // The ticket is taken before the read: a read that starts later gets a higher one, and an older
  // read that answers late is not written over what the newer one wrote (replaceGroups).
  const { head, ticket } = await startGroupsReadOf(shop, orderGid);
  let orderId: string;
  let fetched: FetchedFulfilment & { gate: GateFacts };
  if (head && scope === "fulfilment") {
    const side = await fetchOrderFulfilment(graphql, orderGid, withTags, opts.lines);
    if (!side) throw new NonRetriableError(`Shopify has no order ${orderGid}`);
    orderId = head.id;
    fetched = side;
  } else {
    const whole = await fetchOrderFromShopify(graphql, orderGid, withTags);
    if (!whole) throw new NonRetriableError(`Shopify has no order ${orderGid}`);
    orderId = (await intakeOrderSnapshot(shop, whole.snapshot, via, provenance, head)).orderId;
    // The delivery promise the order was placed with travels in a cart attribute.
    await recordOrderPromise(shop, orderId, whole.attributes, whole.snapshot.placedAt);
    fetched = {
      updatedAt: whole.snapshot.updatedAt,
      cancelledAt: whole.snapshot.cancelledAt,
      groups: whole.groups,
      fulfillments: whole.fulfillments,
      gate: whole.gate,
    };
  }
  // Released at once (the usual case): under the read's lock, with the reservations' timeline entries
  // (the policy read first: settings are not read from their cache under a lock).
  const policy = await orderPolicy(shop);
  const applied = await applyOrderRead(shop, orderId, ticket, fetched, via, provenance, (head, entries) =>
    releaseAtOnce(orderId, shop, policy, fetched.gate, fetched.groups, now, head, (released) => progressSteps(released, fetched, via), entries),
  );
  // A job queued by an earlier version, which read a paid order's money with it: that order (created
  // before orders were marked for the money sweep) has its money read on its own.
  if (opts.withMoney) await enqueue("syncOrderMoney", { shop, orderId: orderGid, financialStatus: fetched.gate.financialStatus ?? "paid" });
  // The release rules, on what was just read: an order is routed only once released (held orders wait
  // for their rule). Outside the order's lock: it may hold fulfilment orders in Shopify; its writes are guarded.
  // Released just now: the progress the groups prove (sourced by Shopify's routing) follows at once,
  // written with the release as one guarded move (one UPDATE and one timeline insert, not two each).
  const gated =
    applied.released ??
    (await applyReleaseGate(
      shop,
      orderId,
      fetched.gate,
      fetched.groups,
      now,
      applied.head,
      applied.groups ? (released) => progressSteps(released, fetched, via) : undefined,
      policy,
    ));
  if (gated.progressed !== undefined) applied.steps += gated.progressed;
  // Released before (the gate did not move it): the progress starts from the state the gate found
  // (its transitions are guarded on it: one another writer changed meanwhile fails, and a later read goes on).
  else if (applied.groups && gated.verdict === "release" && gated.route)
    applied.steps += (await withOrderLock(shop, orderId, () => recordProgress(shop, orderId, fetched, via, provenance, gated.state))).steps;
  // Money that may disagree with the order (an authorisation to track, a cancellation to refund): checked on its own read.
  if (fetched.cancelledAt || ["authorized", "partially_paid"].includes(fetched.gate.financialStatus ?? "")) {
    await enqueue("checkPayments", { shop, orderId, reason: `sync-${fetched.updatedAt.toISOString()}` });
  }
  // Once Shopify's routing has produced fulfilment orders, the OMS's sourcing decides (once: the
  // job's id is the order's, and the job itself ends at once when a live decision exists).
  if (applied.groups && gated.route && via !== "sourcing" && fetched.groups.some((g) => g.status === "OPEN") && !fetched.cancelledAt) {
    await enqueue("routeOrder", { shop, orderId });
  }
  return { orderId, steps: applied.steps, ...(applied.groups ? {} : { skipped: "a newer read of the fulfilment orders was applied first" }) };
}

export type FetchedFulfilment = { updatedAt: Date; cancelledAt: Date | null; groups: GroupSnapshot[]; fulfillments: FulfillmentFact[] };

/**
 * Applies one read of an order's fulfilment side under the order's lock: its fulfilment groups
 * (unless a later-started read, a higher ticket, wrote them first), the reservations that follow
 * them, and the progress they prove — one step no other writer of this order comes between.
 */
export async function applyOrderRead(
  shop: string,
  orderId: string,
  ticket: number,
  fetched: FetchedFulfilment,
  via: string,
  provenance: Provenance,
  // The release rules' usual case, decided under this lock on the order still `received`: its write
  // carries the reservations' timeline entries (one insert for both); null leaves the release rules
  // to the caller, after the lock, and the entries are written here.
  releaseNow?: (head: ReleaseHead, entries: TimelineEntry[]) => Promise<GateOutcome | null>,
): Promise<{ groups: boolean; steps: number; head?: ReleaseHead; released?: GateOutcome }> {
  const groups = fetched.groups.map((g) => ({ ...g, trackingInfo: undefined }));
  // Levels the OMS has never read are read from Shopify first, outside the lock.
  await prepareOrderLevels(shop, groups, fetched.cancelledAt !== null, provenance);
  const done = await withOrderLock(shop, orderId, async () => {
    const head = await replaceGroups(orderId, groups, ticket);
    if (!head) return { groups: false, steps: 0, applied: [] };
    // The routing decision is the reservation: holdings follow the groups' locations.
    const { applied, state, deferred } = await reserveForOrderLocked(shop, orderId, provenance, groups, head, undefined, {
      deferEntries: releaseNow !== undefined,
    });
    let released: GateOutcome | null = null;
    if (state) {
      const progress = await recordProgress(shop, orderId, fetched, via, provenance, state);
      if (releaseNow && progress.steps === 0 && progress.state === "received") released = await releaseNow({ ...head, state: "received" }, deferred ?? []);
      if (!released && deferred?.length) await recordTimeline(orderId, shop, deferred, { ...provenance, source: "oms" });
      return { groups: true, steps: progress.steps, applied, head: { ...head, state: released?.state ?? progress.state }, released };
    }
    if (deferred?.length) await recordTimeline(orderId, shop, deferred, { ...provenance, source: "oms" });
    return { groups: true, steps: 0, applied };
  });
  await afterReservations(shop, done.applied);
  // The head as this lock left it (the release rules' first read; every write of theirs is guarded on it).
  return {
    groups: done.groups,
    steps: done.steps,
    ...(done.head ? { head: done.head } : {}),
    ...("released" in done && done.released ? { released: done.released } : {}),
  };
}

/**
 * Fulfilment orders the OMS has just moved whole (Shopify's move answered with the same fulfilment
 * order at the new location): written from those answers instead of a read of the order (a whole
 * move changes neither statuses nor lines, so no lifecycle step follows), with the reservations that
 * follow them. `ticket`: taken before the moves (`startGroupsRead`). False when a read that started
 * later has written the groups first: the caller reads the order instead. The levels moved to are
 * ones the OMS holds (the engine chose them from its own levels), so none is read first.
 */
export async function applyWholeMoves(
  shop: string,
  orderId: string,
  ticket: number,
  moves: readonly { sourceId: string; locationId: string; locationName: string | null }[],
  provenance: Provenance,
  // The shop's location names as the caller holds them (routing read them): a move releases units where
  // the order no longer has a group, and its entry names that location without a read under the lock.
  locationNames?: ReadonlyMap<string, string>,
  // The routing decision the moves carried out, written under the same lock (its timeline entry in
  // the reservations' insert): the moves, what follows them and why they were made commit together.
  decision?: { row: DecisionInput; entries: TimelineEntry[] },
): Promise<boolean> {
  const done = await withOrderLock(shop, orderId, async () => {
    const written = await moveGroupsWhole(orderId, moves, ticket);
    if (!written) return null;
    // The order's groups as the move's write returned them, and what it holds as its guard read it: neither read again.
    const r = await reserveForOrderLocked(shop, orderId, provenance, written.groups, written.head, locationNames, { deferEntries: decision !== undefined });
    const saved = decision && (await writeDecisionLocked(decision.row, { entries: [...(r.deferred ?? []), ...decision.entries], p: provenance }));
    return { applied: r.applied, loadChanged: saved?.loadChanged ?? false };
  });
  if (!done) return false;
  if (done.loadChanged) await bumpLoadVersion(shop);
  await afterReservations(shop, done.applied);
  return true;
}

/** The run of lifecycle steps a read's groups and fulfilments prove from `from`, with their timeline entries (pure). */
function progressSteps(from: OrderState, fetched: FetchedFulfilment, via: string): { to: OrderState; entries: TimelineEntry[] } {
  let at = from;
  const entries: TimelineEntry[] = [];
  for (const event of progressEvents(from, fetched.groups, fetched.fulfillments)) {
    const step = transition(at, event);
    if (!step.ok || !step.value.changed) break;
    const { from: was, to, owner } = step.value;
    const oms = event === "SOURCE";
    entries.push({
      kind: "transition",
      summary: `${was} → ${to} (${event})`,
      fromState: was,
      toState: to,
      owner,
      dedupeKey: `transition:${event}:${to}@${fetched.updatedAt.toISOString()}`,
      actor: oms ? "oms:accept-native-routing" : `shopify:${via}`,
      source: oms ? "oms" : "shopify",
    });
    at = to;
  }
  return { to: at, entries };
}

/**
 * `from`: the order's state, as the caller has just read or written it (the transition is guarded
 * on it). Returns the steps taken and the state the order is in after them.
 */
async function recordProgress(
  shop: string,
  orderId: string,
  fetched: FetchedFulfilment,
  via: string,
  provenance: Provenance,
  from: OrderState,
): Promise<{ steps: number; state: OrderState }> {
  // The run of steps the groups prove, as one guarded write: the order moves from `from` to the
  // last step's state only if it is still in `from`, with every step's timeline entry (and owner).
  const { to: at, entries } = progressSteps(from, fetched, via);
  if (!entries.length) return { steps: 0, state: from };
  return (await transitionOrder(orderId, shop, from, at, {}, entries, provenance)) ? { steps: entries.length, state: at } : { steps: 0, state: from };
}
