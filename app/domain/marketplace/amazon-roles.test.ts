import { describe, expect, it } from "vitest";
import { amazonPiiView, includedDataFor, parseRoles, piiAccess } from "./amazon-roles";

describe("Amazon restricted roles", () => {
  it("maps roles to the PII they open and to the includedData the sync asks for", () => {
    expect(piiAccess([])).toEqual({ buyerName: false, buyerEmail: false, address: false });
    expect(piiAccess(["DIRECT_TO_CONSUMER_DELIVERY"])).toEqual({ buyerName: false, buyerEmail: true, address: true });
    expect(piiAccess(["TAX_REMITTANCE"])).toEqual({ buyerName: true, buyerEmail: false, address: false });
    expect(includedDataFor([])).not.toContain("BUYER");
    expect(includedDataFor(["TAX_INVOICING"])).toContain("BUYER");
    expect(parseRoles("TAX_INVOICING, BOGUS,DIRECT_TO_CONSUMER_DELIVERY")).toEqual(["DIRECT_TO_CONSUMER_DELIVERY", "TAX_INVOICING"]);
  });

  it("says why a field is hidden: the role, Amazon's Pending rule, Amazon-fulfilled, or not given", () => {
    const all = parseRoles("DIRECT_TO_CONSUMER_DELIVERY,TAX_INVOICING");
    const base = { status: "UNSHIPPED", fulfilledBy: "MERCHANT", buyerName: "B", buyerEmail: "e@x", address: "1 Road" };
    expect(amazonPiiView(base, all)).toEqual({ buyerName: { shown: "B" }, buyerEmail: { shown: "e@x" }, address: { shown: "1 Road" } });
    expect(amazonPiiView(base, []).address).toEqual({ hidden: "hidden — role Direct-to-Consumer Delivery (Restricted) not granted" });
    const pending = { ...base, status: "PENDING", buyerName: null, buyerEmail: null, address: null };
    expect(amazonPiiView(pending, all).buyerName).toEqual({ hidden: "hidden — Amazon gives it once the order is Unshipped" });
    expect(amazonPiiView(pending, []).buyerName).toEqual({ hidden: "hidden — role Tax Invoicing (Restricted) or Tax Remittance (Restricted) not granted" });
    expect(amazonPiiView({ ...pending, status: "SHIPPED", fulfilledBy: "AMAZON" }, all).address).toEqual({
      hidden: "hidden — Amazon gives it only for orders the merchant fulfils",
    });
    expect(amazonPiiView({ ...pending, status: "SHIPPED" }, all).address).toEqual({ hidden: "hidden — not given by Amazon" });
  });
});
