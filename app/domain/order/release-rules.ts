import { formatMoney } from "../shared/money";
import type { OrderPolicy } from "./policy";
import type { Channel } from "./snapshot";

// When an order may go to fulfilment. Every kind of Shopify order passes through here once its
// facts are read (payment, Shopify's risk assessment, the address check, payment terms, pre-order
// dates): it is released, held for a rule, or — a POS sale fulfilled at the counter — only recorded.

/** Why an order is held: automatic rules clear by themselves (payment arrives, the date comes); the others wait for a person. */
export type HoldRule = "payment" | "pre_order" | "high_risk" | "address" | "value";
export const PERSON_RULES: readonly HoldRule[] = ["high_risk", "address", "value"];
export const isPersonRule = (r: string | null): boolean => r !== null && (PERSON_RULES as readonly string[]).includes(r);

/** holdRule stored after a person released an order held by a person rule: those rules are not applied again. */
export const RELEASED_BY_PERSON = "released_by_person";

export type OrderKind = "shipping" | "pos" | "pickup" | "pre_order" | "payment_terms";

export type RiskLevel = "HIGH" | "MEDIUM" | "LOW" | "NONE" | "PENDING";

export type ReleaseFacts = {
  channel: Channel;
  /** Shopify's financial status, lower case (paid, authorized, pending, partially_paid, …). */
  financialStatus: string | null;
  totalMinor: bigint;
  currency: string;
  /** Shopify's risk assessment, or null when the order has none (yet). */
  risk: { level: RiskLevel; recommendation: string } | null;
  /** Why the shipping address failed validation, or null when it passed (or there is none to check). */
  addressProblem: string | null;
  paymentTerms: { name: string; overdue: boolean } | null;
  /** Fulfilment orders SCHEDULED for a later date (selling plans): the latest such date. */
  scheduledUntil: Date | null;
  pickup: boolean;
  /** Every fulfilment order is closed and the channel says fulfilled (a POS counter sale). */
  fulfilledAtCounter: boolean;
  /** The order was released by a person from a person rule before. */
  releasedByPerson: boolean;
};

export type ReleaseVerdict =
  | { kind: "counter"; orderKind: OrderKind }
  | { kind: "release"; orderKind: OrderKind; reason: string }
  | { kind: "hold"; orderKind: OrderKind; rule: HoldRule; rules: HoldRule[]; reason: string; until: Date | null };

const PAID = new Set(["paid", "authorized", "partially_paid"]);

export function orderKindOf(f: Pick<ReleaseFacts, "channel" | "pickup" | "scheduledUntil" | "paymentTerms">): OrderKind {
  if (f.channel === "pos") return "pos";
  if (f.pickup) return "pickup";
  if (f.scheduledUntil) return "pre_order";
  if (f.paymentTerms) return "payment_terms";
  return "shipping";
}

/** The release decision for an order's facts under the shop's policy, at `now`. */
export function releaseVerdict(
  f: ReleaseFacts,
  policy: Pick<OrderPolicy, "holdHighRisk" | "validateAddress" | "maxValueMinor" | "paymentTermsRelease">,
  now: Date,
): ReleaseVerdict {
  const orderKind = orderKindOf(f);
  if (f.channel === "pos" && f.fulfilledAtCounter) return { kind: "counter", orderKind };
  const holds: { rule: HoldRule; reason: string; until?: Date }[] = [];

  const paid = f.financialStatus !== null && PAID.has(f.financialStatus);
  if (f.paymentTerms) {
    if (f.paymentTerms.overdue && !paid) holds.push({ rule: "payment", reason: `payment terms ${f.paymentTerms.name} overdue` });
    else if (policy.paymentTermsRelease === "on_payment" && !paid)
      holds.push({ rule: "payment", reason: `awaiting payment (terms ${f.paymentTerms.name}; this shop releases orders on terms once paid)` });
  } else if (!paid) {
    holds.push({ rule: "payment", reason: "awaiting payment" });
  }

  if (!f.releasedByPerson) {
    if (policy.holdHighRisk && f.risk && (f.risk.level === "HIGH" || f.risk.recommendation === "CANCEL"))
      holds.push({ rule: "high_risk", reason: `Shopify rates the order high risk (recommendation: ${f.risk.recommendation.toLowerCase()})` });
    if (policy.validateAddress && !f.pickup && f.addressProblem) holds.push({ rule: "address", reason: `address failed validation: ${f.addressProblem}` });
    if (policy.maxValueMinor !== null && f.totalMinor > policy.maxValueMinor) {
      holds.push({
        rule: "value",
        reason: `total ${formatMoney({ amount: f.totalMinor, currency: f.currency })} ${f.currency} is above the review limit ${formatMoney({ amount: policy.maxValueMinor, currency: f.currency })} ${f.currency}`,
      });
    }
  }
  if (f.scheduledUntil && f.scheduledUntil > now)
    holds.push({ rule: "pre_order", reason: `pre-order: fulfilment starts ${f.scheduledUntil.toISOString().slice(0, 10)}`, until: f.scheduledUntil });

  if (!holds.length) {
    const why = f.paymentTerms && !paid ? `payment terms ${f.paymentTerms.name}` : `payment ${f.financialStatus}`;
    return { kind: "release", orderKind, reason: why };
  }
  // A person's rule outranks the automatic ones: it is what the order is waiting for first.
  const first = holds.find((h) => isPersonRule(h.rule)) ?? holds[0]!;
  return {
    kind: "hold",
    orderKind,
    rule: first.rule,
    rules: holds.map((h) => h.rule),
    reason: holds.map((h) => h.reason).join("; "),
    until: holds.find((h) => h.until)?.until ?? null,
  };
}
