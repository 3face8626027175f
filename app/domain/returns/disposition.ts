// Receiving a returned line: each unit gets a disposition. The OMS's four map onto Shopify's
// returnProcess dispositions and, for units kept but not sellable, onto an inventory state.

export const DISPOSITIONS = ["restock", "damaged", "quality_control", "missing"] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** Shopify's ReverseFulfillmentOrderDispositionType for each. */
export const SHOPIFY_DISPOSITION = {
  restock: "RESTOCKED",
  damaged: "NOT_RESTOCKED",
  quality_control: "PROCESSING_REQUIRED",
  missing: "MISSING",
} as const satisfies Record<Disposition, string>;

/** The Shopify inventory state a kept-but-unsellable unit lands in (on hand, not available). */
export const INVENTORY_STATE: Partial<Record<Disposition, "damaged" | "quality_control">> = { damaged: "damaged", quality_control: "quality_control" };

export type LineCounts = { quantity: number; restocked: number; damaged: number; qualityControl: number; missing: number };
export type Receipt = Partial<Record<Disposition, number>>;

export const receivedOf = (l: LineCounts) => l.restocked + l.damaged + l.qualityControl + l.missing;
export const outstandingOf = (l: LineCounts) => l.quantity - receivedOf(l);

export type ReceiptError = { code: "NOTHING_RECEIVED" } | { code: "NEGATIVE" } | { code: "MORE_THAN_OUTSTANDING"; outstanding: number; received: number };

/** A receipt for one line must be non-negative and within what is still expected. */
export function checkReceipt(line: LineCounts, receipt: Receipt): ReceiptError | null {
  const values = DISPOSITIONS.map((d) => receipt[d] ?? 0);
  if (values.some((v) => v < 0 || !Number.isInteger(v))) return { code: "NEGATIVE" };
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return { code: "NOTHING_RECEIVED" };
  if (total > outstandingOf(line)) return { code: "MORE_THAN_OUTSTANDING", outstanding: outstandingOf(line), received: total };
  return null;
}

export function applyReceipt<T extends LineCounts>(line: T, receipt: Receipt): T {
  return {
    ...line,
    restocked: line.restocked + (receipt.restock ?? 0),
    damaged: line.damaged + (receipt.damaged ?? 0),
    qualityControl: line.qualityControl + (receipt.quality_control ?? 0),
    missing: line.missing + (receipt.missing ?? 0),
  };
}

/** A "bulk receive" of whole returns: every outstanding unit restocked. */
export const restockAll = (line: LineCounts): Receipt => ({ restock: outstandingOf(line) });
