import { shipmentPackage } from "~/domain/marketplace/amazon-shipment";
import { amazonOrder, confirmShipmentRequest, shopifyFulfillmentForAmazon } from "~/schemas/amazon";
import { AmazonApiError, spApi } from "../../amazon/client";
import { ensureShipment, findAccount, findAmazonOrderById, findAmazonOrderByOmsId, findShipment, markShipment } from "../../db/amazon";
import { recordTimeline } from "../../db/orders";
import { NonRetriableError } from "../../errors";
import { enqueue } from "../../queue/queues";
import { raiseException } from "../exceptions/raise-exception";
import { credentialsOf } from "./amazon-accounts";

/**
 * Shopify reported a fulfilment of an Amazon order: one shipment row per fulfilment (unique per
 * Amazon order and Shopify fulfilment, with its own packageReferenceId) and one confirm job per row,
 * so a duplicate webhook, a fulfillments/update and a replay all land on the same package.
 */
export async function onShopifyFulfillment(shop: string, omsOrderId: string, body: unknown, now: Date): Promise<string | null> {
  const row = await findAmazonOrderByOmsId(omsOrderId);
  if (!row) return null;
  const f = shopifyFulfillmentForAmazon.parse(body);
  if (f.status !== "success") return null;
  const order = amazonOrder.parse(JSON.parse(row.data));
  const fulfillmentId = f.admin_graphql_api_id ?? `gid://shopify/Fulfillment/${f.id}`;
  const facts = {
    trackingCompany: f.tracking_company ?? null,
    trackingNumber: f.tracking_number ?? null,
    shippedAt: f.created_at,
    lines: f.line_items.map((l) => ({ sku: l.sku ?? null, quantity: l.quantity })),
  };
  const probe = shipmentPackage(order, facts, "1");
  if (!probe.ok) {
    await raiseException(
      {
        shop,
        kind: "shipment_status_unsynced",
        severity: "warning",
        subjectKey: `amazon:${row.amazonOrderId}:${fulfillmentId}`,
        orderId: omsOrderId,
        summary: `Amazon order ${row.amazonOrderId} was fulfilled in Shopify ${probe.error === "NO_TRACKING" ? "without a tracking number" : "with no item Amazon knows"}: confirm it in Seller Central`,
        data: { amazonOrderId: row.amazonOrderId, fulfillmentId, reason: probe.error },
      },
      now,
    );
    return null;
  }
  const shipment = await ensureShipment({
    shop,
    amazonOrderId: row.amazonOrderId,
    fulfillmentId,
    request: (ref) => {
      const pkg = shipmentPackage(order, facts, ref);
      if (!pkg.ok) throw new Error("unreachable: the probe passed");
      return JSON.stringify(pkg.value);
    },
  });
  if (shipment.status !== "confirmed") await enqueue("amazonConfirmShipment", { shop, shipmentId: shipment.id });
  return shipment.id;
}

/**
 * confirmShipment for one package, once: a confirmed row is never sent again, and Amazon treats
 * the same packageReferenceId as an edit of that package, so a retry after a lost answer does not
 * ship twice. The last failure marks the row failed and raises "shipment_status_unsynced"; the job
 * itself ends in the dead letters.
 */
export async function confirmAmazonShipment(shipmentId: string, now: Date, lastAttempt: boolean): Promise<"confirmed" | "already"> {
  const s = await findShipment(shipmentId);
  if (!s) throw new NonRetriableError(`no Amazon shipment ${shipmentId}`);
  if (s.status === "confirmed") return "already";
  const row = await findAmazonOrderById(s.shop, s.amazonOrderId);
  const account = row ? await findAccount(row.accountId) : null;
  if (!row || !account) throw new NonRetriableError(`no Amazon order ${s.amazonOrderId}`);
  const request = confirmShipmentRequest.parse(JSON.parse(s.request));
  try {
    await spApi(credentialsOf(account)).confirmShipment(s.amazonOrderId, request);
  } catch (e) {
    const fatal = e instanceof NonRetriableError || (e instanceof AmazonApiError && !e.retriable);
    if (fatal || lastAttempt) {
      const message = e instanceof Error ? e.message : String(e);
      await markShipment(s.id, "failed", message, now);
      await raiseException(
        {
          shop: s.shop,
          kind: "shipment_status_unsynced",
          severity: "critical",
          subjectKey: `amazon:${s.amazonOrderId}:${s.fulfillmentId}`,
          orderId: row.omsOrderId,
          summary: `Amazon was not told that ${s.amazonOrderId} shipped (package ${s.packageReferenceId}, ${request.packageDetail.trackingNumber}): ${message}`,
          data: { amazonOrderId: s.amazonOrderId, shipmentId: s.id, fulfillmentId: s.fulfillmentId },
        },
        now,
      );
      if (fatal) throw new NonRetriableError(message);
    }
    throw e;
  }
  await markShipment(s.id, "confirmed", null, now);
  if (row.omsOrderId) {
    await recordTimeline(
      row.omsOrderId,
      s.shop,
      [
        {
          kind: "fulfillment",
          summary: `Shipment confirmed to Amazon: package ${s.packageReferenceId}, ${request.packageDetail.carrierCode} ${request.packageDetail.trackingNumber}`,
          fromState: null,
          toState: null,
          owner: "oms",
          dedupeKey: `amazon:shipment:${s.id}`,
          source: "oms",
          actor: "oms:amazon-shipments",
        },
      ],
      { at: now, actor: "oms:amazon-shipments", source: "oms", deliveryId: null },
    );
  }
  return "confirmed";
}
