// Settling an exchange's price difference once every returned unit is in: a lower-priced exchange
// refunds the difference through the guarded refund path (one request key per return, so a
// replayed or repeated receipt never refunds twice); a higher-priced one is recorded on the order's
// timeline and raised as exchange_balance_due (the return page shows it too).
import { formatMoney } from "~/domain/shared/money";
import type { ReturnRow } from "../../db/returns";
import type { AdminGraphql } from "../../shopify/admin";
import { raiseException } from "../exceptions/raise-exception";
import { describeRefusal, issueRefund } from "../finance/issue-refund";
import { exchangeDifferenceOf, onTimeline, staffProvenance } from "./shared";


export const exchangeRefundKey = (returnId: string) => `exchange-difference:${returnId}`;

export async function settleExchangeDifference(r: ReturnRow, actor: string, now: Date, graphql?: AdminGraphql): Promise<void> {
  const diff = exchangeDifferenceOf(r);
  if (!diff || !r.orderId) return;
  const currency = r.currency ?? "USD";
  const m = (amount: bigint) => `${formatMoney({ amount, currency })} ${currency}`;
  const p = staffProvenance(actor, now);
  if (diff.collectMinor > 0n) {
    const summary = `Return ${r.name}: the exchange costs ${m(diff.exchangeMinor)} against ${m(diff.returnedMinor)} returned — ${m(diff.collectMinor)} to collect from the customer`;
    await onTimeline(r.orderId, r.shop, summary, `return:${r.id}:exchange-collect`, p);
    await raiseException({ shop: r.shop, kind: "exchange_balance_due", severity: "warning", subjectKey: r.id, orderId: r.orderId, summary, data: { returnId: r.id, collectMinor: diff.collectMinor.toString(), currency } }, now);
    return;
  }
  if (diff.refundMinor === 0n) return;
  const lines = r.lines.filter((l) => l.sourceLineId).map((l) => ({ sourceLineId: l.sourceLineId!, quantity: l.quantity }));
  const refunded = await issueRefund({ shop: r.shop, orderId: r.orderId, returnId: r.id, requestKey: exchangeRefundKey(r.id), lines, shippingMinor: 0n, restockingFeePercent: r.restockingFeePercent, storeCreditMinor: 0n, exchangeMinor: diff.exchangeMinor, note: "Exchange price difference", actor }, now, graphql);
  if (refunded.ok) {
    if (!refunded.value.replayed) await onTimeline(r.orderId, r.shop, `Return ${r.name}: exchange price difference refunded — ${m(refunded.value.amountMinor)}`, `return:${r.id}:exchange-refund`, p);
  } else {
    await onTimeline(r.orderId, r.shop, `Return ${r.name}: exchange price difference (${m(diff.refundMinor)}) not refunded — ${describeRefusal(refunded.error)}`, `return:${r.id}:exchange-refund-refused`, p);
  }
}
