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

describe("planIntake: the channel's facts, then the OMS's release decision, in one plan", () => {
  it("releases a new paid order, as the OMS's own step", () => {
    const plan = planIntake(null, snap(), "webhook orders/create");
    expect(plan).toMatchObject({ kind: "apply", state: "released", holdReason: null });
    if (plan.kind !== "apply") throw new Error("expected apply");
    expect(plan.timeline.map((e) => [e.kind, e.toState, e.owner, e.actor ?? "(recorder)"])).toEqual([
      ["received", "received", "commerce", "(recorder)"],
      ["transition", "released", "oms", "oms:release-policy"],
    ]);
  });

  it("holds an order awaiting payment, and releases that hold when a later snapshot is paid", () => {
    const held = planIntake(null, snap({ financialStatus: "pending" }), "webhook orders/create");
    expect(held).toMatchObject({ state: "on_hold", holdReason: "awaiting payment" });
    const stored = { state: "on_hold" as const, sourceUpdatedAt: new Date("2026-11-20T10:00:00Z"), financialStatus: "pending", fulfillmentStatus: null, holdReason: "awaiting payment" };
    const paid = planIntake(stored, snap({ updatedAt: new Date("2026-11-20T11:00:00Z") }), "webhook orders/updated");
    expect(paid).toMatchObject({ state: "released", holdReason: null });
  });

  it("leaves a hold for any other reason to a person, and ignores a stale snapshot", () => {
    const stored = { state: "on_hold" as const, sourceUpdatedAt: new Date("2026-11-20T10:00:00Z"), financialStatus: "pending", fulfillmentStatus: null, holdReason: "fraud review" };
    expect(planIntake(stored, snap({ updatedAt: new Date("2026-11-20T11:00:00Z") }), "x")).toMatchObject({ state: "on_hold", holdReason: undefined });
    expect(planIntake(stored, snap({ updatedAt: new Date("2026-11-20T09:00:00Z") }), "x")).toEqual({ kind: "stale" });
  });
});
