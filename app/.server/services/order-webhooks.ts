import { onShopifyFulfillment } from "./marketplace/amazon-shipments";
import {
  fulfillmentOrderIdOf,
  fulfillmentPayloadSchema,
  orderEditedSchema,
  fulfillmentOrderEventSchema,
  orderPayloadSchema,
  refundPayloadSchema,
  type OrderPayload,
} from "~/schemas/shopify-order-payloads";
import { riskAssessmentChangedSchema } from "~/schemas/webhook-payloads";
import { orderPolicy } from "../db/order-policy";
import { factsHeld, factsOf, STATUS_ONLY_TOPICS, type FoFact } from "~/domain/order/fulfillment-facts";
import { processDeliveryBatch, requestDeliveryBatch, requestNextDeliveryBatch, type BatchReport } from "./delivery-batches";
import { requestMoneySweep } from "./finance/money-sweep";
import { capturedStatus } from "~/domain/ops/monitors";
import { uniqueSkus } from "../shopify/order-sync";
import { createOrders, findGroupsBySourceIds, findOrderHead, recordTimeline, type Provenance } from "../db/orders";
import type { StoredDelivery } from "../db/webhook-deliveries";
import { enqueue, enqueueForWindow } from "../queue/queues";
import { snapshotFromOrderPayload } from "../shopify/order-snapshot";
import { intakeOrderSnapshot, type IntakeResult } from "./intake-order";
import { planIntake } from "~/domain/order/plan-intake";
import type { OrderSnapshot } from "~/domain/order/snapshot";
import type { OrderState } from "~/domain/order/lifecycle";
import { recordOrderPromise } from "./promise/order-promise";
import { markPromiseDelivered, markPromiseShipped } from "../db/promise";
import { syncOrderReservations } from "./order-stock";
import type { SyncScope } from "./sync-order";
import type { SyncOrderPayload } from "~/schemas/jobs";
import { parseJsonExact } from "~/schemas/json";
import { amazonOrderIdFromTags } from "~/domain/marketplace/amazon-order";

/** A retriable failure: the fact refers to an order the OMS has not received yet. */
export class OrderNotYetKnownError extends Error {
  override name = "OrderNotYetKnownError";
}

const orderGid = (id: number | string) => `gid://shopify/Order/${id}`;

/**
 * Webhooks about one order come in bursts (orders/create with order_routing_complete; a move with
 * its fulfillment_orders/moved): the re-reads they ask for are coalesced per order into windows of
 * this length (enqueueForWindow).
 */
const SYNC_WINDOW_MS = 250;
/** How long a status-only event about a fulfilment order the OMS does not know yet waits for its order's first sync. */
const FIRST_SYNC_GRACE_MS = 2_000;

async function enqueueOrderSync(shop: string, orderId: string, via: string, scope: SyncScope, lines?: { id: string; sku: string }[]) {
  // A whole-order read and a fulfilment-side read in one window are two jobs: neither hides the other.
  await enqueueForWindow("syncOrder", SYNC_WINDOW_MS, (window) => ({
    shop,
    orderId,
    reason: `${window}${scope === "fulfilment" ? "-f" : ""}`,
    via,
    scope,
    ...(lines ? { lines } : {}),
  }));
}

/**
 * A status-only event whose facts the OMS does not hold yet is looked at again after this long,
 * just before its read: an event caused by the OMS's own move is usually answered by the re-read
 * the move makes itself, and then needs no read of its own.
 */
const RECHECK_DELAY_MS = 1_000;

export async function handleOrderSnapshotWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const payload = orderPayloadSchema.parse(parseJsonExact(d.body));
  return takeInOrderSnapshot(d, payload, snapshotFromOrderPayload(payload), now);
}

export const requestOrderCreationBatch = (shop: string) => requestDeliveryBatch("orderCreations", shop);

/**
 * The order-creations job: a window's stored orders/create deliveries of a shop
 * (processDeliveryBatch: one read of them with the installation check, one statement marking them
 * processed). The window's new orders are created together (`createOrders`: one transaction, three
 * statements for all of them); an order held already, a second delivery of one order, and an
 * order the OMS created for an Amazon order are taken in one by one as `handleOrderSnapshotWebhook`
 * takes one. A delivery whose intake fails goes to a processWebhook job of its own, with that job's
 * retries and dead letter, so one bad order holds up neither the others of its window nor the
 * shop's later ones.
 */
