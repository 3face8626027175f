// Every userErrors code the stand-in can return is a value of the real 2026-04 enum for that
// mutation's userError type: a code outside it makes Shopify's schema refuse the whole response
// (a GraphQL error instead of the userError) for any client that selects `code`. The stand-in's
// sources are scanned for every code they emit, each attributed to the mutation that returns it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { getNamedType, isEnumType, isObjectType, type GraphQLObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { IDEMPOTENT_REQUIRED } from "./graphql";
import { adminSchema } from "./schema";

const dir = __dirname;
const schema = adminSchema();
const mutation = schema.getMutationType()!;
const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
const sources = new Map(files.map((f) => [f, readFileSync(path.join(dir, f), "utf8").split("\n")]));
const resolverStart = /^\s+(\w+): (?:async )?\(/;
/** The mutations the stand-in implements (a resolver named after a Mutation field). */
const implemented = new Set(
  [...sources.values()].flatMap((lines) => lines.flatMap((l) => [resolverStart.exec(l)?.[1]].filter((n): n is string => !!n && !!mutation.getFields()[n]))),
);

type Emitted = { file: string; line: number; code: string; field: string; mutations: string[] };

/** Every code literal in a userError (a `userError(…, "CODE")` call or a `code: "CODE"` property), with the mutations that can return it. */
function emittedCodes(): Emitted[] {
  const out: Emitted[] = [];
  for (const file of files) {
    const lines = sources.get(file)!;
    // Resolver blocks: `    name: (args) => {` for a field of the Mutation type, up to the next one.
    const starts = lines.flatMap((l, i) => {
      const m = resolverStart.exec(l);
      return m && mutation.getFields()[m[1]!] ? [{ name: m[1]!, line: i }] : [];
    });
    const blockOf = (i: number) => [...starts].reverse().find((s) => s.line <= i);
    const textOf = (s: { line: number }) => lines.slice(s.line, starts.find((t) => t.line > s.line)?.line ?? lines.length).join("\n");
    lines.forEach((text, i) => {
      const found = [
        ...text.matchAll(/userError\((?:[^()]|\([^()]*\))*?,\s*"([A-Z][A-Z0-9_]+)"\s*\)/g),
        ...text.matchAll(/(?<!extensions: \{ )\bcode: "([A-Z][A-Z0-9_]+)"/g),
      ];
      for (const m of found) {
        const field = [...text.slice(0, m.index).matchAll(/(\w*[uU]serErrors): \[/g)].pop()?.[1] ?? "userErrors";
        let mutations: string[] = [];
        const helper = [...lines.slice(0, i + 1)].reverse().find((l) => /^\s*(?:export )?(?:async )?function \w+|^(?:export )?const \w+ = /.test(l));
        const block = blockOf(i);
        const helperLine = helper ? lines.lastIndexOf(helper, i) : -1;
        if (block && block.line > helperLine) mutations = [block.name];
        else if (helper) {
          const name = /(?:function |const )(\w+)/.exec(helper)![1]!;
          // A shared helper: every mutation whose resolver calls it; the idempotency check: every idempotent mutation.
          mutations =
            name === "idempotentRoot"
              ? [...IDEMPOTENT_REQUIRED].filter((n) => implemented.has(n))
              : starts.filter((s) => textOf(s).includes(`${name}(`)).map((s) => s.name);
        }
        out.push({ file, line: i + 1, code: m[1]!, field, mutations: [...new Set(mutations)] });
      }
    });
  }
  return out;
}

/** The enum of `code` on a mutation's userErrors field, or null when that type has no code. */
function codeEnum(name: string, field: string): { name: string; values: Set<string> } | null {
  const payload = getNamedType(mutation.getFields()[name]!.type) as GraphQLObjectType;
  const errors = payload.getFields()[field];
  if (!errors) throw new Error(`${name}'s payload has no ${field}`);
  const errorType = getNamedType(errors.type);
  if (!isObjectType(errorType)) throw new Error(`${name}.${field} is not an object list`);
  const code = errorType.getFields().code;
  if (!code) return null;
  const e = getNamedType(code.type);
  if (!isEnumType(e)) throw new Error(`${errorType.name}.code is not an enum`);
  return { name: e.name, values: new Set(e.getValues().map((v) => v.name)) };
}

describe("the stand-in's userErrors codes", () => {
  const emitted = emittedCodes();

  it("are each attributed to the mutations that can return them", () => {
    expect(emitted.filter((e) => e.mutations.length === 0).map((e) => `${e.file}:${e.line} ${e.code}`)).toEqual([]);
    // The scan finds what it should (a broken pattern would check nothing).
    expect(emitted.length).toBeGreaterThan(40);
    expect(emitted.filter((e) => e.mutations.includes("fulfillmentOrderMove")).map((e) => e.code)).toEqual([
      "CANNOT_MOVE_FULFILLMENT_ORDER_WITH_REPORTED_PROGRESS",
    ]);
  });

  it("are values of the 2026-04 enum of each mutation's userError type", () => {
    const wrong: string[] = [];
    for (const e of emitted) {
      for (const m of e.mutations) {
        const allowed = codeEnum(m, e.field);
        if (allowed && !allowed.values.has(e.code)) wrong.push(`${e.file}:${e.line} ${m} returns ${e.code}, not a value of ${allowed.name}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
