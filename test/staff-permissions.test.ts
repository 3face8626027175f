// Permissions through the real routes: a real session token (its `sub` is the staff member) and
// the shop's offline session, so authenticate.admin runs for real. For each permission a page
// checks, a staff member without it is refused server-side — a 403 with the reason, nothing
// changed, the refusal audited — and one with it is allowed, the change audited with actor,
// before and after. The store owner (the online token's associated user) may do everything.
import "@shopify/shopify-api/adapters/node";
import { Session } from "@shopify/shopify-api";
import { RequestType, setUpValidRequest, USER_ID } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { orderPolicy, saveOrderPolicy } from "~/.server/db/order-policy";
import { env } from "~/.server/env";
import { closeQueues } from "~/.server/queue/queues";
import { requireStaffAction, staffCapabilities } from "~/.server/services/staff/require-staff-action";
import { STAFF_ACTIONS } from "~/domain/staff/actions";
import { ROLE_ACTIONS, type StaffRole } from "~/domain/staff/roles";
import { action as inventoryAction } from "~/routes/app.inventory";
import { action as orderRulesAction } from "~/routes/app.order-rules";
import { action as orderAction, loader as orderLoader } from "~/routes/app.orders.$id";
import { action as sourcingAction } from "~/routes/app.sourcing";
import { action as staffAction } from "~/routes/app.staff";
import { sessionStorage } from "~/shopify.server";
import { devShop } from "./helpers/dev-shop";

const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();
const UA = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" };
const STORE = "staff-perms";
const SHOP = `${STORE}.myshopify.com`;
const ME = String(USER_ID);

const request = (path: string, fields?: Record<string, string>, store = STORE) =>
  setUpValidRequest(
    { type: RequestType.Bearer, store, apiKey: APP_KEY, apiSecretKey: APP_SECRET },
    new Request(`http://localhost:3000${path}`, fields ? { method: "POST", body: new URLSearchParams(fields), headers: UA } : { headers: UA }),
  );
const args = async (path: string, fields?: Record<string, string>, params: Record<string, string> = {}) => ({
  request: await request(path, fields),
  params,
  context: {},
});

async function refused(run: () => Promise<unknown>): Promise<{ status: number; body: { reason: string; action: string } }> {
  try {
    await run();
  } catch (e) {
    if (e instanceof Response) return { status: e.status, body: (await e.json()) as { reason: string; action: string } };
    throw e;
  }
  throw new Error("expected a 403, the action ran");
}
const roleIs = (role: StaffRole | null) =>
  db().staffMember.upsert({
    where: { shop_userId: { shop: SHOP, userId: ME } },
    create: { shop: SHOP, userId: ME, role, identityCheckedAt: new Date() },
    update: { role, identityCheckedAt: new Date() },
  });
const refusals = (action: string) =>
  db().auditEvent.count({ where: { shop: SHOP, subject: "staff-refused", actor: `user:${ME}`, summary: { startsWith: `Refused ${action}` } } });

