import { replayFor, REPLAY_LABELS, type ReplayAction, type ReplayRefusal } from "~/domain/ops/replay";
import type { ExceptionKind } from "~/domain/exceptions/kinds";
import { auditQueue, findQueueItem } from "../../db/exception-queue";
import { findDeadLetter, removeDeadLetter } from "../../db/ops-signals";
import { findOrderById } from "../../db/order-queries";
import { findOrderHead, recordTimeline } from "../../db/orders";
import { enqueue } from "../../queue/queues";
import { rerunJob } from "../../queue/replay-job";
import { replayDelivery } from "../replay-delivery";

export type ReplayResult =
  { ok: true; action: ReplayAction; message: string } | { ok: false; refusal: ReplayRefusal | { code: "NOT_FOUND" | "FAILED"; explanation: string } };

/** What the queue page and the runbook show next to an item: the replay it carries, or why there is none. */
export function replayOf(item: { kind: string; subjectKey: string; orderId: string | null; data: string | null }) {
  const r = replayFor({
    kind: item.kind as ExceptionKind,
    subjectKey: item.subjectKey,
    orderId: item.orderId,
    data: item.data ? (JSON.parse(item.data) as Record<string, unknown>) : {},
  });
  return r.ok
    ? { available: true as const, label: REPLAY_LABELS[r.value.type] }
    : { available: false as const, code: r.error.code, explanation: r.error.explanation };
}

/**
 * Runs an item's safe replay and audits it. Every job it queues is keyed on the item and the time
 * it was raised, so a double click (or two colleagues) queue it once. The item is not resolved
 * here: its monitor clears it when the stuck state has gone.
 */
export async function replayException(shop: string, id: string, actor: string, now: Date): Promise<ReplayResult> {
  const item = await findQueueItem(shop, id);
  if (!item) return { ok: false, refusal: { code: "NOT_FOUND", explanation: "No such item in this shop's queue." } };
  const plan = replayFor({
    kind: item.kind as ExceptionKind,
    subjectKey: item.subjectKey,
    orderId: item.orderId,
    data: item.data ? (JSON.parse(item.data) as Record<string, unknown>) : {},
  });
  if (!plan.ok) return { ok: false, refusal: plan.error };
  const key = `replay-${item.id}-${item.raisedAt.getTime()}`;
  const outcome = await run(shop, plan.value, key, now);
  await auditQueue(shop, actor, now, `replay on ${item.kind} ${item.subjectKey}: ${outcome.message}`, { id: item.id, action: plan.value, ok: outcome.ok });
  return outcome.ok ? { ok: true, action: plan.value, message: outcome.message } : { ok: false, refusal: { code: "FAILED", explanation: outcome.message } };
}

async function shopifyIdOf(shop: string, orderId: string): Promise<string | null> {
  const o = await findOrderById(shop, orderId);
  return o && o.sourceId.startsWith("gid://shopify/Order/") ? o.sourceId : null;
}

async function run(shop: string, a: ReplayAction, key: string, now: Date): Promise<{ ok: boolean; message: string }> {
  switch (a.type) {
    case "route_order": {
      const gid = await shopifyIdOf(shop, a.orderId);
      if (gid) await enqueue("syncOrder", { shop, orderId: gid, reason: key, via: "exception replay", scope: "fulfilment" });
      // Routing is idempotent (an order already routed live is left as it is) and leased per order.
      await enqueue("routeOrder", { shop, orderId: a.orderId }, { jobId: `route-${shop}-${a.orderId}-${key}`, delayMs: gid ? 1_000 : 0 });
      return { ok: true, message: "Re-sync and routing queued." };
    }
    case "sync_order":
    case "import_order": {
      const gid = a.type === "import_order" ? a.shopifyOrderId : (a.shopifyOrderId ?? (a.orderId ? await shopifyIdOf(shop, a.orderId) : null));
      if (!gid) return { ok: false, message: "The order has no Shopify id to read it from." };
      await enqueue("syncOrder", { shop, orderId: gid, reason: key, via: "exception replay", scope: "order" });
      return { ok: true, message: a.type === "import_order" ? "Import from Shopify queued." : "Re-sync from Shopify queued." };
    }
    case "replay_delivery": {
      const r = await replayDelivery(shop, a.deliveryId);
      if (r.kind === "queued") return { ok: true, message: "Delivery replay queued." };
      return { ok: false, message: r.kind === "still-invalid" ? `Still invalid: ${r.reason}` : "That delivery no longer exists." };
    }
    case "rerun_job": {
      const dl = await findDeadLetter(shop, a.deadLetterId);
      if (!dl) return { ok: false, message: "The dead letter is gone (already re-run?)." };
      const r = await rerunJob(dl.queue, dl.jobName, dl.jobId, JSON.parse(dl.payload));
      if (r.kind === "retried" || r.kind === "queued") {
        await removeDeadLetter(dl.id);
        return { ok: true, message: `Job ${dl.jobName} ${r.kind === "retried" ? "retried" : "queued again"}.` };
      }
      return { ok: false, message: r.kind === "unknown-job" ? `No job named ${r.jobName} exists any more.` : `Its payload no longer validates: ${r.reason}` };
    }
    case "reconcile_inventory":
      await enqueue("inventoryReconcile", { shop, reason: key });
      return { ok: true, message: "Full inventory reconcile queued." };
    case "release_backorders":
      await enqueue("releaseBackorders", { shop, reason: key });
      return { ok: true, message: "Backorder release queued." };
    case "record_refund": {
      const head = await findOrderHead(shop, a.shopifyOrderId);
      if (!head) return { ok: false, message: "The OMS does not have this order: import it first (its payment item)." };
      const numeric = a.refundId.split("/").pop();
      await recordTimeline(
        head.id,
        shop,
        [
          {
            kind: "refund",
            summary: `Refund ${numeric} recorded from Shopify by replay (no money moved)`,
            fromState: null,
            toState: null,
            owner: "finance",
            dedupeKey: `refund:${numeric}`,
          },
        ],
        { at: now, actor: "oms:replay", source: "oms", deliveryId: null },
      );
      return { ok: true, message: "Refund recorded." };
    }
  }
}
