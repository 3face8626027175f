/**
 * Sourcing KPIs over a window of live routing decisions (one per order). A decision "allocated on
 * the first attempt" assigned every unit (outcome assigned or split) and Shopify took it as it was
 * (applied, or already where the engine wanted: unchanged). Rates are null when nothing was routed.
 */
export type LiveDecisionFigures = { orderId: string; outcome: string; applied: string; shipments: number; backordered: number };

export type SourcingKpis = {
  routed: number;
  firstAttemptRate: number | null;
  splitRate: number | null;
  /** Over decisions with a plan (an engine error has none). */
  shipmentsPerOrder: number | null;
  backorderRate: number | null;
  held: number;
  rejectedByShopify: number;
};

const rate = (n: number, of: number) => (of ? n / of : null);

export function sourcingKpis(decisions: readonly LiveDecisionFigures[]): SourcingKpis {
  // One live decision per order by design; should an order have two, the figures count each order once (its last row).
  const byOrder = [...new Map(decisions.map((d) => [d.orderId, d])).values()];
  const routed = byOrder.length;
  const count = (p: (d: LiveDecisionFigures) => boolean) => byOrder.filter(p).length;
  const planned = byOrder.filter((d) => d.outcome !== "error");
  return {
    routed,
    firstAttemptRate: rate(
      count((d) => (d.outcome === "assigned" || d.outcome === "split") && (d.applied === "applied" || d.applied === "unchanged")),
      routed,
    ),
    splitRate: rate(
      count((d) => d.outcome === "split"),
      routed,
    ),
    shipmentsPerOrder: rate(
      planned.reduce((n, d) => n + d.shipments, 0),
      planned.length,
    ),
    backorderRate: rate(
      count((d) => d.outcome === "backordered"),
      routed,
    ),
    held: count((d) => d.outcome === "held"),
    rejectedByShopify: count((d) => d.applied === "rejected"),
  };
}
