import { appScopesUpdateSchema, isKnownTopic, payloadSchemas } from "~/schemas/webhook-payloads";
import { findDeliveryToProcess, markDelivery, type StoredDelivery } from "../db/webhook-deliveries";
import { updateSessionScopes } from "../db/shops";
import { NonRetriableError } from "../errors";
import { forgetAdminSession } from "../shopify/admin";
import { uninstallShop } from "./uninstall-shop";
import { exportCustomerData, redactCustomer, redactShop } from "./compliance";
import {
  handleFulfillmentOrderWebhook,
  handleFulfillmentWebhook,
  handleOrderEdited,
  handleRiskAssessmentChanged,
  handleOrderSnapshotWebhook,
  handleRefundWebhook,
} from "./order-webhooks";
import { handleInventoryLevelWebhook } from "./inventory-webhooks";
import { handleReturnWebhook } from "./returns/return-webhooks";
import { handleCancellationAnswer } from "./changes/cancellation-webhooks";
import { parseJsonExact } from "~/schemas/json";

export type ProcessOutcome = { status: "processed" | "unhandled" | "not_installed" | "skipped"; detail?: string };

/**
 * Topics processed whether or not the shop has the app installed: the uninstall itself, and the
 * mandatory compliance webhooks (shop/redact comes 48 hours after an uninstall).
 */
const WITHOUT_INSTALLATION = new Set(["app/uninstalled", "shop/redact", "customers/redact", "customers/data_request"]);

/** Turns one stored delivery into OMS state. Safe to run more than once for the same delivery. */
export async function processWebhook(deliveryId: string, now: Date): Promise<ProcessOutcome> {
  // The delivery and its shop's installation, in one statement (read at once, never cached).
  const delivery = await findDeliveryToProcess(deliveryId);
  if (!delivery) throw new NonRetriableError(`delivery ${deliveryId} does not exist`);
  if (delivery.status !== "received" && delivery.status !== "failed") {
    return { status: "skipped", detail: `already ${delivery.status}` };
  }
  if (!isKnownTopic(delivery.topic)) {
    await markDelivery(deliveryId, "unhandled", now, `no handler for topic ${delivery.topic}`);
    return { status: "unhandled" };
  }
  // A validly signed delivery for a shop with no installation (never installed, or uninstalled)
  // creates nothing: it is kept, flagged for the deliveries page, and can be replayed after an install.
  if (!WITHOUT_INSTALLATION.has(delivery.topic) && !delivery.installed) {
    await markDelivery(deliveryId, "not_installed", now, "the app is not installed on this shop (never installed, or uninstalled): nothing was created");
    return { status: "not_installed" };
  }
  const detail = await handle(delivery, now);
  await markDelivery(deliveryId, "processed", now);
  return { status: "processed", detail };
}

async function handle(d: StoredDelivery, now: Date): Promise<string | undefined> {
  const when = d.triggeredAt ?? d.receivedAt;
  switch (d.topic) {
    case "app/uninstalled":
      return (await uninstallShop(d.shop, when, now)).kind;
    case "app/scopes_update": {
      const payload = appScopesUpdateSchema.parse(parseJsonExact(d.body));
      await updateSessionScopes(d.shop, payload.current.join(","));
      forgetAdminSession(d.shop);
      return "scopes updated";
    }
    case "shop/redact":
      payloadSchemas["shop/redact"].parse(parseJsonExact(d.body));
      return redactShop(d.shop, d.id, now);
    case "customers/redact":
      return redactCustomer(d, now);
    case "customers/data_request":
      return exportCustomerData(d, now);
    case "orders/create":
    case "orders/updated":
    case "orders/cancelled":
      return handleOrderSnapshotWebhook(d, now);
    case "orders/edited":
      return handleOrderEdited(d);
    case "orders/risk_assessment_changed":
      return handleRiskAssessmentChanged(d);
    case "fulfillments/create":
    case "fulfillments/update":
      return handleFulfillmentWebhook(d, now);
    case "refunds/create":
      return handleRefundWebhook(d, now);
    case "inventory_levels/update":
      return handleInventoryLevelWebhook(d, now);
    case "fulfillment_orders/cancellation_request_accepted":
    case "fulfillment_orders/cancellation_request_rejected":
      return handleCancellationAnswer(d, now);
    default:
      if (d.topic.startsWith("fulfillment_orders/")) return handleFulfillmentOrderWebhook(d);
      if (d.topic.startsWith("returns/")) return handleReturnWebhook(d, now);
      throw new NonRetriableError(`topic ${d.topic} is known but has no handler`);
  }
}
