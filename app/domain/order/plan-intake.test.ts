import { describe, expect, it } from "vitest";
import { planIntake } from "./plan-intake";
import type { OrderSnapshot } from "./snapshot";

const snap = (over: Partial<OrderSnapshot> = {}): OrderSnapshot => ({
  sourceId: "gid://shopify/Order/1",
  name: "#1001",
  channel: "online_store",
  placedAt: new Date("2026-11-20T10:00:00Z"),
  updatedAt: new Date("2026-11-20T10:00:00Z"),
  cancelledAt: null,
  financialStatus: "paid",
  fulfillmentStatus: null,
  currency: "USD",
  totalMinor: 1000n,
  email: null,
  customerName: null,
  shippingAddress: null,
  tags: [],
  lines: [],
  ...over,
});

describe("planIntake: the channel's facts in one plan; release is the release rules' (on the read that follows)", () => {
  it("records a new paid order as received, without releasing it", () => {
    const plan = planIntake(null, snap(), "webhook orders/create");
    expect(plan).toMatchObject({ kind: "apply", state: "received", holdReason: undefined });
    if (plan.kind !== "apply") throw new Error("expected apply");
    expect(plan.timeline.map((e) => [e.kind, e.toState, e.owner])).toEqual([["received", "received", "commerce"]]);
  });

  it("leaves a hold as it is, and ignores a stale snapshot", () => {
    const stored = {
      state: "on_hold" as const,
      sourceUpdatedAt: new Date("2026-11-20T10:00:00Z"),
      financialStatus: "pending",
      fulfillmentStatus: null,
      holdReason: "awaiting payment",
    };
    expect(planIntake(stored, snap({ updatedAt: new Date("2026-11-20T11:00:00Z") }), "x")).toMatchObject({ state: "on_hold", holdReason: undefined });
    expect(planIntake(stored, snap({ updatedAt: new Date("2026-11-20T09:00:00Z") }), "x")).toEqual({ kind: "stale" });
  });
});
