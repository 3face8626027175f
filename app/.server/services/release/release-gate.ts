import type { GroupSnapshot } from "~/domain/order/fulfillment-progress";
import { transition, type OrderState } from "~/domain/order/lifecycle";
import type { TimelineEntry } from "~/domain/order/plan-snapshot";
import { isPersonRule, RELEASED_BY_PERSON, releaseVerdict, type HoldRule, type ReleaseFacts, type ReleaseVerdict } from "~/domain/order/release-rules";
import type { Address, Channel } from "~/domain/order/snapshot";
import { orderPolicy } from "../../db/order-policy";
import type { OrderPolicy } from "~/domain/order/policy";
import { moveForRelease, noteOrderFacts, releaseHead, type ReleaseHead } from "../../db/release";
import { addressProblem } from "../../geo/address-check";
import { adminFor } from "../../shopify/admin";
import type { GateFacts } from "../../shopify/order-sync";
import { holdForRelease, releaseHoldHandle, releaseReleaseHolds } from "../../shopify/release-holds";
import { clearException } from "../exceptions/raise-exception";

/** States the release rules decide in: before the order reaches a location. */
const GATED: readonly OrderState[] = ["received", "released", "on_hold"];
const ACTOR = "oms:release-rules";

/** `progressed`: the lifecycle steps past `released` written with the release itself (its `then`). */
export type GateOutcome = { state: OrderState; route: boolean; verdict: ReleaseVerdict["kind"] | "not_gated"; progressed?: number };

/** Steps that follow a release at once (what the read's groups prove), written with it as one guarded move. */
export type AfterRelease = (released: OrderState) => { to: OrderState; entries: TimelineEntry[] };

const RULES: readonly string[] = ["payment", "pre_order", "high_risk", "address", "value"];
/** Held by these rules (or the payment hold of before the rules recorded their name). */
const isReleaseRuleHold = (o: ReleaseHead) => (o.holdRule === null ? o.holdReason === null || o.holdReason === "awaiting payment" : RULES.includes(o.holdRule));

export function factsFor(o: ReleaseHead, gate: GateFacts, groups: GroupSnapshot[]): ReleaseFacts {
  const live = groups.filter((g) => g.status !== "CANCELLED");
  const address = o.shippingAddress ? (JSON.parse(o.shippingAddress) as Address) : null;
  return {
    channel: o.channel as Channel,
    financialStatus: gate.financialStatus,
    totalMinor: o.totalMinor,
    currency: o.currency,
    risk: gate.risk,
    addressProblem: addressProblem(address),
    paymentTerms: gate.paymentTerms,
    scheduledUntil: gate.scheduledUntil,
    pickup: live.some((g) => g.deliveryMethod === "PICK_UP"),
    fulfilledAtCounter: live.length > 0 && live.every((g) => g.status === "CLOSED") && o.fulfillmentStatus === "fulfilled",
    releasedByPerson: o.holdRule === RELEASED_BY_PERSON,
  };
}

/**
 * The release rules on an order just read from Shopify: released, held (with the reason on the
 * order, a Shopify hold on its fulfilment orders, and an exception when a person must decide), a
 * hold whose cause went away lifted — or, for a POS counter sale, only recorded. Returns whether
 * the order may now be routed. Safe to run again on every read: each write is guarded on the state
 * and rule it was decided from.
 */
export async function applyReleaseGate(
  shop: string,
  orderId: string,
  gate: GateFacts,
  groups: GroupSnapshot[],
  now: Date,
  known?: ReleaseHead,
  then?: AfterRelease,
  // The shop's order policy when the caller has just read it (not asked for again).
  policyRead?: OrderPolicy,
): Promise<GateOutcome> {
  const policy = policyRead ?? (await orderPolicy(shop));
  for (let attempt = 0; ; attempt++) {
    // `known`: the head the caller's write has just returned (sync-order.ts), not read again; a retry reads it.
    const o = attempt === 0 && known ? known : await releaseHead(shop, orderId);
    if (!o) return { state: "received", route: false, verdict: "not_gated" };
    const facts = factsFor(o, gate, groups);
    const verdict = releaseVerdict(facts, policy, now);
    // Facts about the order (its kind, Shopify's risk level), written only when they change: with the
    // gate's own move when it makes one (one UPDATE), otherwise on their own before the gate returns.
    const noted = { orderKind: verdict.orderKind, riskLevel: gate.risk?.level ?? null };
    const factsChanged = o.orderKind !== noted.orderKind || o.riskLevel !== noted.riskLevel;
    const gated = await gateOn(shop, orderId, o, verdict, groups, now, factsChanged ? noted : null, then);
    // Another writer (a sync of the same order in another worker) moved the order between this
    // read and this write: decide again on the state it left, so this sync still routes and records
    // progress when the order is released (answering "not moved, do not route" here left orders
    // released and never routed when two syncs raced on PostgreSQL).
    if (gated.raced && attempt < 3) continue;
    if (factsChanged && !gated.factsWritten) await noteOrderFacts(orderId, noted);
    return gated.outcome;
  }
}

