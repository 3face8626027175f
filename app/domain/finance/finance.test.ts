import { describe, expect, it } from "vitest";
import { capturePosting, refundPostings, type RefundFact } from "./postings";
import { postingsCsv, reconcile } from "./reconcile";

const at = new Date("2026-12-01T15:00:00Z");
const refund: RefundFact = {
  refundId: "gid://shopify/Refund/1",
  orderName: "#1001",
  currency: "USD",
  presentmentCurrency: "CAD",
  transactions: [{ id: "gid://shopify/OrderTransaction/9", gateway: "bogus", amountMinor: 1000n, presentmentMinor: 1350n }],
  shippingMinor: 200n,
  restockingFeeMinor: 100n,
  storeCreditMinor: 0n,
  at,
};

describe("postings", () => {
  it("a refund posts its transaction and its components, each under its own matching key, in shop and presentment currency", () => {
    const p = refundPostings(refund);
    expect(p.map((x) => [x.kind, x.matchKey, x.amountMinor, x.presentmentMinor])).toEqual([
      ["refund", "refund:gid://shopify/Refund/1:txn:gid://shopify/OrderTransaction/9", 1000n, 1350n],
      ["shipping_refund", "refund:gid://shopify/Refund/1:shipping_refund", 200n, 270n],
      ["restocking_fee", "refund:gid://shopify/Refund/1:restocking_fee", 100n, 135n],
    ]);
  });
});

describe("reconciliation", () => {
  const postings = refundPostings(refund);
  const known = {
    refundId: refund.refundId,
    orderName: "#1001",
    status: "succeeded",
    amountMinor: 1000n,
    currency: "USD",
    expected: postings,
    explainedBy: null,
  };
  it("a day where every refund is posted has no differences, and totals per day, gateway and currency", () => {
    const r = reconcile("2026-12-01", "2026-12-01", [known], postings);
    expect(r.unexplained).toBe(0);
    expect(r.totals.find((t) => t.kind === "refund")).toMatchObject({
      day: "2026-12-01",
      gateway: "bogus",
      currency: "USD",
      amountMinor: 1000n,
      presentmentCurrency: "CAD",
      presentmentMinor: 1350n,
      count: 1,
    });
  });
  it("lists a refund with no posting and a posting with no refund; an explained one is not counted as unexplained", () => {
    const stray = {
      ...capturePosting({
        transactionId: "T",
        orderName: "#1",
        gateway: "g",
        amountMinor: 1n,
        currency: "USD",
        presentmentMinor: 1n,
        presentmentCurrency: "USD",
        at,
      }),
      refundId: "gid://shopify/Refund/404",
      kind: "refund" as const,
    };
    const r = reconcile(
      "2026-12-01",
      "2026-12-01",
      [
        known,
        {
          ...known,
          refundId: "gid://shopify/Refund/2",
          expected: refundPostings({ ...refund, refundId: "gid://shopify/Refund/2" }),
          explainedBy: "refund_over_capture",
        },
      ],
      [...postings, stray],
    );
    expect(r.differences.map((d) => [d.kind, d.refundId])).toEqual([
      ["refund_without_posting", "gid://shopify/Refund/2"],
      ["posting_without_refund", "gid://shopify/Refund/404"],
    ]);
    expect(r.unexplained).toBe(1);
  });
});

describe("CSV", () => {
  it("quotes every field, defuses formulas, ends lines with CRLF and adds a totals row per kind and currency", () => {
    const csv = postingsCsv([
      ...refundPostings(refund),
      {
        ...capturePosting({
          transactionId: "T1",
          orderName: '=HYPERLINK("x")',
          gateway: "bogus",
          amountMinor: 12345n,
          currency: "USD",
          presentmentMinor: 12345n,
          presentmentCurrency: "USD",
          at,
        }),
      },
    ]);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      '"business_date","kind","order","gateway","shopify_refund_id","shopify_transaction_id","matching_key","amount","currency","presentment_amount","presentment_currency"',
    );
    expect(lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`))).toBe(true);
    expect(lines.filter((l) => l.startsWith('"TOTAL"'))).toContain('"TOTAL","capture","1 postings","","","","","123.45","USD","123.45","USD"');
    expect(lines.every((l) => l.split('","').length === 11)).toBe(true);
  });
});
