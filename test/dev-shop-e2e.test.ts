// End to end against the dev shop: a shopper's checkout on the Shopify stand-in reaches the app as
// signed webhooks over real HTTP (every delivery duplicated on purpose), the worker processes them
// and re-reads the order from the stand-in's Admin API, and the OMS holds the order exactly once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
const SHOP = "e2e-outfitters.myshopify.com";

describe("dev shop end to end", () => {
  let standIn: Shop["standIn"];
  let dispatcher: Shop["dispatcher"];
  let close: Shop["close"];

  beforeAll(async () => {
    ({ standIn, dispatcher, close } = await connectedDevShop(SHOP, { duplicateRate: 1 }));
  });

  afterAll(() => close());

  it("records a shopper's order once although every webhook is delivered twice, with its fulfilment group from Shopify's routing", async () => {
    const placed = (await (
      await fetch(`${standIn.url}/_dev/shops/${SHOP}/checkout`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          lines: [
            { sku: "TEE-M", quantity: 1 },
            { sku: "TEE-L", quantity: 1 },
          ],
          shippingAddress: austin,
          email: "ada@example.com",
        }),
      })
    ).json()) as { orderId: string; name: string };

    const order = await waitFor(
      async () => {
        const o = await db().order.findUnique({ where: { shop_sourceId: { shop: SHOP, sourceId: placed.orderId } }, include: { groups: true, events: true } });
        return o && o.groups.length > 0 && o.state === "sourced" ? o : undefined;
      },
      20_000,
      "the order to be recorded and sourced",
    );
    await dispatcher.idle();

    // Shopify (the stand-in) sent orders/create twice with one webhook id; the app stored it once.
    const sent = dispatcher.deliveries().filter((d) => d.topic === "orders/create");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.attempts.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
    expect(await db().webhookDelivery.count({ where: { shop: SHOP, topic: "orders/create" } })).toBe(1);
    expect(await db().order.count({ where: { shop: SHOP } })).toBe(1);

    expect(order).toMatchObject({ name: placed.name, state: "sourced", financialStatus: "paid", email: "ada@example.com" });
    expect(order.groups.map((g) => [g.locationName, g.status])).toEqual([["Dallas TX", "OPEN"]]);
    expect(order.events.filter((e) => e.kind === "received")).toHaveLength(1);
    expect(order.events.map((e) => e.toState).filter(Boolean)).toEqual(["received", "released", "sourced"]);
  });

  it("follows the warehouse and the carrier: picking, shipped with tracking, delivered — each step with its owner", { timeout: 60_000 }, async () => {
    const placed = (await (
      await fetch(`${standIn.url}/_dev/shops/${SHOP}/checkout`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ lines: [{ sku: "TEE-M", quantity: 2 }], shippingAddress: austin, email: "grace@example.com" }),
      })
    ).json()) as { orderId: string; fulfillmentOrderIds: string[] };
    const stateOf = async () => (await db().order.findUnique({ where: { shop_sourceId: { shop: SHOP, sourceId: placed.orderId } } }))?.state;
    const reach = (state: string) =>
      waitFor(async () => ((await stateOf()) === state ? state : undefined), 20_000, `the order to be ${state}`).catch(async (e) => {
        const d = await db().webhookDelivery.findMany({
          where: { shop: SHOP },
          select: { topic: true, status: true, error: true },
          orderBy: { receivedAt: "desc" },
          take: 6,
        });
        throw new Error(
          `${(e as Error).message}; now ${await stateOf()}; recent deliveries ${JSON.stringify(d)}; dead ${JSON.stringify(await db().deadLetter.findMany({ take: 3 }))}`,
        );
      });
    const fo = encodeURIComponent(placed.fulfillmentOrderIds[0]!);

    await reach("sourced");
    await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders/${fo}/start`, { method: "POST" });
    await reach("picking");
    await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders/${fo}/ship`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ company: "UPS", number: "1Z999AA10123456784" }),
    });
    await reach("shipped");
    await fetch(`${standIn.url}/_dev/shops/${SHOP}/fulfillment-orders/${fo}/deliver`, { method: "POST" });
    await reach("delivered");

    const order = await db().order.findUniqueOrThrow({
      where: { shop_sourceId: { shop: SHOP, sourceId: placed.orderId } },
      include: { events: { orderBy: { at: "asc" } } },
    });
    const transitions = order.events.filter((e) => e.kind === "transition").map((e) => `${e.toState}:${e.owner}`);
    expect(transitions).toEqual(["released:oms", "sourced:oms", "picking:location", "shipped:location", "delivered:carrier"]);
    expect(order.events.some((e) => e.kind === "fulfillment" && e.summary.includes("1Z999AA10123456784"))).toBe(true);
  });
});
