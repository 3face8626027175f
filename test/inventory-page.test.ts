import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { RequestType, setUpValidRequest, USER_ID } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { withOrderLock } from "~/.server/db/order-lock";
import { applyOrderReservations, recordObservedLevels, type ObservedLevel } from "~/.server/db/stock";
import { recordDrift, saveLocations } from "~/.server/db/stock-settings";
import { env } from "~/.server/env";
import { closeQueues, queue } from "~/.server/queue/queues";
import { jobs as jobDefs } from "~/.server/queue/definitions";
import { action, loader } from "~/routes/app.inventory";
import { sessionStorage } from "~/shopify.server";

// The inventory page through its route: a real session token (signed like Shopify admin signs
// one) and the shop's offline session, so authenticate.admin runs for real; seeded through the
// repositories; the actions write through the services (and enqueue on the per-run Redis prefix).

const STORE = "inventory-page";
const shop = `${STORE}.myshopify.com`;
const EDISON = "gid://shopify/Location/91001";
const DALLAS = "gid://shopify/Location/91002";
const SEATTLE = "gid://shopify/Location/91003";
const TEE_M = "gid://shopify/InventoryItem/91101";
const TEE_L = "gid://shopify/InventoryItem/91102";
const MUG = "gid://shopify/InventoryItem/91103";
const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

