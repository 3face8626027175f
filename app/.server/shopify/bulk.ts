import type { AdminGraphql } from "./admin";
import { BULK_OPERATION, BULK_RUN_QUERY, ORDERS_COUNT } from "./documents/bulk";

export async function countOrders(graphql: AdminGraphql, query: string): Promise<number> {
  const res = await graphql(ORDERS_COUNT, { variables: { query } });
  const { data } = await res.json();
  return data?.ordersCount?.count ?? 0;
}

/** Starts a bulk query (`inner`: the query it runs); returns its id or the reason it could not start. */
export async function startBulkQuery(graphql: AdminGraphql, inner: string): Promise<{ id: string } | { error: string }> {
  const res = await graphql(BULK_RUN_QUERY, { variables: { query: inner } });
  const { data } = await res.json();
  const payload = data?.bulkOperationRunQuery;
  if (payload?.bulkOperation) return { id: payload.bulkOperation.id };
  return { error: payload?.userErrors.map((e) => e.message).join("; ") || "bulk operation did not start" };
}

/** Starts a bulk query for the ids of every order matching `search`. */
export const startOrderIdsBulkQuery = (graphql: AdminGraphql, search: string) =>
  startBulkQuery(graphql, `{ orders(query: ${JSON.stringify(search)}) { edges { node { id } } } }`);

/**
 * A bulk query for the money of the orders whose numeric ids lie in [from, to]: OmsOrderMoney's
 * selection (documents/returns.ts) for each, its transactions a list inside the order's own line.
 */
export const orderMoneyBulkQuery = (from: number, to: number) =>
  `{ orders(query: ${JSON.stringify(`id:>=${from} id:<=${to}`)}) { edges { node { id name currencyCode presentmentCurrencyCode transactions(first: 100) { id kind status gateway processedAt createdAt parentTransaction { id } amountSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } } } } }`;

export type BulkState = { status: string; url: string | null; errorCode: string | null };

export async function bulkOperationState(graphql: AdminGraphql, id: string): Promise<BulkState | null> {
  const res = await graphql(BULK_OPERATION, { variables: { id } });
  const { data } = await res.json();
  const op = data?.bulkOperation;
  return op ? { status: op.status, url: op.url ?? null, errorCode: op.errorCode ?? null } : null;
}

/** The JSONL result: one object per line. The URL is a signed storage URL, fetched without a token. */
export async function readBulkResult(url: string): Promise<{ id: string }[]> {
  return (await readBulkLines(url)) as { id: string }[];
}

/** The JSONL result's objects, unchecked: the caller parses each. */
export async function readBulkLines(url: string): Promise<unknown[]> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`bulk result download failed: HTTP ${res.status}`);
  return (await res.text())
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as unknown);
}
