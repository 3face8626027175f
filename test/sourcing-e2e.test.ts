// Sourcing end to end against the dev shop: Shopify's native routing places each order first
// (closest location); the OMS's engine then decides under the merchant's rule set and Shopify's
// fulfilment orders end where the engine chose — moved whole, or split across two locations —
// with the reservations following and the order saying why. Every webhook is delivered twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/.server/db/client";
import { claimSourcingLease, releaseSourcingLease } from "~/.server/db/sourcing-lease";
import { activateRuleSet, saveLocationProfile } from "~/.server/db/sourcing";
import { reconcileStock } from "~/.server/services/reconcile-stock";
import { releaseBackorders } from "~/.server/services/release-backorders";
import { dryRunOrder } from "~/.server/services/route-order";
import { editLocationProfile } from "~/.server/services/sourcing-admin";
import { sourcingView } from "~/.server/services/sourcing-views";
import { austin } from "../dev/shopify-local/test-helpers";
import { connectedDevShop } from "./helpers/app-server";
import { waitFor } from "./helpers/wait";

type Shop = Awaited<ReturnType<typeof connectedDevShop>>;
type State = { fulfillmentOrders: { id: string; orderId: string; location: string; status: string; lines: { remaining: number }[] }[] };
const SHOP = "sourcing-e2e.myshopify.com";