async function gateOn(
  shop: string,
  orderId: string,
  o: ReleaseHead,
  verdict: ReleaseVerdict,
  groups: GroupSnapshot[],
  now: Date,
  facts: { orderKind: string; riskLevel: string | null } | null,
  then?: AfterRelease,
): Promise<{ outcome: GateOutcome; factsWritten?: boolean; raced?: boolean }> {
  const done = (outcome: GateOutcome) => ({ outcome });
  if (o.state === "cancelled" && isPersonRule(o.holdRule)) await clearException(shop, "release_hold", orderId, ACTOR, "order cancelled", now);
  // Past the hold, but Shopify still shows the rules' hold (the release's lift did not get to run): lifted now.
  if (o.state !== "on_hold" && o.state !== "cancelled") await liftStrayHolds(shop, orderId, groups);
  if (!GATED.includes(o.state)) return done({ state: o.state, route: false, verdict: "not_gated" });
  // A hold some other part of the OMS (or a person) placed is theirs to lift: the rules leave it alone.
  if (o.state === "on_hold" && !isReleaseRuleHold(o)) return done({ state: o.state, route: false, verdict: "not_gated" });
  const p = { at: now, actor: ACTOR, source: "oms" as const, deliveryId: null };
  const stamp = now.toISOString();

  if (verdict.kind === "counter") return done({ state: o.state, route: false, verdict: "counter" });

  if (verdict.kind === "release") {
    // A person's hold stays until a person releases it, even if its cause went away.
    if (o.state === "on_hold" && isPersonRule(o.holdRule)) return done({ state: o.state, route: false, verdict: "hold" });
    if (o.state === "released") return done({ state: o.state, route: true, verdict: "release" });
    const moved = await writeRelease(shop, orderId, o, verdict.reason, now, facts, then, []);
    if (moved === null) return done({ state: o.state, route: false, verdict: "release" });
    if (moved && o.state === "on_hold") await liftShopifyHolds(shop, orderId, groups);
    return {
      outcome: { state: moved ? moved.to : o.state, route: !!moved, verdict: "release", ...(moved && then ? { progressed: moved.progressed } : {}) },
      factsWritten: !!moved,
      raced: !moved,
    };
  }

  // Hold. Already held for the same rule: nothing changes (the reason may read differently, the rule
  // is the same) — but a Shopify hold the move did not get to place (its worker stopped) is placed now.
  if (o.state === "on_hold" && o.holdRule === verdict.rule) {
    if (isPersonRule(verdict.rule)) await placeShopifyHolds(shop, orderId, groups.filter(lacksReleaseHold(orderId)), verdict.rule, verdict.reason);
    return done({ state: o.state, route: false, verdict: "hold" });
  }
  // A person's hold is not replaced by an automatic one.
  if (o.state === "on_hold" && isPersonRule(o.holdRule) && !isPersonRule(verdict.rule)) return done({ state: o.state, route: false, verdict: "hold" });
  const entry: TimelineEntry = {
    kind: "transition",
    summary: o.state === "on_hold" ? `Still on hold, now for: ${verdict.reason}` : `${o.state} → on_hold (HOLD: ${verdict.reason})`,
    fromState: o.state,
    toState: "on_hold",
    owner: "oms",
    dedupeKey: `hold:${verdict.rule}@${stamp}`,
  };
  // A hold for a person raises its queue item with the move (one transaction).
  const forPerson = isPersonRule(verdict.rule);
  const moved = await moveForRelease(
    orderId,
    shop,
    { state: o.state, holdRule: o.holdRule },
    "on_hold",
    { holdRule: verdict.rule, holdReason: verdict.reason, releaseAfter: verdict.until, ...facts },
    [entry],
    p,
    forPerson
      ? {
          raise: {
            shop,
            kind: "release_hold",
            severity: "warning",
            subjectKey: orderId,
            orderId,
            summary: `Order ${o.name} held before release: ${verdict.reason}. Release or cancel it.`,
            data: { rules: verdict.rules, reason: verdict.reason },
          },
        }
      : undefined,
  );
  if (!moved) return { outcome: { state: o.state, route: false, verdict: "hold" }, raced: true };
  if (forPerson) await placeShopifyHolds(shop, orderId, groups, verdict.rule, verdict.reason);
  return { outcome: { state: "on_hold", route: false, verdict: "hold" }, factsWritten: true };
}

