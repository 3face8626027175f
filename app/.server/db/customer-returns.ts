// A customer's return request from their account, once per request key (CustomerReturnRequest).
import { db } from "./client";
import { isUniqueViolation } from "./orders";

export type CustomerRequestRow = NonNullable<Awaited<ReturnType<typeof findCustomerRequest>>>;
export const findCustomerRequest = (shop: string, requestKey: string) =>
  db().customerReturnRequest.findUnique({ where: { shop_requestKey: { shop, requestKey } } });

/** Claims the request key (pending), or finds who holds it. */
export async function claimCustomerRequest(c: {
  shop: string;
  requestKey: string;
  customerId: string;
  orderId: string;
  at: Date;
}): Promise<{ claimed: true; id: string } | { claimed: false; row: CustomerRequestRow }> {
  const existing = await findCustomerRequest(c.shop, c.requestKey);
  if (existing) return { claimed: false, row: existing };
  try {
    const row = await db().customerReturnRequest.create({
      data: { shop: c.shop, requestKey: c.requestKey, customerId: c.customerId, orderId: c.orderId, status: "pending", createdAt: c.at },
      select: { id: true },
    });
    return { claimed: true, id: row.id };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return { claimed: false, row: (await findCustomerRequest(c.shop, c.requestKey))! };
  }
}

export const completeCustomerRequest = (id: string, returnId: string, returnName: string | null) =>
  db().customerReturnRequest.update({ where: { id }, data: { status: "requested", returnId, returnName } });

/** customers/redact: the customer's return requests from their account are forgotten (the returns themselves stay, as commercial records). */
export const forgetCustomerRequests = (shop: string, customerNumericId: string) =>
  db().customerReturnRequest.deleteMany({ where: { shop, customerId: { in: [customerNumericId, `gid://shopify/Customer/${customerNumericId}`] } } });

/** The request did not go through: the key is given back, so the customer can submit it again. */
export const releaseCustomerRequest = (id: string) => db().customerReturnRequest.deleteMany({ where: { id, status: "pending" } });