describe("sourcing against the dev shop", { timeout: 60_000 }, () => {
  let standIn: Shop["standIn"];
  let post: Shop["post"];
  let dispatcher: Shop["dispatcher"];
  let close: Shop["close"];

  const state = async () => (await (await fetch(`${standIn.url}/_dev/shops/${SHOP}/state`)).json()) as State;
  const fosOf = async (orderId: string) => (await state()).fulfillmentOrders.filter((f) => f.orderId === orderId && f.lines.some((l) => l.remaining > 0));
  const checkout = async (lines: { sku: string; quantity: number }[]) =>
    (await (await post(`/_dev/shops/${SHOP}/checkout`, { lines, shippingAddress: austin, email: "ada@example.com" })).json()) as { orderId: string };
  const routed = (sourceId: string) =>
    waitFor(
      async () => {
        const o = await db().order.findFirst({ where: { shop: SHOP, sourceId } });
        const d = o && (await db().routingDecision.findFirst({ where: { shop: SHOP, orderId: o.id, mode: "live" } }));
        return d && o ? { order: o, decision: d } : undefined;
      },
      20_000,
      "the routing decision",
    );

  beforeAll(async () => {
    ({ standIn, post, dispatcher, close } = await connectedDevShop(SHOP, { duplicateRate: 1 }, (fixture) => {
      // A cap sold on backorder: Shopify takes orders for it with no stock anywhere (inventory policy CONTINUE).
      (fixture.products[0] as { tags?: string[] }).tags = ["bulky"];
      fixture.products.push({
        title: "Trail Cap",
        variants: [{ sku: "CAP-1", price: "18.00", inventory: { "Edison NJ": 0, "Dallas TX": 0 }, inventoryPolicy: "CONTINUE" }],
      } as never);
      fixture.products.push({
        title: "Rain Hat",
        variants: [{ sku: "HAT-1", price: "22.00", inventory: { "Dallas TX": 0 }, inventoryPolicy: "CONTINUE" }],
      } as never);
    }));
    await reconcileStock(SHOP, new Date());
    // The merchant ranks Edison first: ship from there whenever it can, then by distance.
    const edison = await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name: "Edison NJ" } });
    await saveLocationProfile(SHOP, { locationId: edison.id, priority: 1 });
    await activateRuleSet(
      SHOP,
      "Edison first",
      {
        rules: [{ type: "priority" }, { type: "distance" }],
        split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
        backorder: { mode: "ship_available" },
      },
      "user:ops@example.com",
      new Date(),
    );
  });

  afterAll(() => close());

  // The Admin API operations the app asks Shopify for, in order, as the stand-in receives them.
  const calls: string[] = [];
  beforeAll(() => {
    const inner = standIn.standIn;
    const take = inner.takeAdminFault.bind(inner);
    inner.takeAdminFault = (shop: string, operation: string) => {
      if (shop === SHOP) calls.push(operation);
      return take(shop, operation);
    };
  });

  it("moves an order from Shopify's closest location to the one the rules choose, and the reservation moves with it", async () => {
    const placed = await checkout([{ sku: "TEE-M", quantity: 2 }]);
    const { order, decision } = await routed(placed.orderId);
    expect(decision).toMatchObject({ outcome: "assigned", applied: "applied", version: 1 });
    await waitFor(async () => (await fosOf(placed.orderId)).every((f) => f.location === "Edison NJ"), 10_000, "the fulfilment order at Edison");
    const tee = await db().stockLevel.findMany({ where: { shop: SHOP, sku: "TEE-M" } });
    const names = new Map((await db().stockLocation.findMany({ where: { shop: SHOP } })).map((l) => [l.id, l.name]));
    await waitFor(
      async () => (await db().fulfillmentGroup.findMany({ where: { orderId: order.id } })).every((g) => g.locationName === "Edison NJ"),
      10_000,
      "the OMS group at Edison",
    );
    await waitFor(
      async () => {
        const held = await db().stockMovement.groupBy({ by: ["locationId"], where: { shop: SHOP, reference: order.id }, _sum: { reservedDelta: true } });
        return (
          held.find((h) => names.get(h.locationId) === "Edison NJ")?._sum.reservedDelta === 2 &&
          held.filter((h) => names.get(h.locationId) !== "Edison NJ").every((h) => h._sum.reservedDelta === 0)
        );
      },
      10_000,
      "the reservation at Edison",
    );
    expect(tee.length).toBe(3);
    // Moved whole: where the fulfilment order went came from the move's answer (the same fulfilment
    // order, now at Edison); the order's fulfilment orders were read once, at intake, not again.
    // (The first order of this shop: every call so far is about it.)
    await dispatcher.idle();
    expect(calls.filter((c) => c === "SourcingMove")).toHaveLength(1);
    expect(calls.filter((c) => c === "OrderFulfilmentForSync")).toHaveLength(1);
    // The timeline names where the reservation left, though the order no longer has a group there.
    const released = (await db().orderEvent.findMany({ where: { orderId: order.id, kind: "inventory" } }))
      .map((e) => e.summary)
      .filter((t) => t.startsWith("Released"));
    expect(released).toEqual(["Released 2 × TEE-M at Dallas TX"]);
    const why = await db().orderEvent.findFirstOrThrow({ where: { orderId: order.id, dedupeKey: "sourcing:live" } });
    expect(why.summary).toContain("Edison NJ");
    expect(why.actor).toBe("oms:sourcing");
    // The decision was the routing pass's last write, under its sourcing lease: it carries the
    // lease's token, which frees the lease with no release of its own (db/sourcing-lease.ts).
    expect(decision.leaseToken).toMatch(/^[0-9a-f-]{36}$/);
    const next = await claimSourcingLease(SHOP, order.id);
    expect(next).not.toBeNull();
    await releaseSourcingLease(SHOP, order.id, next!);

    // The order page's "why this location", and a dry run that is recorded but never applied.
    const view = await sourcingView(SHOP, order.id);
    expect(view.live).toMatchObject({ outcome: "assigned", applied: "applied", version: 1 });
    expect(view.live!.candidates.map((c) => c.location).sort()).toEqual(["Dallas TX", "Edison NJ", "Seattle WA"]);
    expect(view.live!.candidates.find((c) => c.location === "Edison NJ")!.rank).toBe(1);
    const movesBefore = dispatcher.deliveries().filter((d) => d.topic === "fulfillment_orders/moved").length;
    const dry = await dryRunOrder(SHOP, order.id, new Date());
    expect(dry).toMatchObject({ ok: true });
    expect((await sourcingView(SHOP, order.id)).dryRun).toMatchObject({ mode: "dry_run", applied: "not_applied", outcome: "assigned" });
    await dispatcher.idle();
    expect(dispatcher.deliveries().filter((d) => d.topic === "fulfillment_orders/moved")).toHaveLength(movesBefore);
  });

  it("splits an order across two locations when the first-ranked one lacks a line", async () => {
    // Shopify alone ships both lines from Dallas (the only location with TEE-L); the rules want
    // TEE-M from Edison, so the order is split: TEE-M to Edison, TEE-L stays in Dallas.
    const placed = await checkout([
      { sku: "TEE-M", quantity: 1 },
      { sku: "TEE-L", quantity: 1 },
    ]);
    const { decision } = await routed(placed.orderId);
    expect(decision).toMatchObject({ outcome: "split", applied: "applied", shipments: 2 });
    await waitFor(
      async () =>
        (await fosOf(placed.orderId))
          .map((f) => f.location)
          .sort()
          .join() === "Dallas TX,Edison NJ",
      10_000,
      "fulfilment orders at Dallas and Edison",
    );
  });

  it("holds a line no location can supply, and releases it when stock arrives", async () => {
    const placed = await checkout([
      { sku: "TEE-M", quantity: 1 },
      { sku: "CAP-1", quantity: 1 },
    ]);
    const { order, decision } = await routed(placed.orderId);
    expect(decision).toMatchObject({ outcome: "backordered", applied: "applied", backordered: 1 });
    // TEE-M went to Edison; the cap waits on hold where Shopify put it, flagged as backordered, not as an exception.
    await waitFor(
      async () => {
        const fos = await fosOf(placed.orderId);
        return (
          fos.length === 2 &&
          fos.some((f) => f.location === "Edison NJ" && f.status === "OPEN") &&
          fos.some((f) => f.location === "Dallas TX" && f.status === "ON_HOLD")
        );
      },
      10_000,
      "TEE-M at Edison and the cap on hold at Dallas",
    );
    await waitFor(async () => (await db().fulfillmentGroup.count({ where: { orderId: order.id, status: "ON_HOLD" } })) === 1, 10_000, "the OMS group on hold");
    await dispatcher.idle();
    expect((await db().order.findUniqueOrThrow({ where: { id: order.id } })).exception).toBeNull();

    // The supplier delivers caps to Dallas: the hold is released and the line ships from there.
    await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku: "CAP-1", location: "Dallas TX", delta: 5 });
    await waitFor(async () => (await fosOf(placed.orderId)).every((f) => f.status === "OPEN"), 20_000, "the backorder released in Shopify");
    expect((await fosOf(placed.orderId)).map((f) => f.location).sort()).toEqual(["Dallas TX", "Edison NJ"]);
    await waitFor(async () => (await db().routingDecision.count({ where: { orderId: order.id, mode: "live" } })) === 2, 10_000, "the new decision");
    const latest = await db().routingDecision.findFirstOrThrow({ where: { orderId: order.id, mode: "live" }, orderBy: { at: "desc" } });
    expect(latest).toMatchObject({ outcome: "split", applied: "applied", backordered: 0 });
    await waitFor(
      async () => (await db().orderEvent.count({ where: { orderId: order.id, summary: { startsWith: "Backorder released" } } })) === 1,
      10_000,
      "the release on the timeline",
    );
  });

  it("a duplicated orders/create and later syncs never route an order twice", async () => {
    await dispatcher.idle();
    const orders = await db().order.findMany({ where: { shop: SHOP } });
    // One routing per order (the backordered one has a second decision: its release).
    for (const o of orders) expect(await db().routingDecision.count({ where: { orderId: o.id, mode: "live", NOT: { error: null } } })).toBe(0);
    const counts = await Promise.all(orders.map((o) => db().routingDecision.count({ where: { orderId: o.id, mode: "live" } })));
    expect(counts.sort()).toEqual([1, 1, 2]);
    const moved = dispatcher.deliveries().filter((d) => d.topic === "fulfillment_orders/moved");
    expect(moved).toHaveLength(3); // a whole move and two partial moves: nothing repeated
  });

  it("an exclusion by product tag keeps a product away from a location (tags read from Shopify with the order)", async () => {
    const edison = await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name: "Edison NJ" } });
    await activateRuleSet(
      SHOP,
      "No bulky items from Edison",
      {
        rules: [{ type: "exclude", locationId: edison.id, whenProductTag: "bulky" }, { type: "priority" }, { type: "distance" }],
        split: { allow: true, maxShipments: 3, minValuePerShipmentMinor: 0 },
        backorder: { mode: "ship_available" },
      },
      "user:ops@example.com",
      new Date(),
    );
    const placed = await checkout([{ sku: "TEE-M", quantity: 1 }]);
    const { order, decision } = await routed(placed.orderId);
    expect(decision).toMatchObject({ version: 2, outcome: "assigned", applied: "unchanged" });
    expect((await fosOf(placed.orderId)).map((f) => f.location)).toEqual(["Dallas TX"]);
    const view = await sourcingView(SHOP, order.id);
    expect(view.live!.candidates.find((c) => c.location === "Edison NJ")!.eliminated).toMatch(/bulky/);
  });

  it("tags are read with an order only while a rule looks at them; one synced before is given them when it is routed", async () => {
    // The rule set active now excludes bulky items from Edison: orders synced under it carry their tags.
    const lineSets = async () =>
      (await db().fulfillmentGroup.findMany({ where: { order: { shop: SHOP } }, include: { order: { select: { createdAt: true } } } }))
        .sort((a, b) => a.order.createdAt.getTime() - b.order.createdAt.getTime())
        .map((g) => ({ orderId: g.orderId, lines: JSON.parse(g.lines) as { sku: string; remaining: number; productTags?: string[] }[] }));
    const tee = (await lineSets()).filter((g) => g.lines.some((l) => l.sku === "TEE-M"));
    expect(tee.at(-1)!.lines[0]!.productTags).toEqual(["bulky"]);
    // The first orders were synced under "Edison first" (no tag rule): no tags read, none stored.
    const early = tee.find((g) => g.lines.some((l) => l.remaining > 0) && g.lines.every((l) => l.productTags === undefined));
    expect(early).toBeDefined();
    // Deciding for it now reads its product's tags from Shopify: Edison is out for the bulky tee.
    const dry = await dryRunOrder(SHOP, early!.orderId, new Date());
    expect(dry?.ok).toBe(true);
    expect(JSON.stringify(dry!.ok ? dry!.plan : null)).toMatch(/bulky/);
  });

  it("a pickup order (BOPIS) stays at the store the customer chose, whatever the rules rank first", async () => {
    const placed = (await (
      await post(`/_dev/shops/${SHOP}/checkout`, {
        lines: [{ sku: "TEE-M", quantity: 1 }],
        shippingAddress: austin,
        email: "bo@example.com",
        pickupLocation: "Seattle WA",
      })
    ).json()) as { orderId: string };
    const { order, decision } = await routed(placed.orderId);
    expect(decision).toMatchObject({ outcome: "assigned", applied: "unchanged" });
    expect((await fosOf(placed.orderId)).map((f) => f.location)).toEqual(["Seattle WA"]);
    const view = await sourcingView(SHOP, order.id);
    expect(view.live!.candidates.find((c) => c.location === "Seattle WA")!.rank).toBe(1);
    expect(view.live!.candidates.filter((c) => c.location !== "Seattle WA").every((c) => c.eliminated !== null)).toBe(true);
  });

  it("several release passes racing for the same backorder release it once (one sourcing lease per order)", async () => {
    const placed = await checkout([{ sku: "HAT-1", quantity: 1 }]);
    const { order, decision } = await routed(placed.orderId);
    expect(decision).toMatchObject({ outcome: "backordered", applied: "applied" });
    await waitFor(async () => (await db().fulfillmentGroup.count({ where: { orderId: order.id, status: "ON_HOLD" } })) === 1, 10_000, "the OMS group on hold");

    await post(`/_dev/shops/${SHOP}/inventory/adjust`, { sku: "HAT-1", location: "Dallas TX", delta: 3 });
    await waitFor(
      async () => (await db().stockLevel.findFirst({ where: { shop: SHOP, sku: "HAT-1", onHand: 3 } })) !== null,
      10_000,
      "the OMS seeing the hats",
    );
    // The worker's own release job races these three.
    const passes = await Promise.all([0, 1, 2].map(() => releaseBackorders(SHOP, new Date())));
    // A pass that finds the lease taken leaves the order to a follow-up pass (it does not fail), and never releases a second time.
    expect(passes.reduce((n, p) => n + p.released, 0)).toBeLessThanOrEqual(1);
    await waitFor(async () => (await fosOf(placed.orderId)).every((f) => f.status === "OPEN"), 20_000, "the backorder released in Shopify");
    await dispatcher.idle();
    await waitFor(async () => (await db().order.findUniqueOrThrow({ where: { id: order.id } })).sourcingClaimedUntil === null, 10_000, "the lease returned");
    expect(await db().routingDecision.count({ where: { orderId: order.id, mode: "live" } })).toBe(2);
    expect(await db().orderEvent.count({ where: { orderId: order.id, summary: { startsWith: "Backorder released" } } })).toBe(1);
  });

  it("a location whose calendar has no shipping day in the next fortnight is passed over, and says so", async () => {
    const placed = await checkout([{ sku: "TEE-M", quantity: 1 }]);
    const { order } = await routed(placed.orderId);
    const edison = await db().stockLocation.findFirstOrThrow({ where: { shop: SHOP, name: "Edison NJ" } });
    const profile = {
      locationId: edison.id,
      kind: "warehouse",
      priority: 1,
      dailyCapacity: null,
      handlingCost: "",
      costPerKm: "",
      tags: "",
      servesCountries: "",
    };
    // Closed every day of the horizon (a stock-take, say): the merchant types the dates in.
    const closed = Array.from({ length: 16 }, (_, i) => new Date(Date.now() + (i - 1) * 86_400_000).toISOString().slice(0, 10)).join(", ");
    expect(
      await editLocationProfile(
        SHOP,
        { ...profile, shipDays: "Mon, Tue, Wed, Thu, Fri, Sat, Sun", cutoff: "", timeZone: "UTC", closedDates: closed },
        "user:ops@example.com",
        new Date(),
      ),
    ).toMatchObject({ ok: true });
    try {
      const dry = await dryRunOrder(SHOP, order.id, new Date());
      if (!dry?.ok) throw new Error(`dry run failed: ${JSON.stringify(dry)}`);
      const plan = dry.plan;
      expect(plan.assignments.map((a) => a.locationId)).not.toContain(edison.id);
      expect(plan.decision.candidates.find((c) => c.locationId === edison.id)).toMatchObject({ rank: null, reason: "no shipping day in the next 14 days" });
    } finally {
      await editLocationProfile(SHOP, { ...profile, shipDays: "", cutoff: "", timeZone: "UTC", closedDates: "" }, "user:ops@example.com", new Date());
    }
  });
});
