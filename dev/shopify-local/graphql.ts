// POST /admin/api/2026-04/graphql.json: validate against Shopify's real schema, price the query,
// charge the shop's bucket, run it over the shop's state, and answer as Shopify does.
import { createHash } from "node:crypto";
import {
  execute,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLFieldResolver,
  type OperationDefinitionNode,
} from "graphql";
import { actualCost, MAX_QUERY_COST, requestedCost } from "./cost";
import { mutationRoot } from "./mutation-root";
import type { Announcement } from "./operations";
import { queryRoot } from "./query-root";
import { bulkMutations, bulkQueries } from "./bulk";
import { adminSchema } from "./schema";
import type { StandIn } from "./standin";
import type { ShopState } from "./store";

/** 2026-04: these mutations fail at run time without @idempotent(key:) (Shopify changelog, 2025-12-12). */
export const IDEMPOTENT_REQUIRED = new Set([
  "inventoryActivate",
  "inventoryAdjustQuantities",
  "inventoryMoveQuantities",
  "inventorySetOnHandQuantities",
  "inventorySetQuantities",
  "inventorySetScheduledChanges",
  "inventoryShipmentAddItems",
  "inventoryShipmentCreate",
  "inventoryShipmentCreateInTransit",
  "inventoryShipmentReceive",
  "inventoryTransferCreate",
  "inventoryTransferCreateAsReadyToShip",
  "inventoryTransferDuplicate",
  "inventoryTransferSetItems",
  "locationActivate",
  "locationDeactivate",
  "refundCreate",
]);

type GraphqlBody = { query?: unknown; variables?: unknown; operationName?: unknown };
export type GraphqlAnswer = { status: number; body: unknown };

const shopifyError = (message: string, code: string, extra: Record<string, unknown> = {}) => ({ message, extensions: { code, ...extra } });

function formatValidationError(e: GraphQLError) {
  // graphql-js words things differently; the shape (message, locations, path, extensions.code) is Shopify's.
  const undefinedField = /Cannot query field "(\w+)" on type "(\w+)"/.exec(e.message);
  if (undefinedField) {
    return {
      message: `Field '${undefinedField[1]}' doesn't exist on type '${undefinedField[2]}'`,
      locations: e.locations,
      extensions: { code: "undefinedField", typeName: undefinedField[2], fieldName: undefinedField[1] },
    };
  }
  return { message: e.message, locations: e.locations, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } };
}

