import { orderPromise } from "../../db/promise";

/** The order page's promise card: what the shopper was promised and what has happened since. */
export async function orderPromiseView(shop: string, orderId: string) {
  const p = await orderPromise(shop, orderId);
  if (!p) return null;
  const parcels = JSON.parse(p.parcels) as {
    location: string;
    kind: string;
    shipDate: string | null;
    windows: { method: string; earliest: string; latest: string }[];
  }[];
  const deliveredDay = p.deliveredAt?.toISOString().slice(0, 10) ?? null;
  return {
    promiseId: p.promiseId,
    verified: p.source === "verified",
    method: p.methodCode,
    carrier: p.carrier,
    zone: p.destinationZone,
    earliest: p.earliest,
    latest: p.latest,
    promisedAt: p.promisedAt.toISOString(),
    reason: p.reason,
    parcels: parcels.map((x) => ({
      location: x.location,
      kind: x.kind,
      shipDate: x.shipDate,
      window: x.windows.find((w) => w.method === p.methodCode) ?? x.windows[0] ?? null,
    })),
    firstShippedAt: p.firstShippedAt?.toISOString() ?? null,
    deliveredAt: p.deliveredAt?.toISOString() ?? null,
    atRisk: !!p.atRiskAt,
    outcome: deliveredDay ? (deliveredDay <= p.latest ? ("kept" as const) : ("missed" as const)) : ("open" as const),
  };
}

export type OrderPromiseView = NonNullable<Awaited<ReturnType<typeof orderPromiseView>>>;