export async function processOrderCreations(shop: string, now: Date): Promise<BatchReport> {
  return processDeliveryBatch(
    shop,
    ["orders/create"],
    now,
    (after) => requestNextDeliveryBatch("orderCreations", shop, after),
    (d) => orderPayloadSchema.parse(parseJsonExact(d.body)),
    async (parsed) => {
      const handedOff: string[] = [];
      const handOff = async (delivery: StoredDelivery, e: unknown) => {
        console.warn(`orders/create ${delivery.id} of ${shop}: intake failed in its batch, retried on its own:`, e instanceof Error ? e.message : e);
        await enqueue("processWebhook", { deliveryId: delivery.id, shop });
        handedOff.push(delivery.id);
      };
      const items: OrderCreation[] = [];
      for (const { delivery, value } of parsed) {
        try {
          items.push({ delivery, payload: value, snap: snapshotFromOrderPayload(value) });
        } catch (e) {
          await handOff(delivery, e);
        }
      }
      const created = await createNewOrders(shop, items, now);
      for (const { delivery, payload, snap } of items) {
        try {
          const mine = created.get(delivery.id);
          if (mine) await afterIntake(delivery, payload, snap, { outcome: "created", orderId: mine.orderId, state: mine.state, before: null }, now);
          else await takeInOrderSnapshot(delivery, payload, snap, now);
        } catch (e) {
          await handOff(delivery, e);
        }
      }
      return { handedOff };
    },
    // A window's new orders are taken in one after another: a backlog is split into batches this
    // size, which the shop's other jobs (other workers) take in alongside.
    ORDER_CREATIONS_PER_BATCH,
  );
}
const ORDER_CREATIONS_PER_BATCH = 50;

type OrderCreation = { delivery: StoredDelivery; payload: OrderPayload; snap: OrderSnapshot };

/** A Shopify order created by orders/create with its money captured: its captures await the money sweep. */
const moneyDueOnCreate = (d: StoredDelivery, snap: OrderSnapshot) =>
  d.topic === "orders/create" && snap.sourceId.startsWith("gid://shopify/Order/") && capturedStatus(snap.financialStatus);

/** orders/create names an order the OMS does not hold yet, as a rule; not one the OMS created for an Amazon order (it joins that order's record). */
const expectsNewOrder = (d: StoredDelivery, snap: OrderSnapshot) => d.topic === "orders/create" && amazonOrderIdFromTags(snap.tags) === null;

/**
 * The window's new orders in one write, by the delivery that created each. One that cannot be
 * written with the others (a row the database refuses) leaves them all to the one-by-one path,
 * where only the bad one fails.
 */
async function createNewOrders(shop: string, items: OrderCreation[], now: Date): Promise<Map<string, { orderId: string; state: OrderState }>> {
  const fresh = items.filter((i) => expectsNewOrder(i.delivery, i.snap));
  const plans = fresh.map((i) => {
    const plan = planIntake(null, i.snap, `webhook ${i.delivery.topic}`);
    if (plan.kind === "stale") throw new Error("unreachable: a snapshot of an order not held is never stale");
    return { ...i, plan };
  });
  let created: Map<string, string>;
  try {
    created = await createOrders(
      shop,
      plans.map((i) => ({ snap: i.snap, write: i.plan, provenance: intakeProvenance(i.delivery, now), moneyDue: moneyDueOnCreate(i.delivery, i.snap) })),
    );
  } catch (e) {
    console.warn(`orders/create of ${shop}: the window's orders could not be created together, taken in one by one:`, e instanceof Error ? e.message : e);
    return new Map();
  }
  const byDelivery = new Map<string, { orderId: string; state: OrderState }>();
  for (const i of plans) {
    const orderId = created.get(i.snap.sourceId);
    // The first delivery of an order created it (createOrders keeps the first snapshot of each).
    if (orderId) byDelivery.set(i.delivery.id, { orderId, state: i.plan.state });
    created.delete(i.snap.sourceId);
  }
  return byDelivery;
}

const intakeProvenance = (d: StoredDelivery, now: Date): Provenance => ({ at: now, actor: `shopify:webhook ${d.topic}`, source: "shopify", deliveryId: d.id });

async function takeInOrderSnapshot(d: StoredDelivery, payload: OrderPayload, snap: OrderSnapshot, now: Date): Promise<string> {
  // orders/create names an order the OMS does not hold yet (as a rule): it is created without a read
  // of its head first (held after all, a replay or a late create: the create leaves it out and the
  // intake re-plans from a read).
  const result = await intakeOrderSnapshot(d.shop, snap, `webhook ${d.topic}`, intakeProvenance(d, now), expectsNewOrder(d, snap) ? null : undefined, {
    moneyDue: moneyDueOnCreate(d, snap),
  });
  return afterIntake(d, payload, snap, result, now);
}

