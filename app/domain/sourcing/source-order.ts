/**
 * The sourcing engine: which locations ship which units of an order, under a versioned rule set,
 * and a record of why. Pure: the shell loads locations, ATP and the destination's coordinates,
 * passes `now`, and persists the plan and its decision.
 *
 * The model (after Shopify's routing rules, HotWax's brokering and Salesforce's fewest-splits
 * search; see ../shared/research/oms-anchors.md):
 *  - filters first: eligibility (active, a shipping day ahead, ships online, serves the
 *    destination, has stock) and
 *    exclude rules, wherever they sit in the list;
 *  - then the ranking rules in the set's order, each breaking only the ties the previous left,
 *    the location id last; fewest_shipments ranks combinations (choose-locations.ts);
 *  - the split policy bounds the shipments, the backorder policy decides what happens to units
 *    no shipment carries.
 * Every unit is assigned, backordered, or held with the whole order.
 */
import { err, ok, type Result } from "../shared/result";
import { assign, shipmentOf } from "./assign";
import { nextShipDay } from "./calendar";
import { applyBackorderPolicy, shortfall } from "./backorder";
import { chooseLocations, type Choice } from "./choose-locations";
import { excludeRules, judgeLocation, type Elimination } from "./eligibility";
import { shapeOrder, type OrderShape } from "./order-shape";
import { compareCandidates, measure, rankingOrder, type Candidate } from "./ranking";
import { recordDecision, type Shipment } from "./record-decision";
import type { Assignment, SourcingLocation, SourcingPlan, SourcingRequest } from "./types";
import { validateRequest, type SourcingError } from "./validate-request";
import { fillStock, newWorkspace, type Workspace } from "./workspace";

/** A location without a calendar ships any day, today. */
const ALWAYS = { daysAhead: 0, date: null };

export function sourceOrder(req: SourcingRequest): Result<SourcingPlan, SourcingError> {
  const valid = validateRequest(req);
  if (!valid.ok) return err(valid.error);
  const { ruleSet, delivery, destination } = req;
  const order = shapeOrder(req.lines);
  const ranking = rankingOrder(ruleSet.rules);
  const excludes = excludeRules(ruleSet.rules);
  const pickup = delivery.method === "pickup";

  // Sorted by id first, so the caller's ordering of locations cannot change the outcome.
  const locations = sortedById(req.locations);
  // A pickup is one handover at one store: never split, whatever the policy says.
  const maxShipments = pickup || !ruleSet.split.allow ? 1 : ruleSet.split.maxShipments;
  const ws = newWorkspace(order, locations.length, Math.min(maxShipments, locations.length));
  const eliminated: { loc: SourcingLocation; elimination: Elimination }[] = [];
  const eligible: Candidate[] = [];
  fillStock(ws, order, locations);
  locations.forEach((loc, row) => {
    const ship = loc.calendar ? nextShipDay(loc.calendar, req.now) : ALWAYS;
    const verdict = judgeLocation(loc, row, order, ws, destination, delivery, excludes, ship ? ship.daysAhead : null);
    if (verdict.eliminatedBy) eliminated.push({ loc, elimination: verdict });
    else eligible.push(measure(loc, row, verdict.notes, order, ws, destination, pickup, ranking, ship!));
  });
  eligible.sort(compareCandidates);

  const banned: { cand: Candidate; valueMinor: number }[] = [];
  let pool = eligible;
  let alone: number[];
  let choice: Choice;
  let shipments: Shipment[];
  // The minimum value applies to split shipments: drop the least valuable one under it and choose
  // again without that location, until the plan is one shipment or every shipment is worth enough.
  for (;;) {
    alone = pool.map((_, j) => assign(order, ws, pool, [j], 1));
    choice = chooseLocations(order, ws, pool, alone, ranking.fewestAt, maxShipments);
    shipments = planned(order, ws, pool, choice);
    const low = shipments.filter((s) => s.valueMinor < ruleSet.split.minValuePerShipmentMinor);
    if (shipments.length <= 1 || low.length === 0) break;
    const drop = low.reduce((a, b) => (b.valueMinor < a.valueMinor || (b.valueMinor === a.valueMinor && b.index > a.index) ? b : a));
    banned.push({ cand: pool[drop.index]!, valueMinor: drop.valueMinor });
    pool = pool.filter((_, j) => j !== drop.index);
  }

  const assignments: Assignment[] = [];
  const assigned = order.qty.map(() => 0);
  for (let line = 0; line < order.nLines; line++) {
    for (const s of shipments) {
      const quantity = s.quantities[line]!;
      if (quantity === 0) continue;
      assignments.push({ lineId: req.lines[line]!.lineId, locationId: pool[s.index]!.loc.id, quantity });
      assigned[line]! += quantity;
    }
  }
  const result = applyBackorderPolicy(ruleSet.backorder, shortfall(order, ws, eligible, assigned), req.now, req.waitingSince);
  const decision = recordDecision({ req, order, ranking, pool, alone, banned, eliminated, choice, shipments, result });
  return ok({ assignments: result.hold ? [] : assignments, backorders: result.backorders, hold: result.hold, decision });
}

const sortedById = (locations: readonly SourcingLocation[]): readonly SourcingLocation[] => {
  for (let i = 1; i < locations.length; i++) {
    if (locations[i - 1]!.id > locations[i]!.id) return [...locations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return locations;
};

/** The shipments of a choice: its locations in rank order, without any that would carry nothing. */
function planned(order: OrderShape, ws: Workspace, pool: readonly Candidate[], choice: Choice): Shipment[] {
  const set = [...choice.set].sort((a, b) => a - b);
  assign(order, ws, pool, set, set.length);
  const out: Shipment[] = [];
  set.forEach((index, j) => {
    const { units, valueMinor } = shipmentOf(order, ws, j);
    if (units === 0) return;
    const quantities = ws.out.slice(j * order.nLines, (j + 1) * order.nLines);
    const lines = quantities.flatMap((quantity, line) => (quantity > 0 ? [{ lineId: order.lines[line]!.lineId, quantity }] : []));
    out.push({ index, units, valueMinor, lines, quantities });
  });
  return out;
}
