import type { SourcingPlan } from "./types";

/**
 * From a sourcing plan to the Shopify fulfilment-order changes that make Shopify match it: moves
 * (whole, or some units into a new fulfilment order at the target) and holds for backordered units.
 * Units already where the plan wants them stay put, so applying a plan twice changes nothing.
 */

export type FoLine = { foLineId: string; lineItemId: string; remaining: number };
export type FoGroup = { id: string; status: string; locationId: string | null; lines: readonly FoLine[] };
export type FoUnits = { foLineId: string; quantity: number }[];

export type FoOp =
  | { kind: "move"; fulfillmentOrderId: string; toLocationId: string; lines: FoUnits | "all" }
  /** "all": the fulfilment order (after its moves) holds exactly these units; otherwise split them off first. */
  | { kind: "hold"; fulfillmentOrderId: string; lines: FoUnits | "all"; reason: "INVENTORY_OUT_OF_STOCK" };

export type ChangesError = { code: "NOT_MOVABLE"; fulfillmentOrderId: string; status: string } | { code: "UNITS_MISMATCH"; lineItemId: string };

const MOVABLE = new Set(["OPEN", "SCHEDULED"]);

export function planFulfillmentChanges(
  groups: readonly FoGroup[],
  plan: Pick<SourcingPlan, "assignments" | "backorders" | "hold">,
): { ok: true; ops: FoOp[] } | { ok: false; error: ChangesError } {
  const open = groups.filter((g) => g.lines.some((l) => l.remaining > 0));
  const stuck = open.find((g) => !MOVABLE.has(g.status));
  if (stuck) return { ok: false, error: { code: "NOT_MOVABLE", fulfillmentOrderId: stuck.id, status: stuck.status } };
  const sorted = [...open].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (plan.hold) return { ok: true, ops: sorted.map((g) => ({ kind: "hold", fulfillmentOrderId: g.id, lines: "all", reason: "INVENTORY_OUT_OF_STOCK" })) };

  // What each line item should have where: assigned units per location; the rest is held in place.
  const want = new Map<string, Map<string, number>>();
  for (const a of plan.assignments) {
    const byLoc = want.get(a.lineId) ?? new Map<string, number>();
    byLoc.set(a.locationId, (byLoc.get(a.locationId) ?? 0) + a.quantity);
    want.set(a.lineId, byLoc);
  }
  const planned = new Map<string, number>();
  for (const a of plan.assignments) planned.set(a.lineId, (planned.get(a.lineId) ?? 0) + a.quantity);
  for (const b of plan.backorders) planned.set(b.lineId, (planned.get(b.lineId) ?? 0) + b.quantity);
  const present = new Map<string, number>();
  for (const g of sorted) for (const l of g.lines) present.set(l.lineItemId, (present.get(l.lineItemId) ?? 0) + l.remaining);
  for (const [lineItemId, units] of present) if ((planned.get(lineItemId) ?? 0) !== units) return { ok: false, error: { code: "UNITS_MISMATCH", lineItemId } };

  // First keep units that are already at a wanted location, then send the rest where wanted.
  const left = new Map(sorted.flatMap((g) => g.lines.map((l) => [l.foLineId, l.remaining] as const)));
  for (const g of sorted) {
    for (const l of g.lines) {
      const byLoc = want.get(l.lineItemId);
      const here = g.locationId ? (byLoc?.get(g.locationId) ?? 0) : 0;
      const keep = Math.min(here, left.get(l.foLineId)!);
      if (keep > 0) {
        byLoc!.set(g.locationId!, here - keep);
        left.set(l.foLineId, left.get(l.foLineId)! - keep);
      }
    }
  }
  const ops: FoOp[] = [];
  for (const g of sorted) {
    const moves = new Map<string, FoUnits>();
    for (const l of g.lines) {
      const byLoc = want.get(l.lineItemId);
      if (!byLoc) continue;
      for (const loc of [...byLoc.keys()].sort()) {
        const need = byLoc.get(loc)!;
        const give = Math.min(need, left.get(l.foLineId)!);
        if (give <= 0) continue;
        byLoc.set(loc, need - give);
        left.set(l.foLineId, left.get(l.foLineId)! - give);
        moves.set(loc, [...(moves.get(loc) ?? []), { foLineId: l.foLineId, quantity: give }]);
      }
    }
    const held: FoUnits = g.lines.filter((l) => left.get(l.foLineId)! > 0).map((l) => ({ foLineId: l.foLineId, quantity: left.get(l.foLineId)! }));
    const kept =
      g.lines.reduce((n, l) => n + l.remaining, 0) - [...moves.values()].flat().reduce((n, u) => n + u.quantity, 0) - held.reduce((n, u) => n + u.quantity, 0);
    const targets = [...moves.keys()].sort();
    targets.forEach((loc, i) => {
      // The last move takes the whole fulfilment order when nothing stays or waits behind it.
      const whole = i === targets.length - 1 && kept === 0 && held.length === 0;
      ops.push({ kind: "move", fulfillmentOrderId: g.id, toLocationId: loc, lines: whole ? "all" : moves.get(loc)! });
    });
    if (held.length) ops.push({ kind: "hold", fulfillmentOrderId: g.id, lines: kept === 0 ? "all" : held, reason: "INVENTORY_OUT_OF_STOCK" });
  }
  return { ok: true, ops };
}
