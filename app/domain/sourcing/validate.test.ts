import { describe, expect, it } from "vitest";
import { sourceOrder } from "./source-order";
import { line, location, request, ruleSet } from "./test-fixtures";
import type { RuleSet, SourcingRequest } from "./types";
import { validateRuleSet } from "./validate-rule-set";

const valid = request({ lines: [line("L1", "tee", 1)], locations: [location("tulsa", "tulsa", { tee: 1 })] });

describe("invalid requests are typed errors, not plans", () => {
  it.each<[string, Partial<SourcingRequest>, unknown]>([
    ["no lines", { lines: [] }, { code: "NO_LINES" }],
    ["a zero quantity", { lines: [line("L1", "tee", 0)] }, { code: "INVALID_QUANTITY", lineId: "L1" }],
    ["a negative quantity", { lines: [line("L1", "tee", -2)] }, { code: "INVALID_QUANTITY", lineId: "L1" }],
    ["a fractional quantity", { lines: [line("L1", "tee", 1.5)] }, { code: "INVALID_QUANTITY", lineId: "L1" }],
    ["a negative price", { lines: [line("L1", "tee", 1, { unitPriceMinor: -1 })] }, { code: "INVALID_PRICE", lineId: "L1" }],
    ["a line id twice", { lines: [line("L1", "tee", 1), line("L1", "cap", 1)] }, { code: "DUPLICATE_LINE", lineId: "L1" }],
    [
      "a location id twice",
      { locations: [location("tulsa", "tulsa", {}), location("tulsa", "reno", {})] },
      { code: "DUPLICATE_LOCATION", locationId: "tulsa" },
    ],
    [
      "a location id twice, unsorted",
      { locations: [location("b", "tulsa", {}), location("a", "reno", {}), location("b", "reno", {})] },
      { code: "DUPLICATE_LOCATION", locationId: "b" },
    ],
    ["an unknown pickup location", { delivery: { method: "pickup", pickupLocationId: "gone" } }, { code: "UNKNOWN_PICKUP_LOCATION", locationId: "gone" }],
    [
      "a rule set allowing zero shipments",
      { ruleSet: ruleSet([], { split: { allow: true, maxShipments: 0, minValuePerShipmentMinor: 0 } }) },
      { code: "INVALID_RULE_SET", errors: [{ code: "INVALID_MAX_SHIPMENTS" }] },
    ],
  ])("given %s, then sourcing refuses with a typed error", (_, change, error) => {
    expect(sourceOrder({ ...valid, ...change })).toEqual({ ok: false, error });
  });
});

describe("validateRuleSet, for the admin", () => {
  const locations = new Set(["gid://shopify/Location/1", "gid://shopify/Location/2"]);
  const tags = { location: new Set(["store", "dc"]), product: new Set(["hazmat"]) };
  const check = (rs: RuleSet) => validateRuleSet(rs, locations, tags);

  it("given every reference exists, then the rule set is accepted as is", () => {
    const rs = ruleSet([
      { type: "exclude", locationTag: "store", whenProductTag: "hazmat" },
      { type: "exclude", locationId: "gid://shopify/Location/2" },
      { type: "fewest_shipments" },
      { type: "distance" },
    ]);
    expect(check(rs)).toEqual({ ok: true, value: rs });
  });

  it("given references to locations and tags that do not exist, then every one is reported with its rule", () => {
    const rs = ruleSet([
      { type: "exclude", locationId: "gid://shopify/Location/9" },
      { type: "exclude", locationTag: "outlet", whenProductTag: "fragile" },
    ]);
    expect(check(rs)).toEqual({
      ok: false,
      error: [
        { code: "UNKNOWN_LOCATION", ruleIndex: 0, locationId: "gid://shopify/Location/9" },
        { code: "UNKNOWN_LOCATION_TAG", ruleIndex: 1, tag: "outlet" },
        { code: "UNKNOWN_PRODUCT_TAG", ruleIndex: 1, tag: "fragile" },
      ],
    });
  });

  it.each<[string, RuleSet, unknown[]]>([
    ["an exclude rule naming no location", ruleSet([{ type: "exclude", whenProductTag: "hazmat" }]), [{ code: "EMPTY_EXCLUDE", ruleIndex: 0 }]],
    [
      "a ranking rule listed twice",
      ruleSet([{ type: "distance" }, { type: "priority" }, { type: "distance" }]),
      [{ code: "DUPLICATE_RULE", ruleIndex: 2, type: "distance" }],
    ],
    [
      "an unknown rule type",
      ruleSet([{ type: "nearest" } as unknown as RuleSet["rules"][number]]),
      [{ code: "UNKNOWN_RULE_TYPE", ruleIndex: 0, type: "nearest" }],
    ],
    ["wait_days without days", ruleSet([], { backorder: { mode: "wait_days" } }), [{ code: "WAIT_DAYS_REQUIRED" }]],
    ["a negative minimum value", ruleSet([], { split: { allow: true, maxShipments: 2, minValuePerShipmentMinor: -5 } }), [{ code: "INVALID_MIN_VALUE" }]],
    ["a fractional version", ruleSet([], { version: 1.5 }), [{ code: "INVALID_VERSION" }]],
  ])("given %s, then it is refused", (_, rs, errors) => {
    expect(check(rs)).toEqual({ ok: false, error: errors });
  });
});
