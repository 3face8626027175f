import type { Processor } from "~/.server/queue/worker";
import { syncOrderMoney } from "~/.server/services/finance/order-money";
import { recordRefundDelivery } from "~/.server/services/finance/record-shopify-refund";

export const syncOrderMoneyJob: Processor<"syncOrderMoney"> = async (p, { now }) => {
  await syncOrderMoney(p.shop, p.orderId, now);
};

export const recordRefundJob: Processor<"recordRefund"> = async (p, { now }) => {
  await recordRefundDelivery(p.shop, p.deliveryId, now);
};
