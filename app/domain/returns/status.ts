// A return's states as the Returns page shows them, and what each allows.
// matching: a parcel being attached to the order a person chose (a short claim, see parcels.ts).
export const RETURN_STATUSES = ["requested", "declined", "in_transit", "received", "awaiting_match", "matching", "closed", "cancelled"] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];

/** The Returns page's tabs. */
export const RETURN_TABS = ["requested", "in_transit", "received", "awaiting_match", "closed"] as const;
export type ReturnTab = (typeof RETURN_TABS)[number];

export const tabOf = (s: ReturnStatus): ReturnTab => (s === "declined" || s === "cancelled" ? "closed" : s === "matching" ? "awaiting_match" : s);

export const canApprove = (s: ReturnStatus) => s === "requested";
export const canReceive = (s: ReturnStatus) => s === "in_transit" || s === "received";

export type ExchangePolicy = "on_request" | "on_receipt";

/** Shopify's ReturnDeclineReason values. */
export const DECLINE_REASONS = ["RETURN_PERIOD_ENDED", "FINAL_SALE", "OTHER"] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];