/** What follows an order's intake: its reservations (an update), its money, its promise, the read of its fulfilment orders. */
async function afterIntake(d: StoredDelivery, payload: OrderPayload, snap: OrderSnapshot, result: IntakeResult, now: Date): Promise<string> {
  // The head the intake's write was planned from: what the order was before this event.
  const before = result.before;
  // A cancellation releases what the order held (its groups are re-read by the sync that follows).
  // An order created just now has no groups and holds nothing: there is nothing to bring in line.
  if (result.outcome === "updated") await syncOrderReservations(d.shop, result.orderId, intakeProvenance(d, now));
  // Money moved (paid, captured, refunded): the finance ledger posts its captures once (finance/order-money.ts).
  // A new paid order's money is read with the other new paid orders of its shop, by the money sweep.
  const intake = result.outcome === "created" && d.topic === "orders/create";
  const moneyMoved = result.outcome !== "stale" && before?.financialStatus !== snap.financialStatus && capturedStatus(snap.financialStatus);
  if (intake && moneyDueOnCreate(d, snap)) await requestMoneySweep(d.shop);
  else if (moneyMoved && !intake) await enqueue("syncOrderMoney", { shop: d.shop, orderId: snap.sourceId, financialStatus: snap.financialStatus! });
  if (result.outcome !== "stale") {
    // The delivery promise the order was placed with (written once; a later event changes nothing).
    const attributes = payload.note_attributes.map((a) => ({ key: a.name, value: a.value === null ? "" : String(a.value) }));
    await recordOrderPromise(
      d.shop,
      result.orderId,
      attributes,
      snap.placedAt,
      payload.shipping_lines.map((s) => s.code ?? ""),
    );
  }
  if (intake) {
    // Fulfilment orders are created by Shopify's routing after the order; fetch them once now. When
    // each line has a SKU of its own, the read names their lines by it (a point a line less).
    const lines =
      snap.lines.length && snap.lines.length <= 250 && uniqueSkus(snap.lines) ? snap.lines.map((l) => ({ id: l.sourceLineId, sku: l.sku! })) : undefined;
    await enqueueOrderSync(d.shop, snap.sourceId, "order intake", "fulfilment", lines);
  } else if (result.outcome !== "stale") {
    // An order not released yet (received, or held for a rule) is read again for the release rules: payment may have come.
    // Its state as the intake just wrote it (under its guard), not read again.
    if (result.state === "received" || result.state === "on_hold") await enqueueOrderSync(d.shop, snap.sourceId, `webhook ${d.topic}`, "fulfilment");
  }
  return result.outcome;
}

/** Shopify assessed the order's risk again: the release rules look at it on a fresh read. */
export async function handleRiskAssessmentChanged(d: StoredDelivery): Promise<string> {
  const p = riskAssessmentChangedSchema.parse(JSON.parse(d.body));
  const order = p.admin_graphql_api_order_id ?? (p.order_id === null ? null : orderGid(p.order_id));
  if (!order) return "no order named: nothing to read";
  await enqueueOrderSync(d.shop, order, `webhook ${d.topic}`, "fulfilment");
  return "sync queued";
}

export async function handleOrderEdited(d: StoredDelivery): Promise<string> {
  const { order_edit } = orderEditedSchema.parse(parseJsonExact(d.body));
  await enqueueOrderSync(d.shop, orderGid(order_edit.order_id), "webhook orders/edited", "order");
  return "sync queued";
}

export async function handleFulfillmentOrderWebhook(d: StoredDelivery): Promise<string> {
  const event = parseFulfillmentOrderEvent(d);
  return actOnFulfillmentOrderEvent(d, event, await findGroupsBySourceIds(d.shop, event.ids));
}

type FulfillmentOrderEvent = { foId: string; facts: FoFact[]; ids: string[] };

function parseFulfillmentOrderEvent(d: StoredDelivery): FulfillmentOrderEvent {
  const event = fulfillmentOrderEventSchema.parse(parseJsonExact(d.body));
  const foId = fulfillmentOrderIdOf(event);
  if (!foId) throw new Error("unreachable: schema requires a fulfillment order");
  const facts = factsOf(event);
  return { foId, facts, ids: [foId, ...facts.map((f) => f.id)] };
}

