// The exception queue's raise: one item per (shop, kind, subject), counted rather than duplicated
// while open, reopened when it recurs after resolution, and safe when raisers race.
import { describe, expect, it } from "vitest";
import { findException } from "~/.server/db/exceptions";
import { clearException, raiseException } from "~/.server/services/exceptions/raise-exception";

const SHOP = "exceptions.myshopify.com";
const at = (m: number) => new Date(Date.UTC(2026, 11, 1, 12, m));
const base = { shop: SHOP, kind: "promise_at_risk" as const, severity: "warning" as const, orderId: null };

describe("exception queue: raise", () => {
  it("raises once, counts repeats, reopens after resolution", async () => {
    const first = await raiseException({ ...base, subjectKey: "order-1", summary: "Edison misses Thu" }, at(0));
    expect(first.effect).toBe("created");
    const again = await raiseException({ ...base, subjectKey: "order-1", summary: "Edison misses Thu (still)" }, at(5));
    expect(again).toEqual({ id: first.id, effect: "seen_again" });
    let row = await findException(SHOP, "promise_at_risk", "order-1");
    expect(row).toMatchObject({ status: "open", occurrences: 2, raisedAt: at(0), lastSeenAt: at(5), summary: "Edison misses Thu (still)" });

    expect(await clearException(SHOP, "promise_at_risk", "order-1", "user:ops@shop", "re-routed to Reno", at(6))).toBe(true);
    expect(await clearException(SHOP, "promise_at_risk", "order-1", "user:ops@shop", "twice", at(7))).toBe(false);
    row = await findException(SHOP, "promise_at_risk", "order-1");
    expect(row).toMatchObject({ status: "resolved", resolvedBy: "user:ops@shop", resolution: "re-routed to Reno" });

    const recur = await raiseException({ ...base, subjectKey: "order-1", summary: "misses again" }, at(9));
    expect(recur).toEqual({ id: first.id, effect: "reopened" });
    row = await findException(SHOP, "promise_at_risk", "order-1");
    expect(row).toMatchObject({ status: "open", raisedAt: at(9), resolvedAt: null, occurrences: 3 });
  });

  it("racing raisers of one case make one item", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => raiseException({ ...base, subjectKey: "order-race", summary: "race" }, at(1))));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.effect === "created")).toHaveLength(1);
    expect((await findException(SHOP, "promise_at_risk", "order-race"))?.occurrences).toBe(8);
  });
});