describe("permissions on every page that changes something", () => {
  beforeAll(async () => {
    await sessionStorage.storeSession(
      new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_test", scope: "read_orders" }),
    );
  });
  afterAll(async () => {
    await closeQueues();
  });

  it("the seam: for every action, a role without it gets a 403 with the reason (audited); a role with it passes", async () => {
    for (const action of STAFF_ACTIONS) {
      const without = (["viewer", "warehouse", "customer_service", "manager"] as const).find((r) => !ROLE_ACTIONS[r].includes(action))!;
      const withIt = (["customer_service", "warehouse", "manager", "admin"] as const).find((r) => ROLE_ACTIONS[r].includes(action))!;
      await roleIs(without);
      const before = await refusals(action);
      const r = await refused(async () => requireStaffAction(await request("/app/x", {}), action));
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ action, reason: expect.stringContaining("may not") });
      expect(await refusals(action)).toBe(before + 1);
      await roleIs(withIt);
      const ok = await requireStaffAction(await request("/app/x", {}), action);
      expect(ok.staff).toMatchObject({ shop: SHOP, userId: ME, actor: `user:${ME}`, role: withIt });
    }
  });

  it("rules.edit (Sourcing): refused → 403 and no version saved; allowed → saved with the actor", async () => {
    await roleIs("customer_service");
    const draft = JSON.stringify({
      name: "Nearest",
      rules: [{ type: "distance" }],
      split: { allow: true, maxShipments: 2, minValue: "0" },
      backorder: { mode: "ship_available" },
    });
    const r = await refused(async () => sourcingAction(await args("/app/sourcing", { intent: "save-draft", definition: draft })));
    expect(r.status).toBe(403);
    expect(await db().sourcingRuleSet.count({ where: { shop: SHOP } })).toBe(0);
    await roleIs("manager");
    expect(await sourcingAction(await args("/app/sourcing", { intent: "save-draft", definition: draft }))).toMatchObject({ ok: true, version: 1 });
    expect(await db().sourcingRuleSet.findFirst({ where: { shop: SHOP } })).toMatchObject({ createdBy: `user:${ME}` });
  });

  it("inventory.edit (Inventory): refused → policy unchanged; allowed → saved and audited with the actor", async () => {
    await roleIs("customer_service");
    expect(
      (await refused(async () => inventoryAction(await args("/app/inventory", { intent: "policy", staleFeed: "fail_open", staleAfterMinutes: "30" })))).status,
    ).toBe(403);
    expect(await db().inventoryPolicy.findUnique({ where: { shop: SHOP } })).toBeNull();
    await roleIs("warehouse");
    expect(await inventoryAction(await args("/app/inventory", { intent: "policy", staleFeed: "fail_open", staleAfterMinutes: "30" }))).toMatchObject({
      ok: true,
    });
    expect(await db().auditEvent.findFirst({ where: { shop: SHOP, subject: "inventory-policy" } })).toMatchObject({ actor: `user:${ME}` });
  });

  it("settings.edit (Order rules): refused → policy unchanged; allowed → saved, audited with before and after", async () => {
    const fields = {
      holdHighRisk: "on",
      validateAddress: "on",
      maxValue: "500.00",
      paymentTermsRelease: "on_payment",
      captureMode: "on_shipment",
      authorizationWarnHours: "24",
    };
    await roleIs("warehouse");
    expect((await refused(async () => orderRulesAction(await args("/app/order-rules", fields)))).status).toBe(403);
    expect((await orderPolicy(SHOP)).maxValueMinor).toBeNull();
    await roleIs("manager");
    expect(await orderRulesAction(await args("/app/order-rules", fields))).toEqual({ ok: true, message: "Order rules saved." });
    const audit = await db().auditEvent.findFirst({ where: { shop: SHOP, subject: "order-policy" }, orderBy: { at: "desc" } });
    expect(audit).toMatchObject({ actor: `user:${ME}` });
    expect(JSON.parse(audit!.data!)).toMatchObject({
      action: "settings.edit",
      before: { maxValueMinor: null, captureMode: "automatic" },
      after: { maxValueMinor: "50000", captureMode: "on_shipment", paymentTermsRelease: "on_payment" },
    });
    expect(await orderRulesAction(await args("/app/order-rules", { ...fields, maxValue: "-3" }))).toMatchObject({ ok: false });
  });

  it("staff.manage (Staff): a manager is refused; an admin assigns a role, audited with before and after", async () => {
    await roleIs("manager");
    expect((await refused(async () => staffAction(await args("/app/staff", { intent: "assign", userId: "777", role: "customer_service" })))).status).toBe(403);
    expect(await db().staffMember.findUnique({ where: { shop_userId: { shop: SHOP, userId: "777" } } })).toBeNull();
    await roleIs("admin");
    expect(await staffAction(await args("/app/staff", { intent: "assign", userId: "777", role: "customer_service" }))).toMatchObject({ ok: true });
    expect(await db().staffMember.findUnique({ where: { shop_userId: { shop: SHOP, userId: "777" } } })).toMatchObject({
      role: "customer_service",
      updatedBy: `user:${ME}`,
    });
    const audit = await db().auditEvent.findFirst({ where: { shop: SHOP, subject: "staff-role" }, orderBy: { at: "desc" } });
    expect(JSON.parse(audit!.data!)).toEqual({ action: "staff.manage", userId: "777", before: { role: null }, after: { role: "customer_service" } });
  });

  it("order.release (order page): the page shows the button disabled with the reason; the action is refused with nothing changed; customer service releases it", async () => {
    const order = await db().order.create({
      data: {
        shop: SHOP,
        channel: "online_store",
        sourceId: "gid://shopify/Order/4242",
        name: "#4242",
        state: "on_hold",
        holdRule: "high_risk",
        holdReason: "Shopify rates the order high risk (recommendation: cancel)",
        currency: "USD",
        totalMinor: 5000n,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });
    await roleIs("warehouse");
    const page = await orderLoader(await args(`/app/orders/${order.id}`, undefined, { id: order.id }));
    expect(page.can["order.release"]).toEqual({ allowed: false, reason: expect.stringContaining("Warehouse") });
    expect((await refused(async () => orderAction(await args(`/app/orders/${order.id}`, { intent: "release", note: "" }, { id: order.id })))).status).toBe(403);
    expect(await db().order.findUnique({ where: { id: order.id } })).toMatchObject({ state: "on_hold", holdRule: "high_risk" });
    expect(await db().orderEvent.count({ where: { orderId: order.id } })).toBe(0);

    await roleIs("customer_service");
    expect(await orderAction(await args(`/app/orders/${order.id}`, { intent: "release", note: "verified by phone" }, { id: order.id }))).toMatchObject({
      error: null,
    });
    expect(await db().order.findUnique({ where: { id: order.id } })).toMatchObject({ state: "released", holdRule: "released_by_person", holdReason: null });
    expect(await db().orderEvent.findFirst({ where: { orderId: order.id } })).toMatchObject({
      actor: `user:${ME}`,
      fromState: "on_hold",
      toState: "released",
      source: "user",
    });
    const audit = await db().auditEvent.findFirst({ where: { shop: SHOP, subject: "order-release" } });
    expect(JSON.parse(audit!.data!)).toMatchObject({
      action: "order.release",
      note: "verified by phone",
      before: { state: "on_hold", holdRule: "high_risk" },
      after: { state: "released", holdRule: "released_by_person" },
    });
  });

  it("a member without a stored role gets the shop's default role", async () => {
    await db().staffMember.deleteMany({ where: { shop: SHOP, userId: ME } });
    const { version, ...before } = await orderPolicy(SHOP);
    await saveOrderPolicy(SHOP, version, before, { ...before, defaultStaffRole: "viewer" }, "user:owner", "staff.manage", new Date());
    const caps = await staffCapabilities(await request("/app"));
    expect(caps.staff.role).toBe("viewer");
    expect(Object.values(caps.can).every((c) => !c.allowed)).toBe(true);
  });
});

