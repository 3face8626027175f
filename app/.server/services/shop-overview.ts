import { latestBackfill } from "../db/backfills";
import { listDeadLetters } from "../db/dead-letters";
import { countOrders } from "../db/order-queries";
import { countDeliveries } from "../db/webhook-deliveries";

export async function loadShopOverview(shop: string) {
  const [orders, total, rejected, failed, deadLetters, backfill] = await Promise.all([
    countOrders(shop),
    countDeliveries({ shop }),
    countDeliveries({ shop, status: "rejected" }),
    countDeliveries({ shop, status: "failed" }),
    listDeadLetters(20, shop),
    latestBackfill(shop),
  ]);
  return {
    orders,
    deliveries: { total, rejected, failed },
    backfill: backfill
      ? {
          status: backfill.status,
          imported: backfill.imported,
          startedAt: backfill.startedAt.toISOString(),
          finishedAt: backfill.finishedAt?.toISOString() ?? null,
          error: backfill.error,
        }
      : null,
    deadLetters: deadLetters.map((d) => ({
      jobName: d.jobName,
      failedAt: d.failedAt.toISOString(),
      attempts: d.attempts,
      error: d.error,
    })),
  };
}
