import { listDeadLetters } from "../db/dead-letters";
import { countDeliveries } from "../db/webhook-deliveries";

export async function loadShopOverview(shop: string) {
  const [total, rejected, deadLetters] = await Promise.all([
    countDeliveries({ shop }),
    countDeliveries({ shop, status: "rejected" }),
    listDeadLetters(20, shop),
  ]);
  return {
    deliveries: { total, rejected },
    deadLetters: deadLetters.map((d) => ({
      jobName: d.jobName,
      failedAt: d.failedAt.toISOString(),
      attempts: d.attempts,
      error: d.error,
    })),
  };
}
