import type { Processor } from "~/.server/queue/worker";
import { captureForShipment } from "~/.server/services/payments/capture-shipment";
import { checkOrderPayments, scanLapsingAuthorizations } from "~/.server/services/payments/check-payments";
import { releaseDuePreOrders } from "~/.server/services/release/release-due";
import { requeueExchangeSettlements } from "~/.server/services/returns/exchange-difference";
import { resumeParcelMatches } from "~/.server/services/returns/parcels";

export const checkPaymentsJob: Processor<"checkPayments"> = (p, { now }) => checkOrderPayments(p.shop, p.orderId, now);

export const captureShipmentJob: Processor<"captureShipment"> = (p, { now }) => captureForShipment(p.shop, p.orderId, p.fulfillmentId, now);

export const orderWatchJob: Processor<"orderWatch"> = async (_p, { now }) => ({
  ...(await releaseDuePreOrders(now)),
  lapsing: await scanLapsingAuthorizations(now),
  exchangeSettlementsRequeued: await requeueExchangeSettlements(now),
  parcelMatchesResumed: await resumeParcelMatches(now),
});
