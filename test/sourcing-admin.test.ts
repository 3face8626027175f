import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { RequestType, setUpValidRequest, USER_ID } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { activateRuleSet, saveLocationProfile } from "~/.server/db/sourcing";
import { saveLocations } from "~/.server/db/stock-settings";
import { env } from "~/.server/env";
import { closeQueues } from "~/.server/queue/queues";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import type { ActionResult } from "~/components/sourcing/format";
import { action, loader } from "~/routes/app.sourcing";
import { sessionStorage } from "~/shopify.server";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

// The sourcing page through its route: a real session token and the shop's offline session, so
// authenticate.admin runs for real. Rule sets, profiles and KPIs on a seeded shop; the what-if on
// orders placed in the dev shop and routed by the real pipeline.

const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();
const UA = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" };
const actor = `user:${USER_ID}`;

async function authed(store: string, path: string, init?: RequestInit) {
  return setUpValidRequest(
    { type: RequestType.Bearer, store, apiKey: APP_KEY, apiSecretKey: APP_SECRET },
    new Request(`http://localhost:3000${path}`, { ...init, headers: UA }),
  );
}
const pageOf = (store: string) => ({
  load: async (query = "") => loader({ request: await authed(store, `/app/sourcing${query}`), params: {}, context: {} }),
  post: async (fields: Record<string, string>): Promise<ActionResult> =>
    action({ request: await authed(store, "/app/sourcing", { method: "POST", body: new URLSearchParams(fields) }), params: {}, context: {} }),
});

type Draft = {
  name: string;
  rules: unknown[];
  split: { allow: boolean; maxShipments: number; minValue: string };
  backorder: { mode: string; waitDays?: number };
};
const draft = (over: Partial<Draft> = {}): Draft => ({
  name: "Closest first",
  rules: [{ type: "distance" }, { type: "priority" }],
  split: { allow: true, maxShipments: 2, minValue: "25.00" },
  backorder: { mode: "ship_available" },
  ...over,
});