describe("the store owner, as Shopify says through the online token's associated user", () => {
  const OWNER_STORE = "staff-owner";
  const OWNER_SHOP = `${OWNER_STORE}.myshopify.com`;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const shop = await devShop(OWNER_SHOP);
    close = () => shop.standIn.close();
    await shop.post(`/_dev/shops/${OWNER_SHOP}/staff`, {
      users: [
        { id: USER_ID, firstName: "Olga", lastName: "Owner", email: "olga@example.com", accountOwner: true },
        { id: 222, firstName: "Sam", lastName: "Support", email: "sam@example.com" },
      ],
    });
    const { version, ...before } = await orderPolicy(OWNER_SHOP);
    await saveOrderPolicy(OWNER_SHOP, version, before, { ...before, defaultStaffRole: "viewer" }, "seed", "staff.manage", new Date());
  });
  afterAll(async () => close());

  it("may do everything although the shop's default role is viewer; who they are is recorded", async () => {
    const caps = await staffCapabilities(await request("/app", undefined, OWNER_STORE));
    expect(caps.staff.role).toBe("owner");
    expect(Object.values(caps.can).every((c) => c.allowed)).toBe(true);
    expect(await db().staffMember.findUnique({ where: { shop_userId: { shop: OWNER_SHOP, userId: ME } } })).toMatchObject({
      accountOwner: true,
      name: "Olga Owner",
      email: "olga@example.com",
    });
  });
});
