// Shopify's calculated query cost (shopify.dev "API rate limits"): scalars and enums cost 0, an
// object 1, a connection its page size × the cost of one node plus 2, a mutation 10. The cost is
// known before execution and a document over 1,000 points is refused without running.
import {
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const MAX_QUERY_COST = 1000;

function unwrapList(t: GraphQLOutputType): boolean {
  const inner = isNonNullType(t) ? t.ofType : t;
  return isListType(inner);
}

export function requestedCost(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const root = op.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  const base = selectionCost(schema, root, op.selectionSet, fragments, variables);
  if (op.operation !== "mutation") return base;
  // Each mutation field costs 10 on top of what it selects.
  return base + op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length * 9;
}

function selectionCost(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT || sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments[sel.name.value] : sel;
      if (!frag) continue;
      const typeName = frag.typeCondition?.name.value;
      const t = typeName ? schema.getType(typeName) : parent;
      if (t && isCompositeType(t)) total += selectionCost(schema, t, frag.selectionSet, fragments, variables);
      continue;
    }
    if (sel.name.value.startsWith("__")) continue;
    const fields = "getFields" in parent ? (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>) : {};
    const field = fields[sel.name.value];
    if (!field) continue;
    const named = getNamedType(field.type);
    if (!isCompositeType(named) || !sel.selectionSet) continue;
    const args: Record<string, unknown> = {};
    for (const a of sel.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value, variables);
    // A page's size is its first/last; nodes(ids:) is priced per id asked for.
    const size = Math.max(1, Number(args.first ?? args.last ?? (Array.isArray(args.ids) ? args.ids.length : 1)));
    if (named.name.endsWith("Connection") && "getFields" in named) {
      total += 2 + size * connectionNodeCost(schema, named, sel.selectionSet, fragments, variables);
      continue;
    }
    const child = selectionCost(schema, named, sel.selectionSet, fragments, variables);
    if (unwrapList(field.type)) {
      total += Math.max(1, size || 1) * (1 + child);
    } else {
      total += 1 + child;
    }
  }
  return total;
}

/** The cost of one node of a connection: what is selected under `nodes` or `edges { node }`. */
function connectionNodeCost(
  schema: GraphQLSchema,
  conn: GraphQLCompositeType,
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const fields = "getFields" in conn ? (conn.getFields() as Record<string, GraphQLField<unknown, unknown>>) : {};
  let cost = 1;
  for (const sel of set.selections) {
    if (sel.kind !== Kind.FIELD || !sel.selectionSet) continue;
    if (sel.name.value === "nodes") {
      const t = fields.nodes && getNamedType(fields.nodes.type);
      if (t && isCompositeType(t)) cost = Math.max(cost, 1 + selectionCost(schema, t, sel.selectionSet, fragments, variables));
    } else if (sel.name.value === "edges") {
      const edge = fields.edges && getNamedType(fields.edges.type);
      if (!edge || !("getFields" in edge)) continue;
      const nodeSel = sel.selectionSet.selections.find((x) => x.kind === Kind.FIELD && x.name.value === "node");
      const nodeField = (edge.getFields() as Record<string, GraphQLField<unknown, unknown>>).node;
      const t = nodeField && getNamedType(nodeField.type);
      if (nodeSel?.kind === Kind.FIELD && nodeSel.selectionSet && t && isCompositeType(t)) {
        cost = Math.max(cost, 1 + selectionCost(schema, t, nodeSel.selectionSet, fragments, variables));
      }
    }
  }
  return cost;
}

/** A leaky bucket per app and shop: fills at restoreRate points a second up to its size. */
export class LeakyBucket {
  #available: number;
  #at: number;
  constructor(
    readonly size: number,
    readonly restoreRate: number,
    now: number,
  ) {
    this.#available = size;
    this.#at = now;
  }
  available(now: number): number {
    this.#available = Math.min(this.size, this.#available + ((now - this.#at) / 1000) * this.restoreRate);
    this.#at = now;
    return this.#available;
  }
  take(points: number, now: number): boolean {
    if (this.available(now) < points) return false;
    this.#available -= points;
    return true;
  }
  refund(points: number, now: number): void {
    this.#available = Math.min(this.size, this.available(now) + points);
  }
}

/**
 * The actual cost, charged after execution: the same rules applied to what was returned, so a
 * connection costs the nodes it really returned (Shopify refunds the difference to the bucket).
 */
export function actualCost(
  schema: GraphQLSchema,
  op: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  data: Record<string, unknown> | null | undefined,
): number {
  const root = op.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root || !data) return 0;
  const base = walk(schema, root, op.selectionSet, fragments, data);
  return op.operation === "mutation" ? base + op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD).length * 9 : base;
}

function walk(
  schema: GraphQLSchema,
  parent: GraphQLCompositeType,
  set: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  data: unknown,
): number {
  if (data === null || data === undefined || typeof data !== "object") return 0;
  if (Array.isArray(data)) return data.reduce<number>((n, item) => n + walk(schema, parent, set, fragments, item), 0);
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT || sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments[sel.name.value] : sel;
      const t = frag?.typeCondition ? schema.getType(frag.typeCondition.name.value) : parent;
      if (frag && t && isCompositeType(t)) total += walk(schema, t, frag.selectionSet, fragments, data);
      continue;
    }
    const fields = "getFields" in parent ? (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>) : {};
    const field = fields[sel.name.value];
    const named = field && getNamedType(field.type);
    if (!named || !isCompositeType(named) || !sel.selectionSet) continue;
    const value = (data as Record<string, unknown>)[sel.alias?.value ?? sel.name.value];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) total += value.length + walk(schema, named, sel.selectionSet, fragments, value);
    else total += 1 + walk(schema, named, sel.selectionSet, fragments, value);
  }
  return total;
}