/** Fulfilment-order topics whose deliveries are handled in batches per shop (status-only: what they change is in their payload). */
export const BATCHED_FO_TOPICS: readonly string[] = [...STATUS_ONLY_TOPICS];

/** Asks for the shop's next fulfilment-order event batch (the webhook route, for each status-only event it stores). */
export const requestFulfillmentOrderEventBatch = (shop: string) => requestDeliveryBatch("fulfillmentOrderEvents", shop);

/**
 * The fulfillment-order-events job: a window's status-only fulfilment-order events of a shop
 * (order_routing_complete, moved, placed_on_hold, hold_released: about 1.5 per order), handled as
 * `handleFulfillmentOrderWebhook` handles one, with one read of the groups they all name. The
 * events whose facts the OMS does not hold yet are looked at again later together, by one
 * `fulfillmentOrderRechecks` job per delay (one read of the groups for them all), instead of a
 * delayed sync job each that mostly finds the facts held and ends.
 */
export async function processFulfillmentOrderEvents(shop: string, now: Date): Promise<BatchReport> {
  return processDeliveryBatch(
    shop,
    BATCHED_FO_TOPICS,
    now,
    (after) => requestNextDeliveryBatch("fulfillmentOrderEvents", shop, after),
    parseFulfillmentOrderEvent,
    async (parsed) => {
      if (!parsed.length) return;
      const known = await findGroupsBySourceIds(shop, [...new Set(parsed.flatMap((p) => p.value.ids))]);
      const later = new Map<number, SyncOrderPayload[]>();
      const defer = (check: SyncOrderPayload, delayMs: number) => void later.set(delayMs, [...(later.get(delayMs) ?? []), check]);
      for (const p of parsed) await actOnFulfillmentOrderEvent(p.delivery, p.value, known, defer);
      // The batch's deliveries are its own (claimed): the first names the job, so a retried batch finds it.
      for (const [delayMs, checks] of later)
        for (let i = 0; i < checks.length; i += RECHECKS_PER_JOB)
          await enqueue(
            "fulfillmentOrderRechecks",
            { shop, reason: `${parsed[0]!.delivery.id}-${delayMs}-${i}`, checks: checks.slice(i, i + RECHECKS_PER_JOB) },
            { delayMs },
          );
    },
  );
}

const RECHECKS_PER_JOB = 500;

/**
 * The fulfillment-order-rechecks job: status-only events (a window's) looked at again after their
 * delay, with one read of the groups they name. Each whose facts the OMS holds by then (its order's
 * own read, or the read after the OMS's own move, brought them in) is done; each other gets its
 * sync job, which checks once more just before its read.
 */
export async function recheckFulfillmentOrderEvents(shop: string, checks: readonly SyncOrderPayload[]): Promise<{ checked: number; queued: number }> {
  const ids = new Set<string>();
  for (const c of checks) {
    if (c.fulfillmentOrderId) ids.add(c.fulfillmentOrderId);
    for (const f of c.unlessHeld ?? []) ids.add(f.id);
  }
  const known = ids.size ? await findGroupsBySourceIds(shop, [...ids]) : new Map();
  let queued = 0;
  for (const c of checks) {
    if (c.unlessHeld?.length && factsHeld(c.unlessHeld, known)) continue;
    if (c.onlyIfUnknown && c.fulfillmentOrderId && known.has(c.fulfillmentOrderId)) continue;
    await enqueue("syncOrder", c);
    queued++;
  }
  return { checked: checks.length, queued };
}