describe("sourcing page on a seeded shop", () => {
  const STORE = "sourcing-admin";
  const shop = `${STORE}.myshopify.com`;
  const { load, post } = pageOf(STORE);
  const EDISON = "gid://shopify/Location/94001";
  const DALLAS = "gid://shopify/Location/94002";
  const versions = () =>
    db().sourcingRuleSet.findMany({
      where: { shop },
      orderBy: { version: "asc" },
      select: { version: true, status: true, name: true, definition: true, createdBy: true },
    });

  beforeAll(async () => {
    await sessionStorage.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_inventory" }),
    );
    await saveLocations(shop, [
      { id: EDISON, name: "Edison NJ", isActive: true, fulfillsOnlineOrders: true, countryCode: "US", latitude: 40.52, longitude: -74.41 },
      { id: DALLAS, name: "Dallas TX", isActive: true, fulfillsOnlineOrders: true, countryCode: "US", latitude: 32.78, longitude: -96.8 },
    ]);
    await saveLocationProfile(shop, { locationId: DALLAS, tags: "hub,retail" });
    await activateRuleSet(
      shop,
      "Launch rules",
      { rules: [{ type: "priority" }], split: { allow: false, maxShipments: 1, minValuePerShipmentMinor: 0 }, backorder: { mode: "hold_order" } },
      "seed",
      new Date(),
    );
  });
  afterAll(async () => {
    await closeQueues();
  });

  it("lists the versions and starts a new draft from the active one", async () => {
    const page = await load();
    expect(page.versions).toEqual([expect.objectContaining({ version: 1, name: "Launch rules", status: "active", createdBy: "seed" })]);
    expect(page.base).toMatchObject({
      label: "active v1",
      form: { rules: [{ type: "priority" }], split: { allow: false, maxShipments: 1, minValue: "0.00" }, backorder: { mode: "hold_order" } },
    });
    expect(page.locationTags).toEqual(["hub", "retail"]);
  });

  it("validates without saving, and saves a valid draft as the next version with money in minor units", async () => {
    expect(await post({ intent: "validate", definition: JSON.stringify(draft()) })).toMatchObject({
      form: "draft",
      ok: true,
      message: "The rule set is valid.",
    });
    expect(await versions()).toHaveLength(1);

    const withExclude = draft({ rules: [{ type: "distance" }, { type: "exclude", locationTag: "retail", whenProductTag: "hazmat" }] });
    expect(await post({ intent: "save-draft", definition: JSON.stringify(withExclude) })).toMatchObject({
      form: "draft",
      ok: true,
      message: "Saved as draft v2.",
      version: 2,
    });
    const saved = (await versions())[1]!;
    expect(saved).toMatchObject({ version: 2, status: "draft", name: "Closest first", createdBy: actor });
    expect(JSON.parse(saved.definition)).toEqual({
      rules: [{ type: "distance" }, { type: "exclude", locationTag: "retail", whenProductTag: "hazmat" }],
      split: { allow: true, maxShipments: 2, minValuePerShipmentMinor: 2500 },
      backorder: { mode: "ship_available" },
    });
    // The saved version is immutable: editing it saves v3, v2 stays as it was.
    expect(
      await post({
        intent: "save-draft",
        definition: JSON.stringify(draft({ name: "Closest first, 3 boxes", split: { allow: true, maxShipments: 3, minValue: "" } })),
      }),
    ).toMatchObject({ ok: true, version: 3 });
    expect((await versions()).map((v) => `${v.version}:${v.status}:${v.name}`)).toEqual([
      "1:active:Launch rules",
      "2:draft:Closest first",
      "3:draft:Closest first, 3 boxes",
    ]);
  });

  it("refuses an invalid draft with every problem in plain words, and saves nothing", async () => {
    const before = await versions();
    const bad = draft({
      rules: [
        { type: "distance" },
        { type: "exclude", locationId: "gid://shopify/Location/404" },
        { type: "exclude", locationTag: "frozen" },
        { type: "exclude" },
        { type: "distance" },
      ],
      split: { allow: true, maxShipments: 0, minValue: "1.234" },
      backorder: { mode: "wait_days" },
    });
    const res = await post({ intent: "save-draft", definition: JSON.stringify(bad) });
    expect(res).toMatchObject({ form: "draft", ok: false, message: "The rule set has problems; nothing was saved." });
    expect(res.codes).toEqual([
      "INVALID_MIN_VALUE",
      "INVALID_MAX_SHIPMENTS",
      "WAIT_DAYS_REQUIRED",
      "EMPTY_EXCLUDE",
      "DUPLICATE_RULE",
      "UNKNOWN_LOCATION",
      "UNKNOWN_LOCATION_TAG",
    ]);
    expect(res.errors).toEqual([
      "Minimum value per shipment must be an amount of 0 or more in the shop's currency, e.g. 25.00.",
      "Maximum shipments must be a whole number, at least 1.",
      "Waiting for stock needs a number of days: a whole number, at least 1.",
      "Rule 4 (Exclude) names neither a location nor a location tag, so it would exclude nothing.",
      "Rule 5 (Closest location) is already higher in the list; each ranking rule may appear once.",
      "Rule 2 (Exclude): location gid://shopify/Location/404 is not one of this shop's locations.",
      'Rule 3 (Exclude): no location has the tag "frozen". Add the tag to a location profile first.',
    ]);
    // A blank max-shipments field arrives as null and is reported the same way, not as an unreadable form.
    const blank = await post({ intent: "validate", definition: JSON.stringify(draft({ split: { allow: true, maxShipments: Number.NaN, minValue: "0" } })) });
    expect(blank).toMatchObject({ ok: false, codes: ["INVALID_MAX_SHIPMENTS"] });
    expect(await post({ intent: "save-draft", definition: "{not json" })).toMatchObject({ form: "draft", ok: false, codes: ["INVALID_FORM"] });
    expect(await versions()).toEqual(before);
  });

  it("activates a draft: the previous active version is archived and the change audited", async () => {
    expect(await post({ intent: "activate", version: "2" })).toMatchObject({ form: "versions", ok: true, version: 2 });
    const rows = await db().sourcingRuleSet.findMany({ where: { shop }, orderBy: { version: "asc" } });
    expect(rows.map((r) => `${r.version}:${r.status}`)).toEqual(["1:archived", "2:active", "3:draft"]);
    expect(rows[1]!.activatedAt).not.toBeNull();
    const audit = await db().auditEvent.findMany({ where: { shop, subject: "sourcing-rules" } });
    expect(audit).toEqual([expect.objectContaining({ actor, summary: 'Sourcing rules v2 "Closest first" activated' })]);

    // Only drafts: activating the active or an archived version again changes nothing.
    expect(await post({ intent: "activate", version: "2" })).toMatchObject({
      ok: false,
      codes: ["NOT_DRAFT"],
      errors: ["Only a draft can be activated; this version is active."],
    });
    expect(await post({ intent: "activate", version: "1" })).toMatchObject({ ok: false, codes: ["NOT_DRAFT"] });
    expect(await post({ intent: "activate", version: "99" })).toMatchObject({ ok: false, codes: ["NOT_FOUND"] });
    expect(await db().auditEvent.count({ where: { shop, subject: "sourcing-rules" } })).toBe(1);
    expect((await load()).base.label).toBe("active v2");
  });

  it("refuses to activate a draft that names a location tag no longer on any location", async () => {
    await db().sourcingRuleSet.create({
      data: {
        shop,
        version: 4,
        status: "draft",
        name: "Stale tag",
        createdBy: "seed",
        definition: JSON.stringify({
          rules: [{ type: "exclude", locationTag: "gone" }],
          split: { allow: true, maxShipments: 2, minValuePerShipmentMinor: 0 },
          backorder: { mode: "ship_available" },
        }),
      },
    });
    const res = await post({ intent: "activate", version: "4" });
    expect(res).toMatchObject({ ok: false, codes: ["INVALID"] });
    expect(res.errors).toContain('Rule 1 (Exclude): no location has the tag "gone". Add the tag to a location profile first.');
    expect((await db().sourcingRuleSet.findFirstOrThrow({ where: { shop, version: 4 } })).status).toBe("draft");
  });

  it("edits a location profile: invalid fields are refused, a valid profile is saved and audited", async () => {
    const profile = {
      intent: "profile",
      locationId: EDISON,
      kind: "store",
      priority: "5",
      dailyCapacity: "40",
      handlingCost: "3.50",
      costPerKm: "0.02",
      tags: "east, retail ,east",
      servesCountries: "us,ca",
    };
    const bad = await post({ ...profile, kind: "truck", priority: "-1", dailyCapacity: "2.5", handlingCost: "abc", servesCountries: "USA" });
    expect(bad).toMatchObject({
      form: "profile",
      ok: false,
      locationId: EDISON,
      codes: ["INVALID_KIND", "INVALID_COUNT", "INVALID_COUNT", "INVALID_MONEY", "INVALID_COUNTRY"],
    });
    expect(bad.errors).toEqual([
      "Kind must be warehouse, store, drop-ship or pickup.",
      "Priority must be a whole number, 0 or more.",
      "Daily capacity (blank = no limit) must be a whole number, 0 or more.",
      "Handling cost per shipment must be an amount of 0 or more in the shop's currency, e.g. 4.50.",
      '"USA" is not a two-letter country code (e.g. US, CA).',
    ]);
    expect(await post({ ...profile, locationId: "gid://shopify/Location/404" })).toMatchObject({ ok: false, codes: ["UNKNOWN_LOCATION"] });
    expect(await db().locationProfile.findUnique({ where: { shop_locationId: { shop, locationId: EDISON } } })).toBeNull();

    expect(await post(profile)).toMatchObject({ form: "profile", ok: true, message: "Profile of Edison NJ saved." });
    expect(await db().locationProfile.findUniqueOrThrow({ where: { shop_locationId: { shop, locationId: EDISON } } })).toMatchObject({
      kind: "store",
      priority: 5,
      dailyCapacity: 40,
      handlingCostMinor: 350,
      costPerKmMinor: 2,
      tags: "east,retail",
      servesCountries: "US,CA",
    });
    expect(await db().auditEvent.findMany({ where: { shop, subject: "location-profile" } })).toEqual([
      expect.objectContaining({ actor, summary: "Profile of Edison NJ saved (store, priority 5)" }),
    ]);
    // Blank capacity is "no limit".
    expect(await post({ ...profile, dailyCapacity: "" })).toMatchObject({ ok: true });
    const page = await load();
    expect(page.locations.find((l) => l.id === EDISON)).toMatchObject({
      explicit: true,
      kind: "store",
      priority: 5,
      dailyCapacity: null,
      handlingCost: "3.50",
      costPerKm: "0.02",
      tags: "east,retail",
      servesCountries: "US,CA",
    });
    expect(page.locations.find((l) => l.id === DALLAS)).toMatchObject({ explicit: true, kind: "warehouse", priority: 100, handlingCost: "0.00" });
    expect(page.audit.map((a) => a.subject)).toEqual(["location-profile", "location-profile", "sourcing-rules"]);

    // The shipping calendar, as typed: refused field by field, then saved and shown back.
    const badCalendar = await post({ ...profile, shipDays: "Mon, Funday", cutoff: "3pm", timeZone: "Mars/Olympus", closedDates: "2026-02-30" });
    expect(badCalendar).toMatchObject({ ok: false, codes: ["INVALID_SHIP_DAYS", "INVALID_CUTOFF", "INVALID_TIME_ZONE", "INVALID_CLOSED_DATES"] });
    expect(badCalendar.errors).toContain('"Mars/Olympus" is not a time zone; use a name such as America/New_York.');
    expect(
      await post({ ...profile, shipDays: "mon,tue,wed,thu,fri", cutoff: "15:30", timeZone: "America/New_York", closedDates: "2026-12-25, 2026-12-24" }),
    ).toMatchObject({ ok: true });
    expect(await db().locationProfile.findUniqueOrThrow({ where: { shop_locationId: { shop, locationId: EDISON } } })).toMatchObject({
      shipDays: "1,2,3,4,5",
      cutoffMinutes: 930,
      timeZone: "America/New_York",
      closedDates: "2026-12-24,2026-12-25",
    });
    expect((await load()).locations.find((l) => l.id === EDISON)).toMatchObject({
      shipDays: "Mon, Tue, Wed, Thu, Fri",
      cutoff: "15:30",
      timeZone: "America/New_York",
      closedDates: "2026-12-24, 2026-12-25",
      ships: "Mon–Fri until 15:30 · America/New_York · 2 closed dates",
    });
  });

  it("computes the KPIs from live decisions over the chosen window", async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const row = (orderId: string, outcome: string, applied: string, shipments: number, at: Date, mode = "live", backordered = 0) => ({
      shop,
      orderId,
      mode,
      ruleSetId: "rs",
      version: 1,
      outcome,
      applied,
      error: null,
      shipments,
      backordered,
      plan: "{}",
      at,
    });
    await db().routingDecision.createMany({
      data: [
        row("o1", "assigned", "applied", 1, hoursAgo(1)),
        row("o2", "split", "applied", 2, hoursAgo(2)),
        row("o3", "split", "rejected", 2, hoursAgo(3)),
        row("o4", "backordered", "applied", 1, hoursAgo(4), "live", 2),
        row("o5", "held", "unchanged", 0, hoursAgo(5)),
        row("o6", "assigned", "unchanged", 1, hoursAgo(6)),
        row("o1", "split", "not_applied", 2, hoursAgo(1), "dry_run"),
        row("o7", "assigned", "applied", 1, hoursAgo(72)),
        row("o8", "split", "unchanged", 3, hoursAgo(80)),
        row("o9", "split", "applied", 2, hoursAgo(24 * 40)),
      ],
    });
    expect((await load("?window=24h")).kpis).toEqual({
      routed: 6,
      firstAttemptRate: 3 / 6,
      splitRate: 2 / 6,
      shipmentsPerOrder: 7 / 6,
      backorderRate: 1 / 6,
      held: 1,
      rejectedByShopify: 1,
    });
    const week = { routed: 8, firstAttemptRate: 5 / 8, splitRate: 3 / 8, shipmentsPerOrder: 11 / 8, backorderRate: 1 / 8, held: 1, rejectedByShopify: 1 };
    expect((await load("?window=7d")).kpis).toEqual(week);
    expect((await load("?window=30d")).kpis).toEqual(week);
    expect((await load("?window=bogus")).window).toBe("7d");
  });

  it("rejects a request without a valid session token", async () => {
    const forged = await setUpValidRequest(
      { type: RequestType.Bearer, store: STORE, apiKey: APP_KEY, apiSecretKey: "not-the-secret" },
      new Request("http://localhost:3000/app/sourcing", { headers: UA }),
    );
    const thrown = await loader({ request: forged, params: {}, context: {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect((thrown as Response).status).toBe(401);
  });
});

describe("what-if against the dev shop", { timeout: 60_000 }, () => {
  const SHOP = "sourcing-whatif.myshopify.com";
  const { load, post } = pageOf("sourcing-whatif");
  // The what-if is a job: the page shows its progress while it runs and its result once done.
  const finished = (after: string | null) =>
    waitFor(
      async () => {
        const run = (await load()).whatIf;
        return run && run.id !== after && (run.state === "completed" || run.state === "failed") ? run : undefined;
      },
      20_000,
      "the what-if job to finish",
    );
  let close: () => Promise<void>;
  let orderNames: string[] = [];

  beforeAll(async () => {
    const dev = await connectedDevShop(SHOP, {});
    close = dev.close;
    await reconcileStock(SHOP, new Date());
    // Three orders to Austin, routed live under the default rules: Dallas, the closest, ships them.
    for (let i = 0; i < 3; i++) {
      const placed = (await (
        await dev.post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 1 }], shippingAddress: austin, email: `b${i}@example.com` })
      ).json()) as { orderId: string };
      const order = await waitFor(
        () =>
          db()
            .order.findFirst({ where: { shop: SHOP, sourceId: placed.orderId } })
            .then((o) => o ?? undefined),
        20_000,
        "the order",
      );
      await waitFor(
        () =>
          db()
            .routingDecision.findFirst({ where: { shop: SHOP, orderId: order.id, mode: "live" } })
            .then((d) => d ?? undefined),
        20_000,
        "the routing decision",
      );
      orderNames.push(order.name);
    }
    orderNames = orderNames.reverse();
  });
  afterAll(() => close?.());

  it("replays recent orders under a draft that ranks by cost: Dallas's handling cost sends them to Edison", async () => {
    const dallas = await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name: "Dallas TX" } });
    expect(
      await post({
        intent: "profile",
        locationId: dallas.id,
        kind: "warehouse",
        priority: "100",
        dailyCapacity: "",
        handlingCost: "50.00",
        costPerKm: "0",
        tags: "",
        servesCountries: "",
      }),
    ).toMatchObject({ ok: true });
    const saved = await post({
      intent: "save-draft",
      definition: JSON.stringify(draft({ name: "Cheapest first", rules: [{ type: "cost" }, { type: "distance" }] })),
    });
    expect(saved).toMatchObject({ ok: true, version: 1 });
    const decisionsBefore = await db().routingDecision.count({ where: { shop: SHOP } });

    const res = await post({ intent: "simulate", version: "1", orders: "" });
    expect(res).toMatchObject({ form: "simulate", ok: true });
    const run = await finished(null);
    expect(run).toMatchObject({ state: "completed", progress: 100, error: null });
    const w = run.whatIf!;
    expect(w).toMatchObject({ draftVersion: 1, baseline: "the default rule set", skipped: 0 });
    expect(w.active).toMatchObject({ orders: 3, splitRate: 0, shipmentsPerOrder: 1, capacityBreaches: 0, backorderedUnits: 0, held: 0 });
    expect(w.draft).toMatchObject({ orders: 3, splitRate: 0, shipmentsPerOrder: 1, capacityBreaches: 0, backorderedUnits: 0, held: 0 });
    // Austin: Dallas is about 300 km away, Edison about 2,400 km.
    expect(w.active.avgDistanceKm).toBeGreaterThan(250);
    expect(w.active.avgDistanceKm).toBeLessThan(350);
    expect(w.draft.avgDistanceKm).toBeGreaterThan(2_200);
    expect(w.draft.avgDistanceKm).toBeLessThan(2_600);
    expect(w.changed).toEqual(
      orderNames.map((name) => ({ orderId: expect.any(String), name, active: "assigned: Dallas TX ×1", draft: "assigned: Edison NJ ×1" })),
    );

    // The last N only, and read-only: no decision recorded, nothing moved.
    expect(await post({ intent: "simulate", version: "1", orders: "2" })).toMatchObject({ ok: true });
    const second = await finished(run.id);
    expect(second.progress).toBe(100);
    expect(second.whatIf!.changed.map((c) => c.name)).toEqual(orderNames.slice(0, 2));
    expect(await db().routingDecision.count({ where: { shop: SHOP } })).toBe(decisionsBefore);
    expect(await db().sourcingRuleSet.count({ where: { shop: SHOP, status: "active" } })).toBe(0);
    expect(await post({ intent: "simulate", version: "1", orders: "501" })).toMatchObject({ ok: false, codes: ["INVALID_FORM"] });
    // An unknown version is refused before any job is queued: the page still shows the last run.
    expect(await post({ intent: "simulate", version: "9", orders: "" })).toMatchObject({ ok: false, codes: ["NOT_FOUND"] });
    expect((await load()).whatIf?.id).toBe(second.id);
  });
});
