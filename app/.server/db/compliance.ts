import { db } from "./client";

/** Orders that identify a customer: by the order ids Shopify names, or by the customer's email. */
export function findCustomerOrders(shop: string, orderGids: string[], email: string | null) {
  return db().order.findMany({
    where: { shop, OR: [{ sourceId: { in: orderGids } }, ...(email ? [{ email: email.toLowerCase() }, { email }] : [])] },
    include: { lines: true, events: { select: { at: true, summary: true } } },
  });
}

/** Erases personal data from orders (the commercial record — lines, amounts, states — stays). */
export async function redactOrders(shop: string, orderIds: string[], at: Date, deliveryId: string): Promise<void> {
  if (orderIds.length === 0) return;
  await db().$transaction(async (tx) => {
    await tx.order.updateMany({
      where: { shop, id: { in: orderIds } },
      data: { email: null, customerName: null, shippingAddress: null, redactedAt: at },
    });
    for (const orderId of orderIds) {
      await tx.orderEvent.upsert({
        where: { orderId_dedupeKey: { orderId, dedupeKey: `redaction:${deliveryId}` } },
        create: {
          orderId,
          shop,
          at,
          kind: "redaction",
          summary: "Customer data redacted (customers/redact)",
          actor: "shopify:webhook customers/redact",
          source: "shopify",
          deliveryId,
          dedupeKey: `redaction:${deliveryId}`,
        },
        update: {},
      });
    }
  });
}

/** Raw webhook bodies keep personal data too: blank those that mention the customer (and their headers). */
export async function redactDeliveryBodies(shop: string, needles: string[]): Promise<number> {
  const redacted = new Set<string>();
  for (const needle of needles.filter((n) => n.length >= 3)) {
    const found = await db().webhookDeliveryBody.findMany({
      where: { body: { contains: needle }, delivery: { shop, status: { in: ["processed", "unhandled", "rejected", "failed"] } } },
      select: { deliveryId: true },
    });
    const ids = found.map((f) => f.deliveryId);
    if (!ids.length) continue;
    // Headers first, then the body that found them: if the second write fails, the body still
    // mentions the customer and a retried job finds and redacts both again (no transaction needed).
    await db().webhookDelivery.updateMany({ where: { id: { in: ids } }, data: { headers: "{}" } });
    await db().webhookDeliveryBody.updateMany({ where: { deliveryId: { in: ids } }, data: { body: REDACTED_BODY } });
    for (const id of ids) redacted.add(id);
  }
  return redacted.size;
}

const REDACTED_BODY = '{"redacted":true}';

export async function recordComplianceRequest(r: {
  shop: string;
  topic: string;
  customerId: string;
  deliveryId: string;
  export: string | null;
  ordersFound: number;
  receivedAt: Date;
}): Promise<void> {
  await db().complianceRequest.upsert({ where: { deliveryId: r.deliveryId }, create: r, update: {} });
}

/** shop/redact: nothing of the shop's customers may remain. */
export async function eraseShopData(shop: string, keepDeliveryId: string): Promise<{ orders: number; deliveries: number }> {
  return db().$transaction(async (tx) => {
    const orders = await tx.order.deleteMany({ where: { shop } });
    // The shop/redact delivery itself stays (with its own status) as the proof it was honoured.
    const deliveries = await tx.webhookDelivery.deleteMany({ where: { shop, id: { not: keepDeliveryId } } });
    await tx.complianceRequest.deleteMany({ where: { shop } });
    await tx.backfillRun.deleteMany({ where: { shop } });
    await tx.customerReturnRequest.deleteMany({ where: { shop } });
    return { orders: orders.count, deliveries: deliveries.count };
  });
}
