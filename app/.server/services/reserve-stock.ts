import { planReservation, type ReservationLine } from "~/domain/inventory/plan-reservation";
import { err } from "~/domain/shared/result";
import { releaseStock, reserveStock } from "../db/stock";

/** Reserves an order's lines (plan: same item summed, fixed order), all or nothing, once per key. */
export async function reserveLines(shop: string, key: string, reference: string | null, lines: readonly ReservationLine[], now: Date) {
  const plan = planReservation(lines);
  if (!plan.ok) return err(plan.error);
  return reserveStock(shop, key, reference, plan.value, now);
}

export async function releaseLines(shop: string, key: string, reference: string | null, lines: readonly ReservationLine[], now: Date) {
  const plan = planReservation(lines);
  if (!plan.ok) return err(plan.error);
  return releaseStock(shop, key, reference, plan.value, now);
}
