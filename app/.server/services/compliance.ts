import { customersDataRequestSchema, customersRedactSchema } from "~/schemas/webhook-payloads";
import { forgetCustomerRequests } from "../db/customer-returns";
import { eraseShopData, findCustomerOrders, recordComplianceRequest, redactDeliveryBodies, redactOrders } from "../db/compliance";
import { deleteSessions, markRedacted } from "../db/shops";
import { forgetAdminSession } from "../shopify/admin";
import type { StoredDelivery } from "../db/webhook-deliveries";
import { parseJsonExact } from "~/schemas/json";

const orderGid = (id: number | string) => `gid://shopify/Order/${id}`;

/** shop/redact arrives 48 h after uninstall: erase the shop's orders, raw deliveries and sessions. */
export async function redactShop(shop: string, deliveryId: string, now: Date): Promise<string> {
  const sessions = await deleteSessions(shop);
  forgetAdminSession(shop);
  const erased = await eraseShopData(shop, deliveryId);
  await markRedacted(shop, now);
  return `redacted: ${erased.orders} orders, ${erased.deliveries} deliveries, ${sessions} sessions`;
}

/** customers/redact: remove the customer's personal data; keep the commercial record (lines, amounts). */
export async function redactCustomer(d: StoredDelivery, now: Date): Promise<string> {
  const p = customersRedactSchema.parse(parseJsonExact(d.body));
  const orders = await findCustomerOrders(d.shop, p.orders_to_redact.map(orderGid), p.customer.email ?? null);
  await redactOrders(
    d.shop,
    orders.map((o) => o.id),
    now,
    d.id,
  );
  const needles = [p.customer.email, ...orders.map((o) => o.sourceId.split("/").pop())].filter((n): n is string => Boolean(n));
  const bodies = await redactDeliveryBodies(d.shop, needles);
  await forgetCustomerRequests(d.shop, String(p.customer.id));
  await recordComplianceRequest({
    shop: d.shop,
    topic: d.topic,
    customerId: String(p.customer.id),
    deliveryId: d.id,
    export: null,
    ordersFound: orders.length,
    receivedAt: now,
  });
  return `redacted ${orders.length} orders and ${bodies} raw deliveries`;
}

/** customers/data_request: assemble everything held about the customer for the merchant to send. */
export async function exportCustomerData(d: StoredDelivery, now: Date): Promise<string> {
  const p = customersDataRequestSchema.parse(parseJsonExact(d.body));
  const orders = await findCustomerOrders(d.shop, p.orders_requested.map(orderGid), p.customer.email ?? null);
  const exported = {
    customer: p.customer,
    requestedAt: now.toISOString(),
    orders: orders.map((o) => ({
      name: o.name,
      shopifyId: o.sourceId,
      placedAt: o.placedAt.toISOString(),
      email: o.email,
      customerName: o.customerName,
      shippingAddress: o.shippingAddress ? JSON.parse(o.shippingAddress) : null,
      lines: o.lines.map((l) => ({ sku: l.sku, title: l.title, quantity: l.quantity })),
      history: o.events.map((e) => ({ at: e.at.toISOString(), what: e.summary })),
    })),
  };
  await recordComplianceRequest({
    shop: d.shop,
    topic: d.topic,
    customerId: String(p.customer.id),
    deliveryId: d.id,
    export: JSON.stringify(exported),
    ordersFound: orders.length,
    receivedAt: now,
  });
  return `exported ${orders.length} orders`;
}
