import type { Processor } from "~/.server/queue/worker";
import { hasOfflineSession } from "~/.server/services/finance/session";
import { syncOrderMoney } from "~/.server/services/finance/order-money";
import { recordRefundDelivery } from "~/.server/services/finance/record-shopify-refund";
import { settleExchange } from "~/.server/services/returns/exchange-difference";
import { jobs } from "~/.server/queue/definitions";

// A shop without an offline session (uninstalled, redacted) has nothing to read: the job ends quietly.
export const syncOrderMoneyJob: Processor<"syncOrderMoney"> = async (p, { now }) => {
  if (!(await hasOfflineSession(p.shop))) return { skipped: "no offline session" };
  await syncOrderMoney(p.shop, p.orderId, now);
  return {};
};

export const recordRefundJob: Processor<"recordRefund"> = async (p, { now }) => {
  if (!(await hasOfflineSession(p.shop))) return { skipped: "no offline session" };
  return { outcome: await recordRefundDelivery(p.shop, p.deliveryId, now) };
};

export const settleExchangeJob: Processor<"settleExchange"> = async (p, { now, attempt, attempts }) => {
  if (!(await hasOfflineSession(p.shop))) return { skipped: "no offline session" };
  return { outcome: await settleExchange(p.shop, p.returnId, now, attempt >= (attempts ?? jobs.settleExchange.attempts)) };
};
