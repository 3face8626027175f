import type { BackorderOutcome } from "./backorder";
import type { Choice } from "./choose-locations";
import { compareCandidates, sameTier, type Candidate, type RankingOrder } from "./ranking";
import type { OrderShape } from "./order-shape";
import type { Elimination } from "./eligibility";
import type { Backorder, CandidateRecord, Decision, RankingRuleType, ShipmentRecord, SourcingLocation, SourcingRequest } from "./types";

/** index: in the pool; quantities: per line of the order. */
export type Shipment = { index: number; units: number; valueMinor: number; lines: { lineId: string; quantity: number }[]; quantities: number[] };

export type Outcome = {
  req: SourcingRequest;
  order: OrderShape;
  ranking: RankingOrder;
  /** Eligible locations still in play, ranked best first. */
  pool: readonly Candidate[];
  /** Units each pool location could ship on its own. */
  alone: readonly number[];
  banned: readonly { cand: Candidate; valueMinor: number }[];
  eliminated: readonly { loc: SourcingLocation; elimination: Elimination }[];
  choice: Choice;
  shipments: readonly Shipment[];
  result: BackorderOutcome;
};

const PHRASE: Record<ShipmentRecord["decidedBy"], string> = {
  priority: "highest-ranked eligible location",
  distance: "closest eligible location",
  cost: "cheapest eligible location",
  capacity: "eligible location with capacity left today",
  inventory_balance: "eligible location with the most stock left after the order",
  ship_date: "eligible location that ships soonest",
  fewest_shipments: "part of the fewest shipments that carry the order",
  location_id: "first by location id among locations tied on every rule",
  only_candidate: "the only eligible location",
  most_units: "the eligible location that can ship the most",
};

const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;

function show(rule: RankingRuleType, c: Candidate): string {
  switch (rule) {
    case "priority":
      return `rank ${c.loc.priority}`;
    case "distance":
      return `${Math.round(c.km)} km`;
    case "cost":
      return `cost ${c.costMinor}`;
    case "capacity":
      return c.loc.dailyCapacity === null ? "no daily limit" : `${c.loc.ordersToday}/${c.loc.dailyCapacity} orders today`;
    case "inventory_balance":
      return `${units(c.leftAfter)} left after`;
    case "ship_date":
      return c.shipDate === null ? "ships any day" : c.daysToShip === 0 ? `ships today (${c.shipDate})` : `ships ${c.shipDate}`;
    case "fewest_shipments":
      return "";
  }
}

function scoresOf(o: Outcome, c: Candidate, alone: number): CandidateRecord["scores"] {
  const scores: CandidateRecord["scores"] = {};
  for (const rule of o.ranking.rules) {
    if (rule === "fewest_shipments") scores[rule] = alone;
    else if (rule === "distance") scores[rule] = Math.round(c.km * 10) / 10;
    else if (rule === "inventory_balance") scores[rule] = c.leftAfter;
    else if (rule === "ship_date") scores[rule] = c.daysToShip;
    else scores[rule] = rule === "priority" ? c.loc.priority : rule === "cost" ? c.costMinor : c.atCapacity ? 1 : 0;
  }
  return scores;
}

/** Why the winner of a one-shipment plan beat the next best location that could have shipped as much. */
function decideSingle(o: Outcome, w: number): { decidedBy: ShipmentRecord["decidedBy"]; detail: string } {
  const first = o.ranking.keyRules[0];
  const own = first ? show(first, o.pool[w]!) : "";
  const rivals = o.pool.map((_, j) => j).filter((j) => j !== w && o.alone[j]! >= o.alone[w]!);
  if (rivals.length === 0) return { decidedBy: o.pool.length === 1 ? "only_candidate" : "most_units", detail: own };
  const r = rivals.reduce((a, b) => (compareCandidates(o.pool[a]!, o.pool[b]!) <= 0 ? a : b));
  const [W, R] = [o.pool[w]!, o.pool[r]!];
  const at = W.keys.findIndex((k, x) => k !== R.keys[x]);
  if (at < 0 || W.keys[at]! > R.keys[at]!) return { decidedBy: "location_id", detail: `${own ? `${own}; ` : ""}next: ${R.loc.name}` };
  const rule = o.ranking.keyRules[at]!;
  return { decidedBy: rule, detail: `${show(rule, W)}; next: ${R.loc.name}, ${show(rule, R)}` };
}

