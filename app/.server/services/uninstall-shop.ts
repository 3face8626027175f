import { planUninstall } from "~/domain/shop/plan-uninstall";
import { deleteSessions, findShop, markUninstalled } from "../db/shops";
import { forgetAdminSession } from "../shopify/admin";

/** load → decide (pure) → persist. */
export async function uninstallShop(shop: string, triggeredAt: Date, now: Date) {
  const plan = planUninstall(await findShop(shop), triggeredAt, now);
  if (plan.kind === "ignore") return plan;
  await deleteSessions(shop);
  forgetAdminSession(shop);
  await markUninstalled(shop, plan.uninstalledAt);
  return plan;
}