async function install(store: string) {
  const s = `${store}.myshopify.com`;
  await sessionStorage.storeSession(
    new Session({ id: `offline_${s}`, shop: s, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_inventory,write_inventory" }),
  );
}

async function authed(store: string, path: string, init?: RequestInit) {
  // A browser User-Agent: shopify-app-remix answers bots (and an empty agent may look like one) with 410.
  const req = new Request(`http://localhost:3000${path}`, { ...init, headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" } });
  return setUpValidRequest({ type: RequestType.Bearer, store, apiKey: APP_KEY, apiSecretKey: APP_SECRET }, req);
}

const load = async (query = "", store = STORE) => loader({ request: await authed(store, `/app/inventory${query}`), params: {}, context: {} });
const post = async (fields: Record<string, string>) =>
  action({ request: await authed(STORE, "/app/inventory", { method: "POST", body: new URLSearchParams(fields) }), params: {}, context: {} });

const level = (
  inventoryItemId: string,
  locationId: string,
  sku: string | null,
  title: string,
  q: Partial<ObservedLevel["q"]> & { onHand: number },
): ObservedLevel => ({
  inventoryItemId,
  locationId,
  sku,
  variantId: null,
  title,
  q: { available: q.onHand, committed: 0, unavailable: 0, heldBack: 0, ...q },
});

const counts = async () => ({
  rules: await db().safetyStockRule.count({ where: { shop } }),
  audit: await db().auditEvent.count({ where: { shop } }),
  safety: (await db().stockLevel.findMany({ where: { shop }, orderBy: { id: "asc" }, select: { safetyStock: true } })).map((l) => l.safetyStock),
});

describe("inventory page (route loader and action)", () => {
  beforeAll(async () => {
    await install(STORE);
    await saveLocations(shop, [
      { id: EDISON, name: "Edison NJ", isActive: true, fulfillsOnlineOrders: true, countryCode: "US", latitude: null, longitude: null },
      { id: DALLAS, name: "Dallas TX", isActive: true, fulfillsOnlineOrders: true, countryCode: "US", latitude: null, longitude: null },
      { id: SEATTLE, name: "Seattle WA", isActive: true, fulfillsOnlineOrders: false, countryCode: "US", latitude: null, longitude: null },
    ]);
    // A location rule at Dallas (1 unit), seeded directly, and the levels created with it applied.
    await db().safetyStockRule.create({ data: { shop, locationId: DALLAS, inventoryItemId: "", quantity: 1, updatedBy: "seed" } });
    const rule = (_item: string, loc: string) => (loc === DALLAS ? 1 : 0);
    await recordObservedLevels(
      shop,
      [
        level(TEE_M, EDISON, "TEE-M", "Tee M", { onHand: 10, committed: 2, unavailable: 1, available: 7 }),
        level(TEE_L, EDISON, "TEE-L", "Tee L", { onHand: 3 }),
        level(TEE_M, SEATTLE, "TEE-M", "Tee M", { onHand: 4 }),
      ],
      minutesAgo(5),
      rule,
    );
    // Dallas's feed is three hours old: stale under the default 60 minutes.
    await recordObservedLevels(
      shop,
      [level(TEE_M, DALLAS, "TEE-M", "Tee M", { onHand: 5 }), level(MUG, DALLAS, "MUG", "Mug", { onHand: 0 })],
      minutesAgo(180),
      rule,
    );
    const reserved = await withOrderLock(shop, "o1", () =>
      applyOrderReservations(
        shop,
        "o1",
        () => [{ kind: "reserve", inventoryItemId: TEE_M, locationId: EDISON, quantity: 3, key: "order:o1:reserve" }],
        minutesAgo(4),
        "test",
      ),
    );
    expect(reserved.shortfalls).toEqual([]);
    // Drift: an exception open for two hours, and one healed (resolved) finding.
    await recordDrift(
      shop,
      [
        {
          kind: "ledger_balance",
          key: `ledger_balance:${TEE_L}:${EDISON}`,
          inventoryItemId: TEE_L,
          locationId: EDISON,
          reference: null,
          expected: 3,
          actual: 4,
          outcome: "exception",
          note: "on hand differs from the ledger's observations",
        },
      ],
      minutesAgo(125),
    );
    await recordDrift(
      shop,
      [
        {
          kind: "ledger_balance",
          key: `ledger_balance:${TEE_L}:${EDISON}`,
          inventoryItemId: TEE_L,
          locationId: EDISON,
          reference: null,
          expected: 3,
          actual: 4,
          outcome: "exception",
          note: "on hand differs from the ledger's observations",
        },
        {
          kind: "orphan_reservation",
          key: `orphan_reservation:o9:${TEE_M}:${DALLAS}`,
          inventoryItemId: TEE_M,
          locationId: DALLAS,
          reference: "o9",
          expected: 0,
          actual: 1,
          outcome: "healed",
          note: "release 1",
        },
      ],
      minutesAgo(10),
    );
  });
  afterAll(async () => {
    await closeQueues();
  });

  it("lists every level by SKU then location with the domain's ATP, stale flags and location names", async () => {
    const page = await load();
    expect(page.policy).toEqual({ staleFeed: "fail_closed", staleAfterMinutes: 60, explicit: false, updatedBy: "default" });
    expect(page.levels.map((l) => `${l.sku}@${l.location}`)).toEqual([
      "MUG@Dallas TX",
      "TEE-L@Edison NJ",
      "TEE-M@Edison NJ",
      "TEE-M@Dallas TX",
      "TEE-M@Seattle WA",
    ]);
    const teeEdison = page.levels.find((l) => l.sku === "TEE-M" && l.location === "Edison NJ")!;
    // 10 on hand − max(3 reserved, 2 committed) − 0 safety − 1 unavailable.
    expect(teeEdison).toMatchObject({
      title: "Tee M",
      onHand: 10,
      reserved: 3,
      committed: 2,
      safetyStock: 0,
      unavailable: 1,
      atp: 6,
      shopifyAvailable: 7,
      heldBack: 0,
      stale: false,
    });
    // Fail-closed (the default): the stale Dallas level promises nothing.
    const teeDallas = page.levels.find((l) => l.sku === "TEE-M" && l.location === "Dallas TX")!;
    expect(teeDallas).toMatchObject({ onHand: 5, safetyStock: 1, atp: 0, stale: true });
    expect(new Date(teeDallas.observedAt!).getTime()).toBeLessThan(Date.now() - 170 * 60_000);
    expect(page.next).toBeNull();
    expect(page.locations.map((l) => l.name)).toEqual(["Dallas TX", "Edison NJ", "Seattle WA"]);
    // Channels: online = Edison + Dallas (Seattle does not sell online).
    expect(page.channels.find((c) => c.sku === "TEE-M")).toMatchObject({ locations: 3, online: 6, all: 10 });
  });

  it("filters by SKU (contains or prefix), location, stale only and zero ATP only", async () => {
    const skus = async (q: string) => (await load(q)).levels.map((l) => `${l.sku}@${l.location}`);
    expect(await skus("?sku=EE-M")).toEqual(["TEE-M@Edison NJ", "TEE-M@Dallas TX", "TEE-M@Seattle WA"]);
    expect(await skus("?sku=EE")).toHaveLength(4);
    expect(await skus("?sku=EE&match=prefix")).toEqual([]);
    expect(await skus("?sku=TEE-&match=prefix")).toHaveLength(4);
    expect(await skus(`?location=${encodeURIComponent(DALLAS)}`)).toEqual(["MUG@Dallas TX", "TEE-M@Dallas TX"]);
    expect(await skus("?stale=1")).toEqual(["MUG@Dallas TX", "TEE-M@Dallas TX"]);
    expect(await skus("?stale=1&sku=TEE")).toEqual(["TEE-M@Dallas TX"]);
    expect(await skus("?zero=1")).toEqual(["MUG@Dallas TX", "TEE-M@Dallas TX"]);
    expect(await skus(`?zero=1&location=${encodeURIComponent(EDISON)}`)).toEqual([]);
  });

  it("reports open drift with its age and the recently resolved findings", async () => {
    const { drift } = await load();
    expect(drift.open).toHaveLength(1);
    expect(drift.open[0]).toMatchObject({
      kind: "ledger_balance",
      item: "TEE-L",
      location: "Edison NJ",
      expected: 3,
      actual: 4,
      outcome: "exception",
      note: "on hand differs from the ledger's observations",
      age: "2 h 5 min",
    });
    expect(drift.resolved).toEqual([
      expect.objectContaining({ kind: "orphan_reservation", item: "TEE-M", location: "Dallas TX", outcome: "healed", reference: "o9" }),
    ]);
  });

  it("refuses a negative safety stock with a clear error and writes nothing", async () => {
    const before = await counts();
    const res = await post({ intent: "safety-stock", scope: "item", sku: "TEE-M", quantity: "-1" });
    expect(res).toMatchObject({ form: "safety-stock", ok: false, code: "INVALID_QUANTITY", message: "Quantity must be a whole number from 0 to 1,000,000." });
    expect(await post({ intent: "safety-stock", scope: "item", sku: "TEE-M", quantity: "" })).toMatchObject({ ok: false, code: "INVALID_QUANTITY" });
    expect(await post({ intent: "safety-stock", scope: "item", sku: "TEE-M", quantity: "1.5" })).toMatchObject({ ok: false, code: "INVALID_QUANTITY" });
    expect(await post({ intent: "safety-stock", scope: "location", locationId: "gid://shopify/Location/404", quantity: "2" })).toMatchObject({
      ok: false,
      code: "UNKNOWN_LOCATION",
      message: expect.stringMatching(/^Unknown location/),
    });
    expect(await post({ intent: "safety-stock", scope: "item", sku: "NOPE-1", quantity: "2" })).toMatchObject({
      ok: false,
      code: "UNKNOWN_SKU",
      message: 'Unknown SKU "NOPE-1": no inventory level of this shop has that SKU.',
    });
    expect(await post({ intent: "safety-stock", scope: "item_location", sku: "TEE-M", quantity: "2" })).toMatchObject({ ok: false, code: "LOCATION_REQUIRED" });
    expect(await counts()).toEqual(before);
  });

  it("sets safety stock for an item at a location by SKU: rule, level, audit, push queued and the new ATP", async () => {
    const res = await post({ intent: "safety-stock", scope: "item_location", sku: "TEE-M", locationId: EDISON, quantity: "2" });
    expect(res).toMatchObject({ form: "safety-stock", ok: true, message: "Safety stock set to 2; 1 level updated and queued for push." });

    const actor = `user:${USER_ID}`;
    expect(
      await db().safetyStockRule.findMany({ where: { shop, inventoryItemId: TEE_M }, select: { locationId: true, quantity: true, updatedBy: true } }),
    ).toEqual([{ locationId: EDISON, quantity: 2, updatedBy: actor }]);
    const levels = await db().stockLevel.findMany({ where: { shop, inventoryItemId: TEE_M }, select: { locationId: true, safetyStock: true } });
    expect(Object.fromEntries(levels.map((l) => [l.locationId, l.safetyStock]))).toEqual({ [EDISON]: 2, [DALLAS]: 1, [SEATTLE]: 0 });
    const audit = await db().auditEvent.findMany({ where: { shop, subject: "safety-stock" } });
    expect(audit).toEqual([expect.objectContaining({ actor, summary: "Safety stock set to 2 (item at location)" })]);
    const jobs = await queue("inventory").getJobs(["waiting", "delayed"]);
    expect(jobs.some((j) => j.name === "inventory-sync" && j.data.shop === shop && j.data.inventoryItemIds.includes(TEE_M))).toBe(true);

    const page = await load("?sku=TEE-M");
    // 10 − max(3, 2) − 2 − 1.
    expect(page.levels.find((l) => l.location === "Edison NJ")).toMatchObject({ safetyStock: 2, atp: 4 });
    expect(page.rules).toEqual([
      expect.objectContaining({ scope: "location", location: "Dallas TX", item: null, quantity: 1, updatedBy: "seed" }),
      expect.objectContaining({ scope: "item at location", location: "Edison NJ", item: "TEE-M", quantity: 2, updatedBy: actor }),
    ]);
    expect(page.audit[0]).toMatchObject({ subject: "safety-stock", actor, summary: "Safety stock set to 2 (item at location)" });
  });

  it("removes a rule from the rules list, and the level falls back to the next rule", async () => {
    const res = await post({ intent: "remove-rule", locationId: EDISON, inventoryItemId: TEE_M });
    expect(res).toMatchObject({ ok: true, message: "Rule removed; 1 level updated and queued for push." });
    expect((await db().stockLevel.findFirstOrThrow({ where: { shop, inventoryItemId: TEE_M, locationId: EDISON } })).safetyStock).toBe(0);
    expect((await load()).audit[0]).toMatchObject({ summary: "Safety stock rule removed (item at location)" });
  });

  it("chooses the stale-feed policy explicitly: fail-open sells a stale level's last ATP", async () => {
    expect(await post({ intent: "policy", staleFeed: "fail_open", staleAfterMinutes: "0" })).toMatchObject({
      form: "policy",
      ok: false,
      code: "INVALID_POLICY",
    });
    expect(await post({ intent: "policy", staleFeed: "fail_open", staleAfterMinutes: "120" })).toMatchObject({ form: "policy", ok: true });
    const page = await load();
    expect(page.policy).toMatchObject({ staleFeed: "fail_open", staleAfterMinutes: 120, explicit: true, updatedBy: `user:${USER_ID}` });
    // Still stale (three hours > two), but fail-open: 5 on hand − 1 safety stock.
    expect(page.levels.find((l) => l.sku === "TEE-M" && l.location === "Dallas TX")).toMatchObject({ stale: true, atp: 4 });
    expect(page.audit[0]).toMatchObject({ subject: "inventory-policy", summary: expect.stringContaining("fail-open") });
  });

  it("queues a reconcile on demand, once per minute", async () => {
    expect(await post({ intent: "reconcile" })).toMatchObject({ form: "reconcile", ok: true });
    await post({ intent: "reconcile" });
    const jobs = (await queue(jobDefs.inventoryReconcile.queue).getJobs(["waiting", "delayed"])).filter(
      (j) => j.name === "inventory-reconcile" && j.data.shop === shop && String(j.data.reason).startsWith("manual-"),
    );
    expect(jobs.length).toBeGreaterThanOrEqual(1);
    expect(jobs.length).toBeLessThanOrEqual(2); // two only if the clock crossed a minute between the clicks
  });

  it("rejects a request without a valid session token", async () => {
    const forged = await setUpValidRequest(
      { type: RequestType.Bearer, store: STORE, apiKey: APP_KEY, apiSecretKey: "not-the-secret" },
      new Request("http://localhost:3000/app/inventory", { headers: { "user-agent": "Mozilla/5.0 Chrome/126.0" } }),
    );
    const thrown = await loader({ request: forged, params: {}, context: {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(401);
  });
});

describe("inventory page pagination", () => {
  const many = "inventory-many";
  const manyShop = `${many}.myshopify.com`;
  const LOCS = ["gid://shopify/Location/92001", "gid://shopify/Location/92002"];
  beforeAll(async () => {
    await install(many);
    await saveLocations(
      manyShop,
      LOCS.map((id, i) => ({ id, name: `Warehouse ${i + 1}`, isActive: true, fulfillsOnlineOrders: true, countryCode: null, latitude: null, longitude: null })),
    );
    // 130 items at two locations (three in four with nothing on hand), plus 10 items without a SKU:
    // 280 levels, more than one scan batch of the zero-ATP filter.
    const levels: ObservedLevel[] = [];
    for (let i = 0; i < 140; i++) {
      for (const loc of LOCS)
        levels.push(
          level(`gid://shopify/InventoryItem/93${String(i).padStart(3, "0")}`, loc, i < 130 ? `SKU-${String(i).padStart(3, "0")}` : null, `Item ${i}`, {
            onHand: i % 4 === 0 ? 5 : 0,
          }),
        );
    }
    await recordObservedLevels(manyShop, levels, minutesAgo(1), () => 0);
  });

  const walk = async (query: string) => {
    const seen: { id: string; sku: string | null; atp: number }[] = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: Awaited<ReturnType<typeof load>> = await load(`?${query}${after ? `&after=${after}` : ""}`, many);
      sizes.push(page.levels.length);
      seen.push(...page.levels.map((l) => ({ id: l.id, sku: l.sku, atp: l.atp })));
      after = page.next;
      if (!after) break;
    }
    return { seen, sizes, ids: new Set(seen.map((l) => l.id)) };
  };

  it("walks every level exactly once in pages of 50, SKU-less levels last", async () => {
    const { seen, sizes, ids } = await walk("");
    expect(sizes).toEqual([50, 50, 50, 50, 50, 30]);
    expect(ids.size).toBe(280);
    expect(seen.slice(-20).every((l) => l.sku === null)).toBe(true);
    expect(seen.slice(0, 260).map((l) => l.sku)).toEqual([...seen.slice(0, 260).map((l) => l.sku)].sort());
    const first = await load("", many);
    expect(first.levels[0]).toMatchObject({ sku: "SKU-000", location: "Warehouse 1", atp: 5 });
    expect(first.levels[1]).toMatchObject({ sku: "SKU-000", location: "Warehouse 2", atp: 5 });
  });

  it("pages through zero-ATP levels only, still each once", async () => {
    const { seen, sizes, ids } = await walk("zero=1");
    expect(sizes).toEqual([50, 50, 50, 50, 10]);
    expect(ids.size).toBe(210); // 105 items (i % 4 ≠ 0) at two locations
    expect(seen.every((l) => l.atp === 0)).toBe(true);
  });
});
