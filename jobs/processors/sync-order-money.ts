import type { Processor } from "~/.server/queue/worker";
import { hasOfflineSession } from "~/.server/services/finance/session";
import { syncOrderMoney } from "~/.server/services/finance/order-money";
import { sweepOrderMoney } from "~/.server/services/finance/money-sweep";
import { NonRetriableError } from "~/.server/errors";
import { recordRefundDelivery } from "~/.server/services/finance/record-shopify-refund";
import { settleExchange } from "~/.server/services/returns/exchange-difference";
import { jobs } from "~/.server/queue/definitions";

/**
 * Runs `work`. A shop without an offline session (uninstalled, redacted) has nothing to read: the
 * job ends quietly (told by adminFor, whose session is kept in the process, rather than by a
 * Session query per job).
 */
async function unlessUninstalled<T extends object>(work: () => Promise<T>): Promise<T | { skipped: string }> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof NonRetriableError && /no offline session/.test(e.message)) return { skipped: "no offline session" };
    throw e;
  }
}

export const syncOrderMoneyJob: Processor<"syncOrderMoney"> = (p, { now }) =>
  unlessUninstalled(async () => {
    await syncOrderMoney(p.shop, p.orderId, now);
    return {};
  });

export const sweepOrderMoneyJob: Processor<"sweepOrderMoney"> = (p, { now }) => unlessUninstalled(() => sweepOrderMoney(p, now));

export const recordRefundJob: Processor<"recordRefund"> = async (p, { now }) => {
  if (!(await hasOfflineSession(p.shop))) return { skipped: "no offline session" };
  return { outcome: await recordRefundDelivery(p.shop, p.deliveryId, now) };
};

export const settleExchangeJob: Processor<"settleExchange"> = async (p, { now, attempt, attempts }) => {
  if (!(await hasOfflineSession(p.shop))) return { skipped: "no offline session" };
  return { outcome: await settleExchange(p.shop, p.returnId, now, attempt >= (attempts ?? jobs.settleExchange.attempts)) };
};
