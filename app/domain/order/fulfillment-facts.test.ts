import { describe, expect, it } from "vitest";
import { factsHeld, factsOf } from "./fulfillment-facts";

const moved = {
  original_fulfillment_order: { id: "gid://shopify/FulfillmentOrder/1", status: "closed", assigned_location_id: "gid://shopify/Location/1" },
  moved_fulfillment_order: { id: "gid://shopify/FulfillmentOrder/2", status: "open", assigned_location_id: "gid://shopify/Location/2" },
  destination_location_id: "gid://shopify/Location/2",
};

describe("fulfilment-order facts", () => {
  it("reads every fulfilment order a payload names, statuses as the Admin API spells them", () => {
    expect(factsOf(moved)).toEqual([
      { id: "gid://shopify/FulfillmentOrder/1", status: "CLOSED", locationId: "gid://shopify/Location/1" },
      { id: "gid://shopify/FulfillmentOrder/2", status: "OPEN", locationId: "gid://shopify/Location/2" },
    ]);
    expect(factsOf({ fulfillment_order: { id: "gid://shopify/FulfillmentOrder/3", status: "open" }, moved_fulfillment_order: null })).toEqual([
      { id: "gid://shopify/FulfillmentOrder/3", status: "OPEN" },
    ]);
  });

  it("holds the facts only when every one matches in status and, where named, location", () => {
    const held = new Map([
      ["gid://shopify/FulfillmentOrder/1", { status: "CLOSED", locationId: "gid://shopify/Location/1" }],
      ["gid://shopify/FulfillmentOrder/2", { status: "OPEN", locationId: "gid://shopify/Location/2" }],
    ]);
    expect(factsHeld(factsOf(moved), held)).toBe(true);
    expect(factsHeld(factsOf(moved), new Map([...held].slice(0, 1)))).toBe(false);
    expect(
      factsHeld(factsOf(moved), new Map([...held, ["gid://shopify/FulfillmentOrder/2", { status: "OPEN", locationId: "gid://shopify/Location/9" }]])),
    ).toBe(false);
    expect(
      factsHeld(factsOf(moved), new Map([...held, ["gid://shopify/FulfillmentOrder/1", { status: "OPEN", locationId: "gid://shopify/Location/1" }]])),
    ).toBe(false);
    expect(factsHeld([], held)).toBe(false);
  });
});
