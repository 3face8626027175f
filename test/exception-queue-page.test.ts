// The exception queue page through its route: filters, bulk assign/snooze/resolve with the staff
// member recorded in the audit trail, refusals as messages, safe replays and their refusals, and
// the manual exception load per 100 orders.
import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { RequestType, setUpValidRequest, USER_ID } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { findException } from "~/.server/db/exceptions";
import { env } from "~/.server/env";
import { raiseException } from "~/.server/services/exceptions/raise-exception";
import { action, loader } from "~/routes/app.exceptions._index";
import { sessionStorage } from "~/shopify.server";

const STORE = "queue-page";
const shop = `${STORE}.myshopify.com`;
const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

async function authed(path: string, init?: RequestInit) {
  const req = new Request(`http://localhost:3000${path}`, { ...init, headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" } });
  return setUpValidRequest({ type: RequestType.Bearer, store: STORE, apiKey: APP_KEY, apiSecretKey: APP_SECRET }, req);
}
const load = async (q = "") => loader({ request: await authed(`/app/exceptions${q}`), params: {}, context: {} });
const post = async (fields: Record<string, string>) =>
  action({ request: await authed("/app/exceptions", { method: "POST", body: new URLSearchParams(fields) }), params: {}, context: {} });

describe("exception queue page", () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    await sessionStorage.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" }),
    );
    ids.stuck = (
      await raiseException(
        { shop, kind: "stuck_before_allocation", severity: "critical", subjectKey: "o-1", orderId: "o-1", summary: "#1001 stuck" },
        hoursAgo(30),
      )
    ).id;
    ids.late = (
      await raiseException(
        { shop, kind: "allocation_no_shipment", severity: "warning", subjectKey: "o-2", orderId: "o-2", summary: "#1002 not shipped" },
        hoursAgo(5),
      )
    ).id;
    ids.refund = (
      await raiseException(
        { shop, kind: "cancelled_not_refunded", severity: "critical", subjectKey: "o-3", orderId: "o-3", summary: "#1003 not refunded" },
        hoursAgo(0.2),
      )
    ).id;
    // Another shop's item is never listed or changed from here.
    ids.other = (
      await raiseException(
        { shop: "someone-else.myshopify.com", kind: "stuck_before_allocation", severity: "critical", subjectKey: "x", summary: "other shop" },
        hoursAgo(1),
      )
    ).id;
    for (let i = 0; i < 40; i++)
      await db().order.create({
        data: {
          shop,
          channel: "online_store",
          sourceId: `gid://shopify/Order/77${i}`,
          name: `#77${i}`,
          state: "delivered",
          currency: "USD",
          totalMinor: 1000n,
          placedAt: hoursAgo(24),
          sourceUpdatedAt: hoursAgo(24),
        },
      });
  });

  it("lists open items oldest first with age, replay and the load per 100 orders; filters by kind, severity and age", async () => {
    const page = await load();
    expect(page.items.map((i) => i.summary)).toEqual(["#1001 stuck", "#1002 not shipped", "#1003 not refunded"]);
    expect(page.items[0]).toMatchObject({ age: "30 h", replay: { available: true, label: "Re-route the order (routing job)" } });
    expect(page.items[2]!.replay).toMatchObject({ available: false, code: "WOULD_DUPLICATE_REFUND" });
    expect(page.loadPer100).toBe(7.5); // 3 items over 40 orders in 30 days
    expect(page.critical).toBe(2);
    expect((await load("?severity=critical")).items).toHaveLength(2);
    expect((await load("?kind=allocation_no_shipment")).items.map((i) => i.id)).toEqual([ids.late]);
    expect((await load("?age=gt24h")).items.map((i) => i.id)).toEqual([ids.stuck]);
    expect((await load("?age=lt1h")).items.map((i) => i.id)).toEqual([ids.refund]);
  });

  it("assigns and snoozes in bulk, audited with the staff member; snoozed items leave the open list", async () => {
    expect(await post({ intent: "assign", ids: `${ids.stuck},${ids.late},${ids.other}`, assignee: "sam@shop" })).toEqual({
      ok: true,
      message: "2 items updated.",
    });
    expect((await load("?assignee=sam%40shop")).items).toHaveLength(2);
    expect((await db().opsException.findUniqueOrThrow({ where: { id: ids.other } })).assignee).toBeNull();
    expect(await post({ intent: "snooze", ids: ids.late!, hours: "4" })).toMatchObject({ ok: true });
    expect((await load()).items.map((i) => i.id)).not.toContain(ids.late);
    expect((await load("?status=snoozed")).items.map((i) => i.id)).toEqual([ids.late]);
    const audit = await db().auditEvent.findMany({ where: { shop, subject: "exception-queue" }, orderBy: { at: "asc" } });
    expect(audit.map((a) => [a.actor, a.summary])).toEqual([
      [`user:${USER_ID}`, "3 items assigned to sam@shop"],
      [`user:${USER_ID}`, expect.stringMatching(/^1 item snoozed until /)],
    ]);
    expect(JSON.parse(audit[0]!.data!).ids.sort()).toEqual([ids.stuck, ids.late].sort());
  });

  it("resolves only with a note; resolving twice changes nothing the second time", async () => {
    expect(await post({ intent: "resolve", ids: ids.stuck!, note: "" })).toEqual({
      ok: false,
      message: "Say how it was resolved (a note of at least 3 characters).",
    });
    expect(await post({ intent: "resolve", ids: ids.stuck!, note: "re-routed by hand to Dallas" })).toEqual({ ok: true, message: "1 item updated." });
    expect(await post({ intent: "resolve", ids: ids.stuck!, note: "again" })).toEqual({ ok: true, message: "0 items updated." });
    expect(await findException(shop, "stuck_before_allocation", "o-1")).toMatchObject({
      status: "resolved",
      resolvedBy: `user:${USER_ID}`,
      resolution: "re-routed by hand to Dallas",
    });
  });

  it("refuses a replay that could refund twice, with the reason", async () => {
    const r = await post({ intent: "replay", id: ids.refund! });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/refund the customer twice/);
  });
});
