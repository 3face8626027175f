// The KPI dashboard through its routes: the period's figures against the previous period, and each
// chart's data as CSV.
import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { env } from "~/.server/env";
import { loader as csv } from "~/routes/app.dashboard.csv";
import { loader } from "~/routes/app.dashboard";
import { sessionStorage } from "~/shopify.server";

const STORE = "dashboard-page";
const shop = `${STORE}.myshopify.com`;
const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();
const authed = (path: string) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: STORE, apiKey: APP_KEY, apiSecretKey: APP_SECRET },
    new Request(`http://localhost:3000${path}`, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" } }),
  );
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, d, h));

describe("dashboard", () => {
  beforeAll(async () => {
    await sessionStorage.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" }),
    );
    // Two orders in the period (one split, shipped after 6 h), one in the previous period.
    for (const [i, placed, outcome] of [
      [1, day(20), "assigned"],
      [2, day(21), "split"],
      [3, day(5), "assigned"],
    ] as const) {
      const o = await db().order.create({
        data: {
          shop,
          channel: i === 2 ? "amazon" : "online_store",
          sourceId: `gid://shopify/Order/55${i}`,
          name: `#55${i}`,
          state: "shipped",
          currency: "USD",
          totalMinor: 100n,
          placedAt: placed,
          sourceUpdatedAt: placed,
        },
      });
      await db().routingDecision.create({
        data: {
          shop,
          orderId: o.id,
          mode: "live",
          ruleSetId: "r",
          version: 1,
          outcome,
          applied: "applied",
          shipments: outcome === "split" ? 2 : 1,
          backordered: 0,
          plan: "{}",
          at: placed,
        },
      });
      await db().orderEvent.create({
        data: {
          orderId: o.id,
          shop,
          at: new Date(placed.getTime() + 6 * 3_600_000),
          kind: "transition",
          summary: "shipped",
          toState: "shipped",
          actor: "t",
          source: "oms",
          dedupeKey: "t:shipped",
        },
      });
    }
  });

  it("shows the period's KPIs and the change from the previous period", async () => {
    const v = await loader({ request: await authed("/app/dashboard?from=2026-11-16&to=2026-11-29"), params: {}, context: {} });
    expect(v.summary).toMatchObject({
      orders: 2,
      splitRate: 50,
      firstAttemptAllocationRate: 100,
      shipHoursP50: 6,
      ordersByChannel: { online_store: 1, amazon: 1 },
    });
    expect(v.before).toMatchObject({ orders: 1, splitRate: 0 });
    expect(v.changes).toMatchObject({ orders: 100, splitRate: 50 });
    expect(v.days).toHaveLength(14);
    expect(v.promise).toBeNull();
  });

  it("exports each chart's data as CSV, and refuses an unknown chart", async () => {
    const res = (await csv({
      request: await authed("/app/dashboard/csv?chart=orders-by-channel&from=2026-11-16&to=2026-11-29"),
      params: {},
      context: {},
    })) as Response;
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe("day,amazon,online_store");
    expect(lines).toContain("2026-11-20,0,1");
    expect(lines).toContain("2026-11-21,1,0");
    const rates = await (
      (await csv({ request: await authed("/app/dashboard/csv?chart=rates&from=2026-11-16&to=2026-11-29"), params: {}, context: {} })) as Response
    ).text();
    expect(rates).toContain("splitRate,50,0,50");
    expect(((await csv({ request: await authed("/app/dashboard/csv?chart=nope"), params: {}, context: {} })) as Response).status).toBe(400);
  });
});
