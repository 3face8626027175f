/**
 * Amazon's restricted roles and the personal data (PII) they open in Orders API v2026-01-01.
 *
 * What is real (Amazon's "Access Orders PII" and "Get order information" guides; the models in
 * dev/contracts/amazon say nothing about roles): v2026-01-01 needs no Restricted Data Token — PII
 * comes back from searchOrders/getOrder with `includedData` BUYER / RECIPIENT when the developer app
 * holds the role, and only for merchant-fulfilled orders in UNSHIPPED, PARTIALLY_SHIPPED or SHIPPED.
 *   - Direct-to-Consumer Delivery (Restricted): the shipping address (recipient.deliveryAddress name,
 *     address lines, postal code, phone) and buyer.buyerEmail;
 *   - Tax Invoicing (Restricted) or Tax Remittance (Restricted): buyer information (buyer.buyerName).
 * The model's Buyer and Recipient attributes are all optional and the model has no error for a
 * missing role: without the role the attributes are absent (city, state/region, country code and
 * address type are not PII and come back with any Orders role). Pure.
 */
export const AMAZON_PII_ROLES = ["DIRECT_TO_CONSUMER_DELIVERY", "TAX_INVOICING", "TAX_REMITTANCE"] as const;
export type AmazonPiiRole = (typeof AMAZON_PII_ROLES)[number];

export const AMAZON_ROLE_LABEL: Record<AmazonPiiRole, string> = {
  DIRECT_TO_CONSUMER_DELIVERY: "Direct-to-Consumer Delivery (Restricted)",
  TAX_INVOICING: "Tax Invoicing (Restricted)",
  TAX_REMITTANCE: "Tax Remittance (Restricted)",
};

const KNOWN = new Set<string>(AMAZON_PII_ROLES);
export const isAmazonRole = (r: string): r is AmazonPiiRole => KNOWN.has(r);

/** The roles stored on an account ("A,B"), unknown names dropped, in a stable order. */
export function parseRoles(stored: string | readonly string[]): AmazonPiiRole[] {
  const given = new Set(typeof stored === "string" ? stored.split(",").map((s) => s.trim()) : stored);
  return AMAZON_PII_ROLES.filter((r) => given.has(r));
}

export type PiiAccess = { buyerName: boolean; buyerEmail: boolean; address: boolean };

export function piiAccess(roles: readonly AmazonPiiRole[]): PiiAccess {
  const has = (r: AmazonPiiRole) => roles.includes(r);
  return {
    buyerName: has("TAX_INVOICING") || has("TAX_REMITTANCE"),
    buyerEmail: has("DIRECT_TO_CONSUMER_DELIVERY"),
    address: has("DIRECT_TO_CONSUMER_DELIVERY"),
  };
}

/** The role to name when a piece of PII is hidden. */
export const ROLE_FOR: Record<keyof PiiAccess, string> = {
  buyerName: `${AMAZON_ROLE_LABEL.TAX_INVOICING} or ${AMAZON_ROLE_LABEL.TAX_REMITTANCE}`,
  buyerEmail: AMAZON_ROLE_LABEL.DIRECT_TO_CONSUMER_DELIVERY,
  address: AMAZON_ROLE_LABEL.DIRECT_TO_CONSUMER_DELIVERY,
};

const BASE_DATA = ["PROCEEDS", "FULFILLMENT", "CANCELLATION", "PACKAGES"] as const;

/**
 * The includedData the sync asks for: BUYER only with a role that opens a buyer attribute (without
 * one the dataset has nothing the OMS uses); RECIPIENT always (its non-PII part — city, region,
 * country — needs no restricted role and places the order; its PII only with Direct-to-Consumer Delivery).
 */
export function includedDataFor(roles: readonly AmazonPiiRole[]): string[] {
  const a = piiAccess(roles);
  return [...(a.buyerName || a.buyerEmail ? ["BUYER"] : []), "RECIPIENT", ...BASE_DATA];
}

/** Amazon gives PII only for merchant-fulfilled orders once payment is authorised. */
export const PII_STATUSES = new Set(["UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED"]);

export type PiiField<T> = { shown: T } | { hidden: string };

/**
 * What the order page may show of an Amazon order's buyer and address: the values when the role is
 * granted (and Amazon gave them), else why they are hidden.
 */
export function amazonPiiView(
  o: { status: string; fulfilledBy: string; buyerName: string | null; buyerEmail: string | null; address: string | null },
  roles: readonly AmazonPiiRole[],
): { buyerName: PiiField<string>; buyerEmail: PiiField<string>; address: PiiField<string> } {
  const a = piiAccess(roles);
  const notYet =
    o.fulfilledBy !== "MERCHANT"
      ? "hidden — Amazon gives it only for orders the merchant fulfils"
      : !PII_STATUSES.has(o.status)
        ? "hidden — Amazon gives it once the order is Unshipped"
        : null;
  const field = (k: keyof PiiAccess, v: string | null): PiiField<string> => {
    if (!a[k]) return { hidden: `hidden — role ${ROLE_FOR[k]} not granted` };
    if (v) return { shown: v };
    return { hidden: notYet ?? "hidden — not given by Amazon" };
  };
  return { buyerName: field("buyerName", o.buyerName), buyerEmail: field("buyerEmail", o.buyerEmail), address: field("address", o.address) };
}
