import { enqueue } from "~/.server/queue/queues";
import type { Processor } from "~/.server/queue/worker";
import { jobs } from "~/.server/queue/definitions";
import { applyAmazonOrder, createAmazonOrderInShopify } from "~/.server/services/marketplace/amazon-apply";
import { confirmAmazonShipment } from "~/.server/services/marketplace/amazon-shipments";
import { pushAmazonStock } from "~/.server/services/marketplace/amazon-stock";
import { syncAmazonAccount } from "~/.server/services/marketplace/amazon-sync";

export const amazonSyncJob: Processor<"amazonSync"> = async (p, { progress }) => {
  const out = await syncAmazonAccount(p.accountId, () => new Date(), progress);
  // The budget ran out mid-window: the same window continues once a call is allowed again.
  if (out.kind === "more") await enqueue("amazonSync", { accountId: p.accountId, reason: `cont-${Date.now()}` }, { delayMs: out.retryAfterMs });
  return out;
};

export const amazonApplyOrderJob: Processor<"amazonApplyOrder"> = (p, { now }) => applyAmazonOrder(p.accountId, p.amazonOrderId, now);

export const amazonCreateShopifyOrderJob: Processor<"amazonCreateShopifyOrder"> = (p, { now }) => createAmazonOrderInShopify(p.accountId, p.amazonOrderId, now);

export const amazonConfirmShipmentJob: Processor<"amazonConfirmShipment"> = (p, { now, attempt }) =>
  confirmAmazonShipment(p.shipmentId, now, attempt >= jobs.amazonConfirmShipment.attempts);

export const amazonStockPushJob: Processor<"amazonStockPush"> = (p, { now }) => pushAmazonStock(p.accountId, now);