function shipmentRecords(o: Outcome): { records: ShipmentRecord[]; sentences: string[] } {
  const total = o.order.totalUnits;
  const records: ShipmentRecord[] = [];
  const sentences: string[] = [];
  const many = o.shipments.length > 1;
  o.shipments.forEach((s, n) => {
    const c = o.pool[s.index]!;
    const all = s.units === total ? (total === 1 ? "the 1 unit" : `all ${total} units`) : `${s.units} of ${units(total)}`;
    if (!many) {
      const { decidedBy, detail } = decideSingle(o, s.index);
      records.push({ locationId: c.loc.id, lines: s.lines, units: s.units, valueMinor: s.valueMinor, decidedBy });
      sentences.push(`${c.loc.name}: ${PHRASE[decidedBy]} with ${all}${detail ? ` (${detail})` : ""}`);
      return;
    }
    const tierWide = o.ranking.fewestAt !== null && o.pool.some((d, j) => j !== s.index && sameTier(c, d, o.ranking.fewestAt!));
    const decidedBy = tierWide ? "fewest_shipments" : (o.ranking.keyRules[0] ?? "location_id");
    const what = s.lines.map((l) => `${o.order.lines.find((x) => x.lineId === l.lineId)!.sku} ×${l.quantity}`).join(", ");
    const first = o.ranking.keyRules[0];
    records.push({ locationId: c.loc.id, lines: s.lines, units: s.units, valueMinor: s.valueMinor, decidedBy });
    sentences.push(
      `Shipment ${n + 1} of ${o.shipments.length} — ${c.loc.name}: ${all} (${what}); ranked #${s.index + 1} of ${o.pool.length} eligible${first ? `, ${show(first, c)}` : ""}`,
    );
  });
  return { records, sentences };
}

function candidateRecords(o: Outcome): CandidateRecord[] {
  const shipping = new Map(o.shipments.map((s, n) => [s.index, { s, n }]));
  const eligible = o.pool.map((c, j): CandidateRecord => {
    const ship = shipping.get(j);
    const base = ship
      ? `ships ${units(ship.s.units)} (shipment ${ship.n + 1})`
      : `eligible, not used: could ship ${o.alone[j]} of ${units(o.order.totalUnits)} alone`;
    return {
      locationId: c.loc.id,
      eliminatedBy: null,
      reason: c.notes.length ? [base, ...c.notes].join("; ") : base,
      rank: j + 1,
      scores: scoresOf(o, c, o.alone[j]!),
    };
  });
  const banned = o.banned.map(({ cand, valueMinor }): CandidateRecord => ({
    locationId: cand.loc.id,
    eliminatedBy: "split",
    reason: `its shipment would be worth ${valueMinor}, under the minimum of ${o.req.ruleSet.split.minValuePerShipmentMinor} for a split shipment`,
    rank: null,
    scores: scoresOf(o, cand, 0),
  }));
  const filtered = o.eliminated.map(({ loc, elimination }): CandidateRecord => ({
    locationId: loc.id,
    eliminatedBy: elimination.eliminatedBy,
    reason: elimination.reason,
    rank: null,
    scores: {},
  }));
  return [...eligible, ...banned, ...filtered];
}

function describeShort(o: Outcome, short: readonly Backorder[]): string {
  return short.map((b) => `${o.order.lines.find((l) => l.lineId === b.lineId)!.sku} ×${b.quantity}: ${b.reason.toLowerCase().replace(/_/g, " ")}`).join(", ");
}

