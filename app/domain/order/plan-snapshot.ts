import { transitionAll, type OrderEvent, type OrderState, type Owner } from "./lifecycle";
import type { OrderSnapshot } from "./snapshot";

export type TimelineEntry = {
  kind: "received" | "updated" | "transition" | "exception" | "fulfillment" | "refund" | "return" | "redaction" | "note" | "inventory" | "change";
  summary: string;
  fromState: OrderState | null;
  toState: OrderState | null;
  owner: Owner | null;
  dedupeKey: string;
  /** Who made this change, when it is not whoever recorded the batch (e.g. the OMS's own decision). */
  actor?: string;
  source?: "shopify" | "oms" | "amazon" | "user";
};

export type StoredOrderHead = { state: OrderState; sourceUpdatedAt: Date; financialStatus: string | null; fulfillmentStatus: string | null };

export type SnapshotPlan = { kind: "stale"; storedUpdatedAt: Date } | { kind: "apply"; state: OrderState; exception: string | null; timeline: TimelineEntry[] };

/**
 * Decides what a snapshot from a channel does to the OMS order. Snapshots arrive out of order and
 * more than once: one older than what is stored changes nothing; facts the channel reports
 * (cancelled, fulfilled, refunded) move the lifecycle along its legal path, each step with its owner;
 * a fact the lifecycle cannot reach is recorded as an exception instead of being applied.
 */
export function planSnapshot(stored: StoredOrderHead | null, snap: OrderSnapshot, via: string): SnapshotPlan {
  if (stored && snap.updatedAt < stored.sourceUpdatedAt) return { kind: "stale", storedUpdatedAt: stored.sourceUpdatedAt };

  const timeline: TimelineEntry[] = [];
  const from: OrderState = stored?.state ?? "received";
  if (!stored) {
    timeline.push({
      kind: "received",
      summary: `Order ${snap.name} received (${via})`,
      fromState: null,
      toState: "received",
      owner: "commerce",
      dedupeKey: "received",
    });
  } else {
    const changes = describeChanges(stored, snap);
    if (changes) {
      timeline.push({
        kind: "updated",
        summary: changes,
        fromState: null,
        toState: null,
        owner: "commerce",
        dedupeKey: `updated:${snap.updatedAt.toISOString()}`,
      });
    }
  }

  const events = eventsToReach(from, observedState(snap));
  const path = transitionAll(from, events);
  if (!path.ok) {
    const { event, from: at } = path.error;
    timeline.push({
      kind: "exception",
      summary: `${via} reports ${event} but an order that is ${at} cannot move that way; not applied`,
      fromState: at,
      toState: null,
      owner: null,
      dedupeKey: `exception:${event}:${at}@${snap.updatedAt.toISOString()}`,
    });
    return { kind: "apply", state: from, exception: "ILLEGAL_TRANSITION", timeline };
  }
  for (const step of path.value) {
    timeline.push({
      kind: "transition",
      summary: `${step.from} → ${step.to} (${step.event})`,
      fromState: step.from,
      toState: step.to,
      owner: step.owner,
      dedupeKey: `transition:${step.event}:${step.to}@${snap.updatedAt.toISOString()}`,
    });
  }
  return { kind: "apply", state: path.value.at(-1)?.to ?? from, exception: null, timeline };
}

type Observed = "cancelled" | "shipped" | "refunded" | null;

/** The furthest state the channel's own facts prove. */
function observedState(snap: OrderSnapshot): Observed {
  if (snap.financialStatus === "refunded") return "refunded";
  if (snap.cancelledAt) return "cancelled";
  if (snap.fulfillmentStatus === "fulfilled") return "shipped";
  return null;
}

/** The legal path from where the order is to what the channel proves, through the states it skipped. */
function eventsToReach(from: OrderState, observed: Observed): OrderEvent[] {
  if (observed === null || from === observed) return [];
  if (observed === "cancelled") return from === "refunded" ? [] : ["CANCEL"];
  if (observed === "shipped") {
    if (["shipped", "delivered", "returned", "refunded"].includes(from)) return [];
    const lead: Partial<Record<OrderState, OrderEvent[]>> = {
      received: ["RELEASE", "SOURCE"],
      released: ["SOURCE"],
      allocated: ["SOURCE"],
      backordered: ["SOURCE"],
      on_hold: ["RELEASE_HOLD", "SOURCE"],
    };
    return [...(lead[from] ?? []), "SHIP"];
  }
  // refunded: a fully refunded open order was cancelled first; a shipped one goes straight to refunded.
  const open = ["received", "released", "allocated", "sourced", "on_hold", "backordered"].includes(from);
  return open ? ["CANCEL", "REFUND"] : ["REFUND"];
}

function describeChanges(stored: StoredOrderHead, snap: OrderSnapshot): string | null {
  const parts: string[] = [];
  if (stored.financialStatus !== snap.financialStatus) parts.push(`financial status ${stored.financialStatus ?? "none"} → ${snap.financialStatus ?? "none"}`);
  if (stored.fulfillmentStatus !== snap.fulfillmentStatus)
    parts.push(`fulfillment status ${stored.fulfillmentStatus ?? "unfulfilled"} → ${snap.fulfillmentStatus ?? "unfulfilled"}`);
  return parts.length ? `Updated in the channel: ${parts.join(", ")}` : null;
}
