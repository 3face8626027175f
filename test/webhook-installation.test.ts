// Whether a delivery's shop has the app installed is read with the delivery itself, in one statement
// (findDeliveryToProcess), never kept in a process: an uninstall made anywhere — this process, or
// another one (here a second instance of the repositories) — turns the very next delivery of the
// shop into not_installed, and a reinstall (a session stored, or the shop marked installed) lets
// the next one through again.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/.server/db/client";
import { markInstalled } from "~/.server/db/shops";
import { insertDelivery } from "~/.server/db/webhook-deliveries";
import { processWebhook } from "~/.server/services/process-webhook";
import { closeQueues } from "~/.server/queue/queues";
import { installApp } from "./helpers/install";
import { samplePayload } from "./helpers/webhook";

let other: { shops: typeof import("~/.server/db/shops") };
beforeAll(async () => {
  vi.resetModules();
  other = { shops: await import("~/.server/db/shops") };
});
afterAll(async () => {
  await closeQueues();
});

async function deliver(shop: string, topic: string, body: string, triggeredAt: Date | null = new Date()) {
  const stored = await insertDelivery({
    shop,
    topic,
    webhookId: randomUUID(),
    eventId: null,
    apiVersion: "2026-04",
    triggeredAt,
    headers: {},
    body,
    status: "received",
    error: null,
  });
  return processWebhook(stored!.id, new Date());
}
const scopesUpdate = (shop: string) =>
  deliver(
    shop,
    "app/scopes_update",
    JSON.stringify({ id: 1, previous: ["read_orders"], current: ["read_orders", "write_orders"], updated_at: "2026-12-01T00:00:00Z" }),
  );

let n = 0;
const shopName = () => `installation-${Date.now()}-${++n}.myshopify.com`;

describe("a delivery for a shop without the app installed creates nothing", () => {
  it("never installed: not_installed; an offline session alone (the token exchange, before the install is recorded) is installed", async () => {
    const s = shopName();
    expect(await scopesUpdate(s)).toEqual({ status: "not_installed" });
    await installApp(s);
    expect((await scopesUpdate(s)).status).toBe("processed");
    expect((await db().session.findUniqueOrThrow({ where: { id: `offline_${s}` } })).scope).toBe("read_orders,write_orders");
  });

  it("a shop marked installed (no session yet) is installed", async () => {
    const s = shopName();
    await markInstalled(s, new Date());
    expect((await scopesUpdate(s)).status).toBe("processed");
  });

  it("the app/uninstalled delivery processed here: the next delivery of the shop is not_installed; a reinstall lets the next one through", async () => {
    const s = shopName();
    await markInstalled(s, new Date("2026-11-01T00:00:00Z"));
    await installApp(s);
    expect((await scopesUpdate(s)).status).toBe("processed");
    // The delivery's trigger time is read back with it: one triggered before the install is a late one, ignored.
    expect(await deliver(s, "app/uninstalled", samplePayload("app/uninstalled"), new Date("2026-10-31T00:00:00Z"))).toEqual({
      status: "processed",
      detail: "ignore",
    });
    expect((await scopesUpdate(s)).status).toBe("processed");
    expect(await deliver(s, "app/uninstalled", samplePayload("app/uninstalled"), new Date("2026-11-20T10:00:00Z"))).toEqual({
      status: "processed",
      detail: "uninstall",
    });
    expect((await db().shop.findUniqueOrThrow({ where: { domain: s } })).uninstalledAt).toBeInstanceOf(Date);
    expect(await scopesUpdate(s)).toEqual({ status: "not_installed" });
    expect((await db().webhookDelivery.findFirst({ where: { shop: s, status: "not_installed" } }))?.error).toMatch(/not installed on this shop/);

    await installApp(s);
    expect((await scopesUpdate(s)).status).toBe("processed");
  });

  it("an uninstall recorded by another process: the very next delivery here is not_installed", async () => {
    const s = shopName();
    await markInstalled(s, new Date());
    await installApp(s);
    expect((await scopesUpdate(s)).status).toBe("processed");
    expect((await scopesUpdate(s)).status).toBe("processed");
    await other.shops.deleteSessions(s);
    await other.shops.markUninstalled(s, new Date());
    expect(await scopesUpdate(s)).toEqual({ status: "not_installed" });
    await other.shops.markInstalled(s, new Date());
    expect((await scopesUpdate(s)).status).toBe("processed");
  });

  it("topics processed without an installation still are (the uninstall itself, for a shop never installed)", async () => {
    const s = shopName();
    expect((await deliver(s, "app/uninstalled", samplePayload("app/uninstalled"))).status).toBe("processed");
  });
});