/** A decision's explanation as one paragraph (a timeline entry): each line a sentence of its own. */
export function explanationText(explanation: readonly string[]): string {
  return explanation.map((s) => (/[.!?]$/.test(s) ? s : `${s}.`)).join(" ");
}

export function recordDecision(o: Outcome): Decision {
  const { req, result } = o;
  const codes: string[] = [];
  const code = (c: string) => void (codes.includes(c) || codes.push(c));
  const explanation: string[] = [];
  const pickup = req.delivery.method === "pickup";

  if (req.delivery.method === "pickup") {
    const storeId = req.delivery.pickupLocationId;
    code("PICKUP");
    explanation.push(`Pickup order: it can only go to the customer's store, ${req.locations.find((l) => l.id === storeId)!.name}`);
  } else if (req.destination.latitude === null || req.destination.longitude === null) {
    code("DESTINATION_UNLOCATED");
    explanation.push("The destination has no coordinates: every location counts as equally far (0 km) and costs carry no distance part");
  }
  for (const e of o.eliminated) code(`ELIMINATED_${e.elimination.code}`);
  const notEligible = o.eliminated.filter((e) => !(pickup && e.elimination.code === "NOT_PICKUP_LOCATION"));
  if (notEligible.length) explanation.push(`Not eligible: ${notEligible.map((e) => `${e.loc.name} (${e.elimination.reason})`).join("; ")}`);
  if (o.pool.some((c) => c.notes.length)) code("EXCLUDED_LINES");
  for (const b of o.banned) {
    code("MIN_SHIPMENT_VALUE");
    explanation.push(
      `${b.cand.loc.name} left out: its shipment would be worth ${b.valueMinor}, under the minimum of ${req.ruleSet.split.minValuePerShipmentMinor} for a split shipment`,
    );
  }

  code(`SEARCH_${o.choice.search.toUpperCase()}`);
  const { records, sentences } = shipmentRecords(o);
  if (records.length > 1) {
    code("SPLIT_SHIPMENT");
    const whole = o.alone.some((a) => a === o.order.totalUnits);
    const how =
      o.choice.search === "ranked"
        ? "locations filled in rank order"
        : `fewest_shipments, ${o.choice.search} search over ${o.choice.combinations} combinations`;
    explanation.push(`Split into ${records.length} shipments (${how})${whole ? "" : `: no eligible location can ship all ${units(o.order.totalUnits)} alone`}`);
  } else if (records.length === 1) {
    code("SINGLE_SHIPMENT");
    code(`DECIDED_BY_${records[0]!.decidedBy.toUpperCase()}`);
  } else {
    code("NO_SHIPMENT");
  }
  explanation.push(...sentences);
  for (const s of o.shipments) {
    if (o.pool[s.index]!.atCapacity) code("AT_CAPACITY_USED");
    if (o.pool[s.index]!.loc.kind === "dropship") code("DROPSHIP");
  }

  if (result.hold) {
    code(result.hold.reason === "OUT_OF_STOCK" ? "HELD_OUT_OF_STOCK" : "HELD_AWAITING_STOCK");
    const until = result.hold.until ? ` until ${result.hold.until.toISOString()}` : "";
    explanation.push(`Order held${until} (backorder policy ${req.ruleSet.backorder.mode}); short: ${describeShort(o, result.hold.short)}`);
  } else if (result.backorders.length) {
    code("BACKORDERED");
    if (result.waitExpired) code("WAIT_EXPIRED");
    explanation.push(
      `${result.waitExpired ? "Waited the policy's days; " : ""}backordered: ${describeShort(o, result.backorders)}${records.length ? "; the rest ships" : ""}`,
    );
  }

  return {
    ruleSetId: req.ruleSet.id,
    version: req.ruleSet.version,
    at: req.now,
    search: o.choice.search,
    candidates: candidateRecords(o),
    shipments: records,
    reasonCodes: codes,
    explanation,
  };
}
