import "@shopify/shopify-api/adapters/node";
import { RequestType, setUpValidRequest, USER_ID } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { env } from "~/.server/env";
import { closeQueues } from "~/.server/queue/queues";
import { syncOrderFromShopify } from "~/.server/services/sync-order";
import { action, loader } from "~/routes/app.orders.$id";
import { austin } from "../dev/shopify-local/test-helpers";
import { devShop } from "./helpers/dev-shop";

// The order page's changes through its route: a real session token (its `sub` is the staff member),
// requireStaffAction, the service, and Shopify (the dev shop). The page offers what the stage
// allows; a cancel is recorded with the staff member as its actor; the same form sent twice cancels once.

const STORE = "order-changes-route";
const SHOP = `${STORE}.myshopify.com`;
const { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET } = env();

async function authed(path: string, init?: RequestInit) {
  const req = new Request(`http://localhost:3000${path}`, { ...init, headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" } });
  return setUpValidRequest({ type: RequestType.Bearer, store: STORE, apiKey: APP_KEY, apiSecretKey: APP_SECRET }, req);
}

describe("order page: changes through the route", { timeout: 60_000 }, () => {
  let shop: Awaited<ReturnType<typeof devShop>>;
  let orderId = "";

  beforeAll(async () => {
    shop = await devShop(SHOP);
    const placed = (await (
      await shop.post(`/_dev/shops/${SHOP}/checkout`, { lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "ada@example.com" })
    ).json()) as { orderId: string };
    orderId = (await syncOrderFromShopify(SHOP, { orderId: placed.orderId }, "test", new Date())).orderId!;
  });
  afterAll(async () => {
    await closeQueues();
    await shop.standIn.close();
  });

  it("offers what the stage allows, each explained; a cancel is by the staff member; the same form twice cancels once", async () => {
    const page = await loader({ request: await authed(`/app/orders/${orderId}`), params: { id: orderId }, context: {} });
    expect(page.changes!.decisions.cancel_order).toMatchObject({ allowed: true, how: "order_cancel" });
    expect(page.changes!.decisions.change_address).toMatchObject({ allowed: true });
    const form = { intent: "cancel-order", key: `cancel-order:${page.changes!.formKey}:` };
    const send = async () =>
      action({ request: await authed(`/app/orders/${orderId}`, { method: "POST", body: new URLSearchParams(form) }), params: { id: orderId }, context: {} });
    const [first, second] = await Promise.all([send(), send()]);
    // One runs; the other is answered as a replay (still in progress, or with the first's outcome).
    const replayed = [first, second].filter((r) => "replayed" in r && r.replayed);
    expect(replayed).toHaveLength(1);
    expect([first, second].find((r) => !("replayed" in r && r.replayed))).toMatchObject({ status: "done" });
    const events = await db().orderEvent.findMany({ where: { orderId, kind: "change" } });
    expect(events.map((e) => e.actor)).toEqual([`user:${USER_ID}`]);
    const after = await loader({ request: await authed(`/app/orders/${orderId}`), params: { id: orderId }, context: {} });
    expect(after.changes!.decisions.cancel_order).toMatchObject({ allowed: false });
    expect(after.changes!.requests).toEqual([expect.objectContaining({ action: "cancel_order", status: "done", actor: `user:${USER_ID}` })]);
  });

  it("a form that cannot be read changes nothing", async () => {
    const r = await action({
      request: await authed(`/app/orders/${orderId}`, { method: "POST", body: new URLSearchParams({ intent: "cancel-line", key: "short" }) }),
      params: { id: orderId },
      context: {},
    });
    expect(r).toEqual({ error: "The form could not be read; reload the page and try again." });
  });
});
