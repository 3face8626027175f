import { syncOrderFromShopify } from "~/.server/services/sync-order";
import type { Processor } from "~/.server/queue/worker";

export const syncOrderJob: Processor<"syncOrder"> = (p, { now }) =>
  syncOrderFromShopify(
    p.shop,
    p.orderId
      ? { orderId: p.orderId, unlessHeld: p.unlessHeld }
      : { fulfillmentOrderId: p.fulfillmentOrderId!, unlessHeld: p.unlessHeld, onlyIfUnknown: p.onlyIfUnknown },
    p.via,
    now,
    p.scope,
    { withMoney: p.withMoney === true, lines: p.lines },
  );
