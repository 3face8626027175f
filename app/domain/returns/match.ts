// A parcel that arrived without an order reference: which orders could it be from? Each candidate
// is scored by independent pieces of evidence, every one explained in words a person can check.

export type Slip = { name?: string | null; email?: string | null; phone?: string | null; tracking?: string | null; rma?: string | null };
export type ParcelLine = { sku: string; quantity: number };

export type CandidateOrder = {
  orderId: string;
  orderName: string;
  placedAt: Date;
  email: string | null;
  customerName: string | null;
  phone: string | null;
  trackingNumbers: readonly string[];
  returnNames: readonly string[];
  /** Shipped units per SKU, and how many of them are already on a return. */
  lines: readonly { sku: string; shipped: number; returned: number }[];
};

export type Evidence = { points: number; why: string };
export type Candidate = { orderId: string; orderName: string; score: number; evidence: Evidence[] };

const norm = (s: string | null | undefined) => (s ?? "").trim().toLowerCase();
const digits = (s: string | null | undefined) => (s ?? "").replace(/\D/g, "");
const days = (from: Date, to: Date) => Math.floor((to.getTime() - from.getTime()) / 86_400_000);

export const MATCH_WINDOW_DAYS = 120;

export function scoreCandidate(parcel: { slip: Slip; lines: readonly ParcelLine[] }, order: CandidateOrder, now: Date): Candidate {
  const evidence: Evidence[] = [];
  const { slip } = parcel;
  if (norm(slip.rma) && order.returnNames.some((n) => norm(n) === norm(slip.rma)))
    evidence.push({ points: 100, why: `RMA ${slip.rma} is this order's return` });
  if (norm(slip.tracking) && order.trackingNumbers.some((t) => norm(t) === norm(slip.tracking)))
    evidence.push({ points: 60, why: `tracking ${slip.tracking} was this order's shipment` });
  if (norm(slip.email) && norm(slip.email) === norm(order.email)) evidence.push({ points: 40, why: "same email" });
  if (digits(slip.phone).length >= 7 && digits(slip.phone).slice(-9) === digits(order.phone).slice(-9)) evidence.push({ points: 25, why: "same phone" });
  if (norm(slip.name) && norm(slip.name) === norm(order.customerName)) evidence.push({ points: 20, why: "same name" });
  const age = days(order.placedAt, now);
  for (const pl of parcel.lines) {
    const line = order.lines.find((l) => norm(l.sku) === norm(pl.sku));
    if (!line) continue;
    const open = line.shipped - line.returned;
    if (open >= pl.quantity)
      evidence.push({
        points: 30,
        why: `bought ${line.shipped} of ${pl.sku} ${age} day${age === 1 ? "" : "s"} ago, ${line.returned === 0 ? "not yet returned" : `${line.returned} already returned`}`,
      });
    else if (open > 0) evidence.push({ points: 10, why: `bought ${line.shipped} of ${pl.sku} ${age} days ago, only ${open} not yet returned` });
    else evidence.push({ points: -20, why: `every ${pl.sku} of this order is already returned` });
  }
  const unknown = parcel.lines.filter((pl) => !order.lines.some((l) => norm(l.sku) === norm(pl.sku)));
  if (unknown.length) evidence.push({ points: -15 * unknown.length, why: `never bought ${unknown.map((u) => u.sku).join(", ")}` });
  return { orderId: order.orderId, orderName: order.orderName, score: evidence.reduce((n, e) => n + e.points, 0), evidence };
}

/** Best first; orders with no positive evidence are not candidates. */
export function rankCandidates(parcel: { slip: Slip; lines: readonly ParcelLine[] }, orders: readonly CandidateOrder[], now: Date, limit = 5): Candidate[] {
  return orders
    .map((o) => scoreCandidate(parcel, o, now))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.orderName.localeCompare(b.orderName))
    .slice(0, limit);
}

export const explain = (c: Candidate) =>
  c.evidence
    .filter((e) => e.points > 0)
    .map((e) => e.why)
    .join(", ");
