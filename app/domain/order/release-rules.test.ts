import { describe, expect, it } from "vitest";
import { DEFAULT_ORDER_POLICY } from "./policy";
import { releaseVerdict, type ReleaseFacts } from "./release-rules";

const now = new Date("2026-12-01T12:00:00Z");
const facts = (over: Partial<ReleaseFacts> = {}): ReleaseFacts => ({
  channel: "online_store",
  financialStatus: "paid",
  totalMinor: 5_000n,
  currency: "USD",
  risk: { level: "LOW", recommendation: "ACCEPT" },
  addressProblem: null,
  paymentTerms: null,
  scheduledUntil: null,
  pickup: false,
  fulfilledAtCounter: false,
  releasedByPerson: false,
  ...over,
});
const policy = { ...DEFAULT_ORDER_POLICY, maxValueMinor: 100_000n };

describe("release rules", () => {
  it("releases a paid, low-risk, valid order below the limit", () => {
    expect(releaseVerdict(facts(), policy, now)).toEqual({ kind: "release", orderKind: "shipping", reason: "payment paid" });
    expect(releaseVerdict(facts({ financialStatus: "authorized" }), policy, now)).toMatchObject({ kind: "release" });
  });
  it("holds for Shopify's high risk, a failing address, or a total above the limit — each for a person", () => {
    expect(releaseVerdict(facts({ risk: { level: "HIGH", recommendation: "CANCEL" } }), policy, now)).toMatchObject({
      kind: "hold",
      rule: "high_risk",
      reason: expect.stringContaining("high risk"),
    });
    expect(releaseVerdict(facts({ addressProblem: "ZIP code 78701 is in TX, not NY" }), policy, now)).toMatchObject({
      kind: "hold",
      rule: "address",
      reason: "address failed validation: ZIP code 78701 is in TX, not NY",
    });
    expect(releaseVerdict(facts({ totalMinor: 250_000n }), policy, now)).toMatchObject({
      kind: "hold",
      rule: "value",
      reason: "total 2500.00 USD is above the review limit 1000.00 USD",
    });
    // Several at once: all named, a person's rule first.
    expect(releaseVerdict(facts({ financialStatus: "pending", totalMinor: 250_000n }), policy, now)).toMatchObject({
      rule: "value",
      rules: ["payment", "value"],
    });
  });
  it("a rule the shop switched off does not hold; a person's release is not undone by the same rules", () => {
    expect(releaseVerdict(facts({ risk: { level: "HIGH", recommendation: "CANCEL" } }), { ...policy, holdHighRisk: false }, now).kind).toBe("release");
    expect(releaseVerdict(facts({ risk: { level: "HIGH", recommendation: "CANCEL" }, releasedByPerson: true }), policy, now).kind).toBe("release");
  });
  it("holds an unpaid order for payment; an order on payment terms follows the shop's terms rule", () => {
    expect(releaseVerdict(facts({ financialStatus: "pending" }), policy, now)).toMatchObject({ kind: "hold", rule: "payment", reason: "awaiting payment" });
    const terms = facts({ financialStatus: "pending", paymentTerms: { name: "Net 30", overdue: false } });
    expect(releaseVerdict(terms, policy, now)).toEqual({ kind: "release", orderKind: "payment_terms", reason: "payment terms Net 30" });
    expect(releaseVerdict(terms, { ...policy, paymentTermsRelease: "on_payment" }, now)).toMatchObject({
      kind: "hold",
      rule: "payment",
      orderKind: "payment_terms",
    });
    expect(releaseVerdict(facts({ financialStatus: "pending", paymentTerms: { name: "Net 30", overdue: true } }), policy, now)).toMatchObject({
      kind: "hold",
      rule: "payment",
      reason: "payment terms Net 30 overdue",
    });
  });
  it("a pre-order waits for its fulfilment date; a POS counter sale is only recorded; a pickup skips the address check", () => {
    const until = new Date("2027-01-15T00:00:00Z");
    expect(releaseVerdict(facts({ scheduledUntil: until }), policy, now)).toMatchObject({ kind: "hold", rule: "pre_order", orderKind: "pre_order", until });
    expect(releaseVerdict(facts({ scheduledUntil: until }), policy, new Date("2027-01-15T00:00:01Z"))).toMatchObject({
      kind: "release",
      orderKind: "pre_order",
    });
    expect(releaseVerdict(facts({ channel: "pos", fulfilledAtCounter: true }), policy, now)).toEqual({ kind: "counter", orderKind: "pos" });
    expect(releaseVerdict(facts({ pickup: true, addressProblem: "no ZIP" }), policy, now)).toMatchObject({ kind: "release", orderKind: "pickup" });
  });
});
