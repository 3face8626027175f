// bulkOperationRunQuery: Shopify runs the query over the whole data set in the background and
// publishes the result as JSONL — one object per line, nested connection nodes as their own lines
// with __parentId. One bulk query may run per shop at a time.
import { execute, Kind, parse, validate, type OperationDefinitionNode } from "graphql";
import { gid, idOf } from "./gid";
import { queryRoot } from "./query-root";
import { adminSchema } from "./schema";
import type { StandIn } from "./standin";
import type { ShopState } from "./store";

export type BulkOperation = {
  id: number;
  shop: string;
  query: string;
  status: "RUNNING" | "COMPLETED" | "FAILED";
  createdAt: string;
  completedAt: string | null;
  readyAt: number;
  lines: string[];
  rootObjectCount: number;
};

const RUN_MS = 200; // how long a bulk query appears to run before it completes

function flatten(value: unknown, parentId: string | null, out: string[], root: { count: number }, depth: number): void {
  if (!value || typeof value !== "object") return;
  const conn = value as { edges?: { node: unknown }[]; nodes?: unknown[] };
  const nodes = conn.edges ? conn.edges.map((e) => e.node) : (conn.nodes ?? []);
  for (const node of nodes) {
    if (!node || typeof node !== "object") continue;
    const own: Record<string, unknown> = {};
    const children: unknown[] = [];
    for (const [k, v] of Object.entries(node)) {
      if (v && typeof v === "object" && ("edges" in v || "nodes" in v)) children.push(v);
      else own[k] = v;
    }
    if (parentId) own.__parentId = parentId;
    out.push(JSON.stringify(own));
    if (depth === 0) root.count++;
    for (const c of children) flatten(c, typeof own.id === "string" ? own.id : parentId, out, root, depth + 1);
  }
}

export function present(b: BulkOperation, baseUrl: string, now: number) {
  const done = now >= b.readyAt;
  return {
    __typename: "BulkOperation",
    id: gid("BulkOperation", b.id),
    status: done ? b.status : "RUNNING",
    type: "QUERY",
    query: b.query,
    createdAt: b.createdAt,
    completedAt: done ? b.completedAt : null,
    errorCode: null,
    objectCount: String(done ? b.lines.length : 0),
    rootObjectCount: String(done ? b.rootObjectCount : 0),
    fileSize: done ? String(b.lines.join("\n").length) : null,
    url: done && b.status === "COMPLETED" ? `${baseUrl}/_dev/bulk/${b.id}.jsonl` : null,
    partialDataUrl: null,
  };
}

export function bulkMutations(standIn: StandIn, shop: ShopState, now: Date) {
  return {
    bulkOperationRunQuery: ({ query }: { query: string }) => {
      const running = [...standIn.bulkOperations.values()].find((b) => b.shop === shop.domain && now.getTime() < b.readyAt);
      if (running)
        return {
          bulkOperation: null,
          userErrors: [
            {
              message: `A bulk query operation for this app and shop is already in progress: ${gid("BulkOperation", running.id)}.`,
              field: ["query"],
              code: "OPERATION_IN_PROGRESS",
            },
          ],
        };
      let doc;
      try {
        doc = parse(query);
      } catch (e) {
        return { bulkOperation: null, userErrors: [{ message: `Invalid bulk query: ${(e as Error).message}`, field: ["query"], code: "INVALID" }] };
      }
      const problems = validate(adminSchema(), doc);
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (problems.length || !op || op.operation !== "query")
        return {
          bulkOperation: null,
          userErrors: [
            { message: `Invalid bulk query: ${problems.map((p) => p.message).join("; ") || "a query is required"}`, field: ["query"], code: "INVALID" },
          ],
        };
      const result = execute({
        schema: adminSchema(),
        document: doc,
        rootValue: queryRoot(shop),
        fieldResolver: (src, args, _c, info) => {
          const v = (src as Record<string, unknown>)[info.fieldName];
          return typeof v === "function" ? (v as (a: unknown) => unknown)(args) : v;
        },
        typeResolver: (v) => (v as { __typename?: string }).__typename,
      });
      if (result instanceof Promise) throw new Error("resolvers are synchronous");
      const lines: string[] = [];
      const root = { count: 0 };
      for (const value of Object.values(result.data ?? {})) flatten(value, null, lines, root, 0);
      const b: BulkOperation = {
        id: standIn.ids.next(),
        shop: shop.domain,
        query,
        status: result.errors?.length ? "FAILED" : "COMPLETED",
        createdAt: now.toISOString(),
        completedAt: new Date(now.getTime() + RUN_MS).toISOString(),
        readyAt: now.getTime() + RUN_MS,
        lines,
        rootObjectCount: root.count,
      };
      standIn.bulkOperations.set(b.id, b);
      return { bulkOperation: present(b, standIn.baseUrl, now.getTime()), userErrors: [] };
    },
  };
}

export function bulkQueries(standIn: StandIn, shop: ShopState, now: Date) {
  return {
    bulkOperation: ({ id }: { id: string }) => {
      const b = standIn.bulkOperations.get(idOf("BulkOperation", id) ?? -1);
      return b && b.shop === shop.domain ? present(b, standIn.baseUrl, now.getTime()) : null;
    },
    currentBulkOperation: () => {
      const mine = [...standIn.bulkOperations.values()].filter((b) => b.shop === shop.domain).at(-1);
      return mine ? present(mine, standIn.baseUrl, now.getTime()) : null;
    },
    ordersCount: ({ query }: { query?: string }) => ({ count: queryRoot(shop).orders({ query }).nodes.length, precision: "EXACT" }),
  };
}
