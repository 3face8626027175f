import { describe, expect, it } from "vitest";
import { isExceptionKind, raiseEffect } from "./kinds";

describe("exception kinds", () => {
  it("raising a case already open or snoozed only counts it; a resolved one is reopened", () => {
    expect(raiseEffect(null)).toBe("created");
    expect(raiseEffect({ status: "open" })).toBe("seen_again");
    expect(raiseEffect({ status: "snoozed" })).toBe("seen_again");
    expect(raiseEffect({ status: "resolved" })).toBe("reopened");
  });

  it("knows its kinds", () => {
    expect(isExceptionKind("promise_at_risk")).toBe(true);
    expect(isExceptionKind("something_else")).toBe(false);
  });
});
