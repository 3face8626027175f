// The Monitors page: thresholds and alert settings saved through the route, validated, and audited
// with the staff member and what changed.
import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { RequestType, setUpValidRequest, USER_ID } from "@shopify/shopify-api/test-helpers";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { readThresholds } from "~/.server/db/monitor-queries";
import { env } from "~/.server/env";
import { action, loader } from "~/routes/app.monitors";
import { sessionStorage } from "~/shopify.server";

const STORE = "monitors-page";
const shop = `${STORE}.myshopify.com`;
const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();
const authed = (init?: RequestInit) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store: STORE, apiKey: APP_KEY, apiSecretKey: APP_SECRET },
    new Request("http://localhost:3000/app/monitors", { ...init, headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" } }),
  );
const form = {
  intent: "settings",
  stuckBeforeAllocationMinutes: "45",
  allocationSlaMinutes: "1440",
  locationSlaMinutes: "gid://shopify/Location/7 = 240",
  statusSyncMinutes: "2880",
  paymentWindowHours: "24",
  paymentGraceMinutes: "15",
  refundWindowHours: "72",
  refundGraceMinutes: "30",
  alertEmail: "ops@example.com",
  alertWebhookUrl: "",
  digestMinutes: "15",
};
const post = async (fields: Record<string, string>) =>
  action({ request: await authed({ method: "POST", body: new URLSearchParams(fields) }), params: {}, context: {} });

describe("monitors page", () => {
  beforeAll(async () => {
    await sessionStorage.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" }),
    );
  });

  it("shows the five monitors with the default thresholds", async () => {
    const page = await loader({ request: await authed(), params: {}, context: {} });
    expect(page.monitors.map((m) => m.kind)).toEqual([
      "stuck_before_allocation",
      "allocation_no_shipment",
      "shipment_status_unsynced",
      "payment_no_order",
      "refund_no_posting",
    ]);
    expect(page.settings).toMatchObject({ stuckBeforeAllocationMinutes: 30, allocationSlaMinutes: 1440, updatedBy: "default" });
  });

  it("saves valid settings, audited with the staff member and the changes", async () => {
    expect(await post(form)).toEqual({ ok: true, message: "Saved: stuckBeforeAllocationMinutes, locationSlaMinutes, alertEmail." });
    expect(await readThresholds(shop)).toMatchObject({
      stuckBeforeAllocationMinutes: 45,
      locationSlaMinutes: { "gid://shopify/Location/7": 240 },
      alertEmail: "ops@example.com",
      updatedBy: `user:${USER_ID}`,
    });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { shop, subject: "monitor-thresholds" } });
    expect(audit.actor).toBe(`user:${USER_ID}`);
    expect(audit.summary).toContain("stuckBeforeAllocationMinutes 30 → 45");
    expect(await post(form)).toEqual({ ok: true, message: "Nothing changed." });
  });

  it("refuses out-of-range thresholds and malformed lines, changing nothing", async () => {
    expect(await post({ ...form, stuckBeforeAllocationMinutes: "0" })).toEqual({
      ok: false,
      message: "stuckBeforeAllocationMinutes must be a whole number from 1 to 10080.",
    });
    expect((await post({ ...form, locationSlaMinutes: "Dallas = 3" })).ok).toBe(false);
    expect((await readThresholds(shop)).stuckBeforeAllocationMinutes).toBe(45);
    expect(await db().auditEvent.count({ where: { shop, subject: "monitor-thresholds" } })).toBe(1);
  });
});
