import type { DeliveryPromise } from "~/domain/promise/types";

/** The promise as the checkout, the carrier-rate callback and the product page read it (JSON). */
export type PromiseView = {
  id: string;
  at: string;
  zone: string;
  confidence: DeliveryPromise["confidence"];
  reason: string;
  /** Per method, when the whole order has arrived; empty = no honest date. */
  windows: { method: string; name: string; carrier: string; earliest: string; latest: string }[];
  parcels: {
    location: string;
    kind: "stock" | "restock";
    shipDate: string | null;
    cutoffAt: string | null;
    lines: { variantId: string; quantity: number }[];
    windows: { method: string; earliest: string; latest: string }[];
  }[];
  undated: { variantId: string; quantity: number }[];
};

export function promiseView(id: string, p: DeliveryPromise, cartLines: readonly { variantId: string }[]): PromiseView {
  const variantOf = (lineId: string) => cartLines[Number(lineId.slice("cart-".length))]?.variantId ?? lineId;
  return {
    id,
    at: p.at.toISOString(),
    zone: p.destinationZone,
    confidence: p.confidence,
    reason: p.reason,
    windows: p.windows.map((w) => ({ method: w.methodCode, name: w.methodName, carrier: w.carrier, earliest: w.earliest, latest: w.latest })),
    parcels: p.shipments.map((s) => ({
      location: s.locationName,
      kind: s.kind,
      shipDate: s.shipDate,
      cutoffAt: s.cutoffAt?.toISOString() ?? null,
      lines: s.lines.map((l) => ({ variantId: variantOf(l.lineId), quantity: l.quantity })),
      windows: s.windows.map((w) => ({ method: w.methodCode, earliest: w.earliest, latest: w.latest })),
    })),
    undated: p.undated.map((u) => ({ variantId: variantOf(u.lineId), quantity: u.quantity })),
  };
}