async function actOnFulfillmentOrderEvent(
  d: StoredDelivery,
  { foId, facts }: FulfillmentOrderEvent,
  known: Awaited<ReturnType<typeof findGroupsBySourceIds>>,
  // A batch collects the sync jobs that wait to look again (one recheck job for them all); alone, each is its own delayed job.
  defer?: (check: SyncOrderPayload, delayMs: number) => void,
): Promise<string> {
  const later = async (check: SyncOrderPayload, delayMs: number) => (defer ? defer(check, delayMs) : await enqueue("syncOrder", check, { delayMs }));
  const statusOnly = STATUS_ONLY_TOPICS.has(d.topic);
  const order = known.get(foId)?.orderSourceId;
  // Not known yet: Shopify says whose it is. A new order's routing_complete comes with its
  // orders/create, whose sync reads the same fulfilment orders a moment later: look again after it,
  // and read unless what this event states is held by then. (Known is not enough: a read that
  // answered before the event's change, a hold on a new exchange, may have brought it in.)
  if (!order) {
    const check = { shop: d.shop, fulfillmentOrderId: foId, reason: d.id, via: `webhook ${d.topic}` };
    if (!statusOnly) {
      await enqueue("syncOrder", check);
      return "sync queued";
    }
    await later({ ...check, ...(facts.length ? { unlessHeld: facts } : { onlyIfUnknown: true }) }, FIRST_SYNC_GRACE_MS);
    return "sync queued";
  }
  if (!statusOnly) {
    await enqueueOrderSync(d.shop, order, `webhook ${d.topic}`, "fulfilment");
    return "sync queued";
  }
  if (factsHeld(facts, known)) return "already known: no re-read";
  // Its own check (not coalesced: the facts to check are this event's), looked at again before reading.
  await later({ shop: d.shop, orderId: order, reason: d.id, via: `webhook ${d.topic}`, scope: "fulfilment", unlessHeld: facts }, RECHECK_DELAY_MS);
  return "sync queued unless held by then";
}

export async function handleFulfillmentWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const f = fulfillmentPayloadSchema.parse(parseJsonExact(d.body));
  const head = await findOrderHead(d.shop, orderGid(f.order_id));
  if (!head) throw new OrderNotYetKnownError(`fulfillment ${f.id} for unknown order ${f.order_id}`);
  const tracking = [f.tracking_company, f.tracking_number ?? f.tracking_numbers?.[0]].filter(Boolean).join(" ");
  await recordTimeline(
    head.id,
    d.shop,
    [
      {
        kind: "fulfillment",
        summary: `Fulfillment ${f.status}${f.shipment_status ? `, shipment ${f.shipment_status}` : ""}${tracking ? ` (${tracking})` : ""}`,
        fromState: null,
        toState: null,
        owner: f.shipment_status ? "carrier" : "location",
        dedupeKey: `fulfillment:${f.id}:${f.status}:${f.shipment_status ?? ""}`,
      },
    ],
    { at: now, actor: `shopify:webhook ${d.topic}`, source: "shopify", deliveryId: d.id },
  );
  // Promised vs actual: the first parcel's shipment, and the last parcel's delivery.
  if (f.status === "success") await markPromiseShipped(d.shop, head.id, new Date(f.created_at), f.tracking_company ?? null);
  if (f.shipment_status === "delivered") await markPromiseDelivered(d.shop, head.id, new Date(f.updated_at));
  await enqueueOrderSync(d.shop, orderGid(f.order_id), `webhook ${d.topic}`, "order");
  // An Amazon order's shipment is confirmed back to Amazon (once per fulfilment).
  await onShopifyFulfillment(d.shop, head.id, JSON.parse(d.body), now);
  // Capture policy "on_shipment": this shipment's share of the payment is captured now.
  if (d.topic === "fulfillments/create" && f.status === "success" && (await orderPolicy(d.shop)).captureMode === "on_shipment") {
    await enqueue("captureShipment", { shop: d.shop, orderId: orderGid(f.order_id), fulfillmentId: `gid://shopify/Fulfillment/${f.id}` });
  }
  return "recorded";
}

export async function handleRefundWebhook(d: StoredDelivery, now: Date): Promise<string> {
  const r = refundPayloadSchema.parse(parseJsonExact(d.body));
  const head = await findOrderHead(d.shop, orderGid(r.order_id));
  if (!head) throw new OrderNotYetKnownError(`refund ${r.id} for unknown order ${r.order_id}`);
  const refunded = r.transactions.filter((t) => t.kind === "refund" && t.status === "success");
  const amounts = refunded.map((t) => `${t.amount}${t.currency ? ` ${t.currency}` : ""}`).join(" + ") || "no money";
  await recordTimeline(
    head.id,
    d.shop,
    [
      {
        kind: "refund",
        summary: `Refund of ${amounts} for ${r.refund_line_items.reduce((n, l) => n + l.quantity, 0)} item(s)${r.note ? `: ${r.note}` : ""}`,
        fromState: null,
        toState: null,
        owner: "finance",
        dedupeKey: `refund:${r.id}`,
      },
    ],
    { at: now, actor: `shopify:webhook ${d.topic}`, source: "shopify", deliveryId: d.id },
  );
  // The finance side, as its own job: recorded once, posted (or raised as refund_over_capture).
  await enqueue("recordRefund", { shop: d.shop, deliveryId: d.id });
  return "recorded";
}
