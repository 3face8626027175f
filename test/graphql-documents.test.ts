import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Kind, parse, validate, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { MAX_QUERY_COST, requestedCost } from "../dev/shopify-local/cost";
import { adminSchema } from "../dev/shopify-local/schema";

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
    const fragments = Object.fromEntries(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
    for (const op of doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)) {
      expect(requestedCost(adminSchema(), op, fragments, {})).toBeLessThanOrEqual(MAX_QUERY_COST);
    }
  });
});