/**
 * A release as one guarded write (the order moves from the state it was decided in, with its
 * timeline entry, `before` ahead of it and the steps `then` proves after it: one UPDATE, one
 * timeline insert). null: the lifecycle has no release from that state; false: another writer
 * moved the order first (nothing written).
 */
async function writeRelease(
  shop: string,
  orderId: string,
  o: ReleaseHead,
  reason: string,
  now: Date,
  facts: { orderKind: string; riskLevel: string | null } | null,
  then: AfterRelease | undefined,
  before: TimelineEntry[],
): Promise<{ to: OrderState; progressed: number } | false | null> {
  const event = o.state === "on_hold" ? "RELEASE_HOLD" : "RELEASE";
  if (!transition(o.state, event).ok) return null;
  const entry: TimelineEntry = {
    kind: "transition",
    summary: `${o.state} → released (${event}: ${reason})`,
    fromState: o.state,
    toState: "released",
    owner: "oms",
    dedupeKey: `release:${event}@${now.toISOString()}`,
  };
  const keepPersonMark = o.holdRule === RELEASED_BY_PERSON ? RELEASED_BY_PERSON : null;
  // The steps that follow at once ride on the same guarded write (one UPDATE, one timeline insert).
  const next = then?.("released") ?? { to: "released" as OrderState, entries: [] };
  const moved = await moveForRelease(
    orderId,
    shop,
    { state: o.state, holdRule: o.holdRule },
    next.to,
    { holdRule: keepPersonMark, holdReason: null, releaseAfter: null, ...facts },
    [...before, entry, ...next.entries],
    { at: now, actor: ACTOR, source: "oms", deliveryId: null },
  );
  return moved ? { to: next.to, progressed: next.entries.length } : false;
}

/**
 * The release rules on an order still `received`, under the order's lock (sync-order.ts,
 * applyOrderRead), for the usual case: released at once. The release and the steps that follow
 * then ride on one guarded write with `entries` (the timeline entries the reservations just made
 * under the same lock, each with its own actor): one UPDATE and one timeline insert for both.
 * Anything else (a hold, which may call Shopify and raise an exception; another state) is left to
 * applyReleaseGate after the lock: null, with nothing written — nor when another writer moved the
 * order first. `policy`: the shop's order policy, read before the lock (settings read under a lock
 * go to the database: config-cache.ts), as applyReleaseGate reads it before its write.
 */
export async function releaseAtOnce(
  orderId: string,
  shop: string,
  policy: OrderPolicy,
  gate: GateFacts,
  groups: GroupSnapshot[],
  now: Date,
  o: ReleaseHead,
  then: AfterRelease | undefined,
  entries: TimelineEntry[],
): Promise<GateOutcome | null> {
  if (o.state !== "received") return null;
  const verdict = releaseVerdict(factsFor(o, gate, groups), policy, now);
  if (verdict.kind !== "release") return null;
  const noted = { orderKind: verdict.orderKind, riskLevel: gate.risk?.level ?? null };
  const factsChanged = o.orderKind !== noted.orderKind || o.riskLevel !== noted.riskLevel;
  const moved = await writeRelease(shop, orderId, o, verdict.reason, now, factsChanged ? noted : null, then, entries);
  return moved ? { state: moved.to, route: true, verdict: "release", ...(then ? { progressed: moved.progressed } : {}) } : null;
}

async function placeShopifyHolds(shop: string, orderId: string, groups: GroupSnapshot[], rule: HoldRule, reason: string) {
  const open = groups.filter((g) => g.status === "OPEN" || g.status === "SCHEDULED" || g.status === "ON_HOLD").map((g) => g.sourceId);
  if (!open.length) return;
  await holdForRelease(await adminFor(shop), open, rule, `OMS release rule: ${reason}`, releaseHoldHandle(orderId));
}

/** A live fulfilment order read from Shopify (its holds known) without the release rules' hold. */
const lacksReleaseHold = (orderId: string) => (g: GroupSnapshot) => g.holdHandles !== undefined && !g.holdHandles.includes(releaseHoldHandle(orderId));

async function liftStrayHolds(shop: string, orderId: string, groups: GroupSnapshot[]) {
  const stray = groups.filter((g) => g.holdHandles?.includes(releaseHoldHandle(orderId)));
  if (stray.length) await liftShopifyHolds(shop, orderId, stray);
}

export async function liftShopifyHolds(shop: string, orderId: string, groups: { sourceId: string; status: string }[]) {
  // Every live fulfilment order is asked (the OMS may not have read its ON_HOLD status yet); only holds with this order's handle are released.
  const held = groups.filter((g) => g.status !== "CLOSED" && g.status !== "CANCELLED").map((g) => g.sourceId);
  if (!held.length) return;
  await releaseReleaseHolds(await adminFor(shop), held, releaseHoldHandle(orderId));
}
