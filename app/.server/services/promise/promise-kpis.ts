import { promiseKpisOf, type PromiseKpis } from "~/domain/promise/kpis";
import { promisesBetween } from "../../db/promise";

/**
 * Promised vs actual for orders promised in [from, to): "promise kept %" and the distribution of
 * (delivery day − promised last day) by carrier and destination zone. A read model other features
 * (the KPI dashboard) call as is.
 */
export async function promiseKpis(shop: string, from: Date, to: Date): Promise<PromiseKpis> {
  const rows = await promisesBetween(shop, from, to);
  return promiseKpisOf(
    rows.map((r) => ({
      carrier: r.shipCarrier ?? r.carrier,
      zone: r.destinationZone,
      latest: r.latest,
      deliveredOn: r.deliveredAt?.toISOString().slice(0, 10) ?? null,
      atRisk: !!r.atRiskAt,
    })),
  );
}