export function runGraphql(standIn: StandIn, shop: ShopState, body: GraphqlBody): GraphqlAnswer {
  const schema = adminSchema();
  const now = standIn.now();
  if (typeof body.query !== "string") return { status: 400, body: { errors: [shopifyError("Parameter Missing or Invalid", "BAD_REQUEST")] } };
  const variables = (body.variables && typeof body.variables === "object" ? body.variables : {}) as Record<string, unknown>;
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (e) {
    return {
      status: 200,
      body: { errors: [{ message: (e as GraphQLError).message, locations: (e as GraphQLError).locations, extensions: { code: "PARSE_ERROR" } }] },
    };
  }
  const problems = validate(schema, document, specifiedRules);
  if (problems.length) return { status: 200, body: { errors: problems.map(formatValidationError) } };

  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const op = typeof body.operationName === "string" ? operations.find((o) => o.name?.value === body.operationName) : operations[0];
  if (!op) return { status: 200, body: { errors: [shopifyError("No operation to run", "BAD_REQUEST")] } };
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );

  const requested = requestedCost(schema, op, fragments, variables);
  const bucket = standIn.bucketFor(shop.domain);
  const costExtension = (actual: number | null) => ({
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: actual,
      throttleStatus: {
        maximumAvailable: bucket.size,
        currentlyAvailable: Math.floor(bucket.available(standIn.now().getTime())),
        restoreRate: bucket.restoreRate,
      },
    },
  });
  if (requested > MAX_QUERY_COST) {
    return {
      status: 200,
      body: {
        errors: [
          shopifyError(`Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`, "MAX_COST_EXCEEDED", {
            cost: requested,
            maxCost: MAX_QUERY_COST,
          }),
        ],
        extensions: costExtension(null),
      },
    };
  }
  if (!bucket.take(requested, now.getTime())) {
    return { status: 200, body: { errors: [shopifyError("Throttled", "THROTTLED")], extensions: costExtension(null) } };
  }

  if (op.operation === "mutation") {
    for (const sel of op.selectionSet.selections) {
      if (sel.kind !== Kind.FIELD || !IDEMPOTENT_REQUIRED.has(sel.name.value)) continue;
      if (!sel.directives?.some((d) => d.name.value === "idempotent")) {
        bucket.refund(requested, now.getTime());
        return {
          status: 200,
          body: {
            errors: [
              { ...shopifyError(`The @idempotent directive is required for ${sel.name.value}.`, "BAD_REQUEST"), path: [sel.alias?.value ?? sel.name.value] },
            ],
            extensions: costExtension(null),
          },
        };
      }
    }
  }

  const pending: Announcement = [];
  const root =
    op.operation === "mutation"
      ? idempotentRoot(
          standIn,
          { ...mutationRoot({ standIn, shop, now, announce: (events) => pending.push(...events) }), ...bulkMutations(standIn, shop, now) },
          shop.domain,
        )
      : { ...queryRoot(shop), ...bulkQueries(standIn, shop, now) };
  const result = execute({
    schema,
    document,
    rootValue: root,
    variableValues: variables,
    operationName: op.name?.value,
    fieldResolver,
    typeResolver: (v) => (v as { __typename?: string }).__typename,
  });
  if (result instanceof Promise) throw new Error("the stand-in's resolvers are synchronous");
  if (pending.length) standIn.announce(shop.domain, pending);
  // Charge what the query really cost: the unused part of the requested cost goes back to the bucket.
  const actual = Math.min(requested, actualCost(schema, op, fragments, result.data as Record<string, unknown> | null));
  bucket.refund(requested - actual, standIn.now().getTime());
  return {
    status: 200,
    body: {
      ...(result.errors
        ? { errors: result.errors.map((e) => ({ message: e.message, locations: e.locations, path: e.path, extensions: { code: "INTERNAL_SERVER_ERROR" } })) }
        : {}),
      data: result.data ?? null,
      extensions: costExtension(actual),
    },
  };
}

/** Same key + same arguments → the first result again, without re-applying; other arguments → an error. */
function idempotentRoot(standIn: StandIn, root: Record<string, (args: never) => unknown>, shop: string) {
  const wrapped: Record<string, GraphQLFieldResolver<unknown, unknown>> = {};
  for (const [name, resolve] of Object.entries(root)) {
    wrapped[name] = (_source, args, _ctx, info) => {
      const directive = info.fieldNodes[0]?.directives?.find((d) => d.name.value === "idempotent");
      const keyArg = directive?.arguments?.find((a) => a.name.value === "key");
      const key = keyArg
        ? keyArg.value.kind === Kind.STRING
          ? keyArg.value.value
          : keyArg.value.kind === Kind.VARIABLE
            ? String(info.variableValues[keyArg.value.name.value] ?? "")
            : ""
        : null;
      if (key === null) return (resolve as (a: unknown) => unknown)(args);
      if (!key.trim()) throw new Error("The idempotency key cannot be an empty string or whitespace only.");
      const fingerprint = createHash("sha256")
        .update(`${name}:${JSON.stringify(args)}`)
        .digest("hex");
      const slot = `${shop}:${key}`;
      const seen = standIn.idempotency.get(slot);
      if (seen) {
        if (seen.fingerprint === fingerprint) return seen.result;
        return {
          inventoryAdjustmentGroup: null,
          order: null,
          refund: null,
          userErrors: [{ message: "The same idempotency key was used with different parameters.", field: [], code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" }],
        };
      }
      const result = (resolve as (a: unknown) => unknown)(args);
      standIn.idempotency.set(slot, { fingerprint, result });
      return result;
    };
  }
  return wrapped;
}

/** graphql-js's default resolver, plus: a function-valued field on a root object gets (args). */
const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, ctx, info) => {
  const value = (source as Record<string, unknown> | null)?.[info.fieldName];
  if (typeof value === "function") {
    return value.length >= 2 ? (value as GraphQLFieldResolver<unknown, unknown>)(source, args, ctx, info) : (value as (a: unknown) => unknown)(args);
  }
  return value;
};
