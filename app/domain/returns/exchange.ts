// The price difference of an exchange: what the returned units were bought for against what the
// exchange units cost. Money is integer minor units of the order's currency. A lower-priced
// exchange owes the customer the difference (refunded once, through the guarded refund path); a
// higher-priced one leaves an amount to collect from the customer. Fees and shipping are not part
// of the difference: the refund plan applies them on top.

export type PricedUnits = { unitPriceMinor: bigint; quantity: number };

export type ExchangeDifference = {
  returnedMinor: bigint;
  exchangeMinor: bigint;
  /** What the merchant owes back (0 when the exchange costs as much or more). */
  refundMinor: bigint;
  /** What the customer still owes (0 when the exchange costs as much or less). */
  collectMinor: bigint;
};

const valueOf = (units: readonly PricedUnits[]) => units.reduce((n, u) => n + u.unitPriceMinor * BigInt(u.quantity), 0n);

export function exchangeDifference(returned: readonly PricedUnits[], exchange: readonly PricedUnits[]): ExchangeDifference {
  if ([...returned, ...exchange].some((u) => !Number.isInteger(u.quantity) || u.quantity < 0 || u.unitPriceMinor < 0n))
    throw new Error("exchange units: quantities are whole and amounts not negative");
  const returnedMinor = valueOf(returned);
  const exchangeMinor = valueOf(exchange);
  const diff = returnedMinor - exchangeMinor;
  return { returnedMinor, exchangeMinor, refundMinor: diff > 0n ? diff : 0n, collectMinor: diff < 0n ? -diff : 0n };
}

/** An exchange as kept on a return: its exchange units (price null when Shopify did not price it) and the returned units. */
export type ExchangeOnReturn = { status: string; exchange: readonly { unitPriceMinor: bigint | null; quantity: number }[]; returned: readonly PricedUnits[] };

/**
 * The value of an order's exchange items that its captured money no longer stands for: the customer
 * has (or will have) them in place of the returned goods, so that much of what was captured cannot
 * be refunded as money. The whole exchange value is held — the returned goods pay for part of it and
 * any balance the customer pays (collected later, and then captured) the rest. A declined or
 * cancelled return holds nothing. An exchange unit without a known price holds at least what the
 * returned goods were worth.
 */
export function exchangeHeldMinor(returns: readonly ExchangeOnReturn[]): bigint {
  let held = 0n;
  for (const r of returns) {
    if (r.status === "declined" || r.status === "cancelled" || !r.exchange.length) continue;
    const known = r.exchange.reduce((n, u) => n + (u.unitPriceMinor ?? 0n) * BigInt(u.quantity), 0n);
    const returned = valueOf(r.returned);
    held += r.exchange.some((u) => u.unitPriceMinor == null) && returned > known ? returned : known;
  }
  return held;
}
