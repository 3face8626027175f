import { describe, expect, it } from "vitest";
import { STAFF_ACTIONS } from "./actions";
import { capabilitiesOf, decideStaffAction, ROLE_ACTIONS } from "./roles";

describe("staff permissions", () => {
  it("the store owner may do everything, whatever role is stored", () => {
    for (const a of STAFF_ACTIONS) expect(decideStaffAction({ userId: "1", accountOwner: true, role: "viewer" }, "viewer", a).allowed).toBe(true);
  });

  it("a member without a stored role gets the shop's default role", () => {
    const member = { userId: "7", accountOwner: false, role: null };
    expect(decideStaffAction(member, "manager", "rules.edit")).toEqual({ allowed: true, role: "manager" });
    expect(decideStaffAction(member, "viewer", "rules.edit")).toMatchObject({
      allowed: false,
      role: "viewer",
      reason: expect.stringContaining("may not edit rules"),
    });
  });

  it("customer service may cancel and refund but not edit rules or change a source location", () => {
    const cs = { userId: "8", accountOwner: false, role: "customer_service" as const };
    expect(decideStaffAction(cs, "viewer", "order.cancel").allowed).toBe(true);
    expect(decideStaffAction(cs, "viewer", "order.refund").allowed).toBe(true);
    expect(decideStaffAction(cs, "viewer", "rules.edit").allowed).toBe(false);
    expect(decideStaffAction(cs, "viewer", "order.change_location").allowed).toBe(false);
  });

  it("only admins and the owner manage staff; a request without a user may do nothing", () => {
    expect(ROLE_ACTIONS.manager).not.toContain("staff.manage");
    expect(ROLE_ACTIONS.admin).toContain("staff.manage");
    expect(decideStaffAction({ userId: null, accountOwner: false, role: null }, "admin", "order.cancel")).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("signed-in"),
    });
  });

  it("capabilities list every action with the reason for each refusal", () => {
    const caps = capabilitiesOf({ userId: "9", accountOwner: false, role: "warehouse" }, "viewer");
    expect(Object.keys(caps).sort()).toEqual([...STAFF_ACTIONS].sort());
    expect(caps["inventory.edit"]).toEqual({ allowed: true });
    expect(caps["order.cancel"]).toMatchObject({ allowed: false, reason: expect.stringContaining("Warehouse") });
  });
});
