export const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

/** The numeric id of a GID of the given type, or null (wrong type, malformed). */
export function idOf(type: string, value: unknown): number | null {
  if (typeof value !== "string") return null;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/.exec(value);
  return m && m[1] === type ? Number(m[2]) : null;
}

export const money = (minor: number, currency: string) => ({ amount: (minor / 100).toFixed(2), currencyCode: currency });
export const moneyBag = (minor: number, currency: string) => ({ shopMoney: money(minor, currency), presentmentMoney: money(minor, currency) });

/** The currency the customer paid in, when it is not the shop's, and how many of its units one shop unit was (two-decimal currencies). */
export type Presentment = { currency: string; rate: number };
/** A shop-currency amount in the order's presentment currency (Shopify converts at the order's rate). */
export const toPresentment = (o: { presentment?: Presentment }, minor: number) => (o.presentment ? Math.round(minor * o.presentment.rate) : minor);
/** A presentment amount (what refundCreate takes on such an order) in shop currency. */
export const fromPresentment = (o: { presentment?: Presentment }, minor: number) => (o.presentment ? Math.round(minor / o.presentment.rate) : minor);
/** An order's MoneyBag: shop money, and presentment money (as recorded, or at the order's rate). */
export const orderBag = (o: { currency: string; presentment?: Presentment }, minor: number, presentmentMinor?: number) => ({
  shopMoney: money(minor, o.currency),
  presentmentMoney: money(presentmentMinor ?? toPresentment(o, minor), o.presentment?.currency ?? o.currency),
});
/** The same as a REST webhook's *_set (shop_money / presentment_money). */
export const orderSet = (o: { currency: string; presentment?: Presentment }, minor: number, presentmentMinor?: number) => {
  const b = orderBag(o, minor, presentmentMinor);
  return {
    shop_money: { amount: b.shopMoney.amount, currency_code: b.shopMoney.currencyCode },
    presentment_money: { amount: b.presentmentMoney.amount, currency_code: b.presentmentMoney.currencyCode },
  };
};

/** Relay connection over an in-memory list; cursors are opaque offsets, as opaque as Shopify's. */
export function connection<T>(
  items: T[],
  args: { first?: number | null; last?: number | null; after?: string | null; before?: string | null; reverse?: boolean | null },
) {
  let list = args.reverse ? [...items].reverse() : items;
  const indexed = list.map((node, i) => ({ node, cursor: Buffer.from(`c:${i}`).toString("base64url") }));
  const pos = (c: string | null | undefined) => (c ? Number(Buffer.from(c, "base64url").toString().slice(2)) : NaN);
  let start = 0;
  let end = indexed.length;
  if (args.after) start = pos(args.after) + 1;
  if (args.before) end = pos(args.before);
  let slice = indexed.slice(start, end);
  const trimmedFront = args.last != null && slice.length > args.last;
  if (args.first != null) slice = slice.slice(0, args.first);
  if (args.last != null) slice = slice.slice(-args.last);
  list = slice.map((e) => e.node);
  return {
    edges: slice,
    nodes: list,
    pageInfo: {
      hasNextPage: start + slice.length < end,
      hasPreviousPage: start > 0 || trimmedFront,
      startCursor: slice[0]?.cursor ?? null,
      endCursor: slice.at(-1)?.cursor ?? null,
    },
  };
}
