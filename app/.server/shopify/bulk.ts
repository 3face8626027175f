import type { AdminGraphql } from "./admin";
import { BULK_OPERATION, BULK_RUN_QUERY, ORDERS_COUNT } from "./documents/bulk";

export async function countOrders(graphql: AdminGraphql, query: string): Promise<number> {
  const res = await graphql(ORDERS_COUNT, { variables: { query } });
  const { data } = await res.json();
  return data?.ordersCount?.count ?? 0;
}

/** Starts a bulk query for the ids of every order matching `search`; returns its id or the reason it could not start. */
export async function startOrderIdsBulkQuery(graphql: AdminGraphql, search: string): Promise<{ id: string } | { error: string }> {
  const inner = `{ orders(query: ${JSON.stringify(search)}) { edges { node { id } } } }`;
  const res = await graphql(BULK_RUN_QUERY, { variables: { query: inner } });
  const { data } = await res.json();
  const payload = data?.bulkOperationRunQuery;
  if (payload?.bulkOperation) return { id: payload.bulkOperation.id };
  return { error: payload?.userErrors.map((e) => e.message).join("; ") || "bulk operation did not start" };
}

export type BulkState = { status: string; url: string | null; errorCode: string | null };

export async function bulkOperationState(graphql: AdminGraphql, id: string): Promise<BulkState | null> {
  const res = await graphql(BULK_OPERATION, { variables: { id } });
  const { data } = await res.json();
  const op = data?.bulkOperation;
  return op ? { status: op.status, url: op.url ?? null, errorCode: op.errorCode ?? null } : null;
}

/** The JSONL result: one object per line. The URL is a signed storage URL, fetched without a token. */
export async function readBulkResult(url: string): Promise<{ id: string }[]> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`bulk result download failed: HTTP ${res.status}`);
  return (await res.text())
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string });
}
