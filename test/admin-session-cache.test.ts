// The offline session behind adminFor is read once per shop and kept in the process (not one
// Session SELECT per job): a token replaced by a reinstall elsewhere is picked up on Shopify's 401,
// and an uninstall forgets it at once.
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { NonRetriableError } from "~/.server/errors";
import { uninstallShop } from "~/.server/services/uninstall-shop";
import { adminFor, forgetAdminSession } from "~/.server/shopify/admin";
import { sessionStorage } from "~/shopify.server";
import type { startShopifyStandIn } from "../dev/shopify-local/server";
import { devShop } from "./helpers/dev-shop";
import { syncOrderMoneyJob } from "../jobs/processors/sync-order-money";

const SHOP = "session-cache-outfitters.myshopify.com";
const PROBE = `#graphql
  query SessionProbe { shop { name } }
`;
const probe = async (graphql: Awaited<ReturnType<typeof adminFor>>) =>
  ((await (await graphql(PROBE)).json()) as { data?: { shop: { name: string } } }).data?.shop.name;

describe("the offline session behind adminFor", () => {
  let standIn: Awaited<ReturnType<typeof startShopifyStandIn>>;
  let post: (p: string, body: unknown) => Promise<Response>;

  beforeAll(async () => {
    ({ standIn, post } = await devShop(SHOP));
  });
  afterAll(async () => {
    forgetAdminSession(SHOP);
    await standIn.close();
  });

  it("is read once: a later client does not read the Session row again", async () => {
    expect(await probe(await adminFor(SHOP))).toBeTruthy();
    // Were the row read again, this token would be sent and refused.
    const real = await db().session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    await db().session.update({ where: { id: real.id }, data: { accessToken: "shpat_not_a_token" } });
    try {
      expect(await probe(await adminFor(SHOP))).toBeTruthy();
    } finally {
      await db().session.update({ where: { id: real.id }, data: { accessToken: real.accessToken } });
    }
  });

  it("a token replaced by a reinstall (stored by another process) is loaded again on Shopify's 401, once", async () => {
    const graphql = await adminFor(SHOP);
    expect(await probe(graphql)).toBeTruthy();
    await post(`/_dev/shops/${SHOP}/uninstall`, {});
    const { accessToken, scope } = (await (await post(`/_dev/shops/${SHOP}/install`, {})).json()) as { accessToken: string; scope: string };
    await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken, scope }));
    // Both the client taken before the reinstall and a new one answer, on the new token.
    expect(await probe(graphql)).toBeTruthy();
    expect(await probe(await adminFor(SHOP))).toBeTruthy();
  });

  it("a revoked token with no new session fails as before (401), after one reload", async () => {
    const graphql = await adminFor(SHOP);
    await post(`/_dev/shops/${SHOP}/uninstall`, {});
    await expect(graphql(PROBE)).rejects.toMatchObject({ response: { code: 401 } });
    const { accessToken, scope } = (await (await post(`/_dev/shops/${SHOP}/install`, {})).json()) as { accessToken: string; scope: string };
    await sessionStorage.storeSession(new Session({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken, scope }));
  });

  it("an uninstall forgets it: the next client finds no session", async () => {
    expect(await probe(await adminFor(SHOP))).toBeTruthy();
    await uninstallShop(SHOP, new Date(), new Date());
    await expect(adminFor(SHOP)).rejects.toBeInstanceOf(NonRetriableError);
  });

  it("the money job of a shop without an offline session ends quietly (no retries)", async () => {
    const shop = "money-no-session.myshopify.com";
    const sourceId = `gid://shopify/Order/${Date.now()}`;
    await db().order.create({
      data: {
        shop,
        sourceId,
        name: "#M1",
        state: "received",
        channel: "shopify",
        currency: "USD",
        totalMinor: 0,
        placedAt: new Date(),
        sourceUpdatedAt: new Date(),
      },
    });
    expect(await syncOrderMoneyJob({ shop, orderId: sourceId, financialStatus: "paid" }, { now: new Date() } as never)).toEqual({
      skipped: "no offline session",
    });
  });
});
