import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonExact } from "./json";

// What parseJsonExact must equal: JSON.parse whose reviver replaces every unsafe integer by the
// digits of its source text (the definition, slow: a reviver call per value).
function byReviver(text: string): unknown {
  return JSON.parse(text, (_k, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value) && /^-?\d+$/.test(context!.source!) ? context!.source : value,
  );
}

function samples(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? samples(p) : name.endsWith(".json") ? [readFileSync(p, "utf8")] : [];
  });
}

describe("parseJsonExact", () => {
  it.each([
    ["an id above 2^53", `{"id": 820982911946154508}`, { id: "820982911946154508" }],
    [
      "two ids that round to one number stay two",
      `[9007199254740993, 9007199254740992, 9007199254740991]`,
      ["9007199254740993", "9007199254740992", 9007199254740991],
    ],
    ["a negative one", `{"n": -820982911946154508}`, { n: "-820982911946154508" }],
    ["a safe 16-digit integer stays a number", `{"n": 1000000000000000}`, { n: 1000000000000000 }],
    [
      "a long fraction stays a number",
      `{"n": 1.820982911946154508, "m": 820982911946154508.5}`,
      { n: Number("1.820982911946154508"), m: Number("820982911946154508.5") },
    ],
    ["an exponent stays a number", `{"n": 1e17, "m": 820982911946154508e2, "k": 2E-820982911946154508}`, { n: 1e17, m: Number("820982911946154508e2"), k: 0 }],
    [
      "digits inside strings stay strings",
      `{"gid": "gid://shopify/Order/820982911946154508", "s": "a \\" 820982911946154508 \\\\", "id": 820982911946154509}`,
      { gid: "gid://shopify/Order/820982911946154508", s: 'a " 820982911946154508 \\', id: "820982911946154509" },
    ],
    ["a key made of digits", `{"820982911946154508": 820982911946154508}`, { "820982911946154508": "820982911946154508" }],
    ["no long digits: plain JSON", `{"a": [1, 2.5, "x", null, true]}`, { a: [1, 2.5, "x", null, true] }],
  ])("%s", (_name, text, expected) => {
    expect(parseJsonExact(text)).toEqual(expected);
    expect(parseJsonExact(text)).toEqual(byReviver(text));
  });

  it("rejects what JSON.parse rejects, long integers or not", () => {
    for (const bad of [
      `{"id": 0820982911946154508}`,
      `{"id": 820982911946154508`,
      `{"s": "820982911946154508}`,
      `{"id": +820982911946154508}`,
      `{820982911946154508: 1}`,
      `{"a": 1, 820982911946154508 : 1}`,
      `[820982911946154508 820982911946154509]`,
      ``,
    ]) {
      expect(() => parseJsonExact(bad), bad).toThrow(SyntaxError);
    }
  });

  it("equals the reviver's result on every stored webhook sample", () => {
    const all = samples(path.resolve(__dirname, "../../dev/contracts/shopify/webhooks"));
    expect(all.length).toBeGreaterThan(20);
    for (const text of all) expect(parseJsonExact(text)).toEqual(byReviver(text));
  });
});
