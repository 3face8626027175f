import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import {
  getNamedType,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { describe, expect, it } from "vitest";
import { MAX_QUERY_COST, requestedCost } from "../dev/shopify-local/cost";
import { adminSchema } from "../dev/shopify-local/schema";
import { ORDER_FOR_SYNC, ORDER_FULFILMENT_FOR_SYNC } from "~/.server/shopify/documents/order-sync";
import { FIRST } from "~/.server/shopify/order-sync";

// Every `#graphql` document the app can send, found in its source.
function documents(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "types" ? [] : documents(full);
    if (!/\.tsx?$/.test(name)) return [];
    const source = readFileSync(full, "utf8");
    return [...source.matchAll(/`#graphql([^`]*)`/g)].map((m) => ({ file: path.relative(path.resolve(__dirname, ".."), full), text: m[1]! }));
  });
}

const all = documents(path.resolve(__dirname, "../app"));

describe("the app's Admin GraphQL documents against Shopify's real 2026-04 schema", () => {
  it("finds the documents", () => {
    expect(all.length).toBeGreaterThanOrEqual(4);
  });

  it.each(all.map((d) => [d.file, d.text.trim().split("\n")[0], d.text] as const))("%s: %s validates and stays under the cost cap", (_file, _first, text) => {
    const doc = parse(text);
    expect(validate(adminSchema(), doc).map((e) => e.message)).toEqual([]);
    const fragments = Object.fromEntries(
      doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
    );
    for (const op of doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
      expect(requestedCost(adminSchema(), op, fragments, {})).toBeLessThanOrEqual(MAX_QUERY_COST);
    }
  });

  // A read that stops at its first page drops data silently (an order's lines, its fulfilment
  // orders): every connection a query reads asks whether there is more, so the code can follow it.
  it.each(all.filter((d) => /^\s*query/.test(d.text)).map((d) => [d.file, d.text.trim().split("\n")[0], d.text] as const))(
    "%s: %s asks every connection for its next page",
    (_file, _first, text) => {
      const info = new TypeInfo(adminSchema());
      const missing: string[] = [];
      const asksForMore = (set: SelectionSetNode | undefined) =>
        !!set?.selections.some(
          (s) =>
            s.kind === Kind.FIELD &&
            s.name.value === "pageInfo" &&
            s.selectionSet?.selections.some((p) => p.kind === Kind.FIELD && p.name.value === "hasNextPage") &&
            s.selectionSet?.selections.some((p) => p.kind === Kind.FIELD && p.name.value === "endCursor"),
        );
      visit(
        parse(text),
        visitWithTypeInfo(info, {
          Field(node) {
            const type = info.getType();
            if (type && getNamedType(type).name.endsWith("Connection") && !asksForMore(node.selectionSet)) missing.push(node.name.value);
          },
        }),
      );
      expect(missing).toEqual([]);
    },
  );
});

// The sync documents' first read goes without pageInfo, and order-sync.ts takes a page shorter
// than its `first` as the last: the sizes it compares with must be the documents' own.
describe("the sync documents' pages read without pageInfo", () => {
  it.each([
    ["OrderForSync", ORDER_FOR_SYNC],
    ["OrderFulfilmentForSync", ORDER_FULFILMENT_FOR_SYNC],
  ])("%s: every connection whose pageInfo is conditional has the page size order-sync.ts knows", (_name, text) => {
    const info = new TypeInfo(adminSchema());
    const found: [string, number][] = [];
    visit(
      parse(text),
      visitWithTypeInfo(info, {
        Field(node) {
          const pageInfo = node.selectionSet?.selections.find((s) => s.kind === Kind.FIELD && s.name.value === "pageInfo");
          if (!pageInfo || pageInfo.kind !== Kind.FIELD || !pageInfo.directives?.some((d) => d.name.value === "include")) return;
          const parent = info.getParentType()?.name;
          const key = parent === "FulfillmentOrder" && node.name.value === "lineItems" ? "fulfillmentOrderLines" : node.name.value;
          const first = node.arguments?.find((a) => a.name.value === "first")?.value;
          found.push([key, first?.kind === Kind.INT ? Number(first.value) : NaN]);
        },
      }),
    );
    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const [key, first] of found) expect([key, first]).toEqual([key, FIRST[key as keyof typeof FIRST]]);
  });
});
