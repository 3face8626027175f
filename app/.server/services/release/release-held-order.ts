import { isPersonRule, RELEASED_BY_PERSON } from "~/domain/order/release-rules";
import { err, ok, type Result } from "~/domain/shared/result";
import type { Staff } from "~/domain/staff/actions";
import { groupsOf, moveForRelease, releaseHead } from "../../db/release";
import { enqueue } from "../../queue/queues";
import { liftShopifyHolds } from "./release-gate";

export type ReleaseError = { code: "NOT_FOUND" } | { code: "NOT_HELD_FOR_A_PERSON"; state: string; holdRule: string | null } | { code: "CHANGED_MEANWHILE" };

/**
 * A person releases an order a release rule held (high risk, address, value): it goes on to
 * sourcing, its Shopify holds are lifted, the exception is cleared, and the timeline says who did
 * it with the order's state and hold before and after. Those rules are not applied to it again;
 * payment and pre-order dates still are. Guarded on the hold it was shown with: a double click or a
 * second person releases once.
 */
export async function releaseHeldOrder(shop: string, orderId: string, staff: Staff, note: string, now: Date): Promise<Result<{ name: string }, ReleaseError>> {
  const o = await releaseHead(shop, orderId);
  if (!o) return err({ code: "NOT_FOUND" });
  if (o.state !== "on_hold" || !isPersonRule(o.holdRule)) return err({ code: "NOT_HELD_FOR_A_PERSON", state: o.state, holdRule: o.holdRule });
  const before = { state: o.state, holdRule: o.holdRule, holdReason: o.holdReason };
  const after = { state: "released", holdRule: RELEASED_BY_PERSON, holdReason: null };
  const moved = await moveForRelease(
    orderId,
    shop,
    { state: o.state, holdRule: o.holdRule },
    "released",
    { holdRule: RELEASED_BY_PERSON, holdReason: null, releaseAfter: null },
    [
      {
        kind: "transition",
        summary: `on_hold → released (RELEASE_HOLD by ${staff.actor}: ${note || "reviewed"}; was held for ${o.holdReason ?? o.holdRule})`,
        fromState: "on_hold",
        toState: "released",
        owner: "oms",
        dedupeKey: `release-by-person@${now.toISOString()}`,
        actor: staff.actor,
        source: "user",
      },
    ],
    { at: now, actor: staff.actor, source: "user", deliveryId: null },
    { clear: { kind: "release_hold", by: staff.actor, resolution: note || "released by a person" } },
    {
      at: now,
      actor: staff.actor,
      subject: "order-release",
      summary: `Released held order ${o.name}`,
      data: { action: "order.release", orderId, note, before, after },
    },
  );
  if (!moved) return err({ code: "CHANGED_MEANWHILE" });
  const groups = await groupsOf(orderId);
  await liftShopifyHolds(shop, orderId, groups);
  // Routed now (its earlier route job, if any, found it held and is done): a job of its own.
  await enqueue("routeOrder", { shop, orderId }, { jobId: `route-${shop}-${orderId}-released-${now.getTime()}` });
  return ok({ name: o.name });
}
