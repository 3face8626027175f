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
  if ([...returned, ...exchange].some((u) => !Number.isInteger(u.quantity) || u.quantity < 0 || u.unitPriceMinor < 0n)) throw new Error("exchange units: quantities are whole and amounts not negative");
  const returnedMinor = valueOf(returned);
  const exchangeMinor = valueOf(exchange);
  const diff = returnedMinor - exchangeMinor;
  return { returnedMinor, exchangeMinor, refundMinor: diff > 0n ? diff : 0n, collectMinor: diff < 0n ? -diff : 0n };
}
